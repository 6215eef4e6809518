package dev.teeflow.actions.deploy;

import dev.teeflow.engine.spi.PendingInput;
import dev.teeflow.engine.spi.StepCost;
import java.math.BigInteger;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Upper bounds of the gas of each transaction teeflow sends, for the plan of a step whose call cannot be
 * formed yet (its inputs come from steps that have not run, or the hub account lacks the stake a
 * {@code matchOrders} estimate needs). Measured on the devnet (PoCo 6.1 on anvil) by GasBoundsDevnetTest,
 * which fails when a measured transaction goes over its bound; each bound is about 1.5 times the
 * measurement, for longer names, image references and SCONE mrenclave texts than the test's.
 */
public enum GasBounds {
    // measured (GasBoundsDevnetTest): createApp 876,518 with a 220-byte SCONE mrenclave; createDataset 666,439;
    // createWorkerpool 577,626; a first deposit 116,449; matchOrders 772,390 with a dataset and 60 bytes of params
    CREATE_APP("createApp", 1_300_000),
    CREATE_DATASET("createDataset", 1_000_000),
    CREATE_WORKERPOOL("createWorkerpool", 870_000),
    DEPOSIT("deposit", 175_000),
    MATCH_ORDERS("matchOrders", 1_200_000);

    private final String operation;
    private final BigInteger gas;

    GasBounds(String operation, long gas) {
        this.operation = operation;
        this.gas = BigInteger.valueOf(gas);
    }

    public String operation() {
        return operation;
    }

    public BigInteger gas() {
        return gas;
    }

    /** Params bytes the matchOrders bound covers; each byte more is stored on chain in the deal. */
    public static final int MATCH_PARAMS_COVERED = 600;
    /** Gas per stored byte: measured 675 (20,000 per 32-byte word, its calldata and hashing), with headroom. */
    public static final int GAS_PER_STORED_BYTE = 800;

    /** This operation's bound at {@code weiPerGas}, with the reason it is a bound. */
    public StepCost.Gas bound(BigInteger weiPerGas, String why) {
        return bound(weiPerGas, why, 0);
    }

    /** As {@link #bound(BigInteger, String)}, for a call that stores {@code extraBytes} more than the measured one. */
    public StepCost.Gas bound(BigInteger weiPerGas, String why, long extraBytes) {
        BigInteger g = gas.add(BigInteger.valueOf(Math.max(0, extraBytes) * GAS_PER_STORED_BYTE));
        return new StepCost.Gas(operation, g, weiPerGas, StepCost.Kind.BOUND,
                "at most " + g + " gas (measured on the devnet" + (extraBytes > 0 ? ", plus " + extraBytes + " bytes stored" : "")
                        + "): " + why);
    }

    /** "its inputs come from app.x.push.digest, app.x.tee.mrenclave, which run first" */
    public static String waitingFor(Collection<PendingInput> pending) {
        return "the call needs " + pending.stream().map(PendingInput::toString).distinct().collect(Collectors.joining(", "))
                + ", known only once " + (pending.stream().map(PendingInput::step).distinct().count() == 1 ? "that step runs"
                : "those steps run");
    }
}
