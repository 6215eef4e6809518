package dev.teeflow.actions.deploy;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Check;
import dev.teeflow.engine.spi.InputFile;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.PendingInput;
import dev.teeflow.engine.spi.StepCost;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.protocol.chain.AssetRegistry;
import dev.teeflow.protocol.chain.ChainException;
import dev.teeflow.protocol.chain.Deployment;
import dev.teeflow.protocol.chain.TxHook;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An idempotent on-chain asset deploy (app, dataset, workerpool). The registry's {@code predict*} view
 * gives the CREATE2 address the asset will have; when it {@code isRegistered}, the step is done without a
 * transaction; otherwise it sends {@code create*}. The transaction's hash is recorded as the step's intent
 * before it is broadcast, so a run that finds that intent waits for the same transaction instead of
 * sending a second one (and sends once only if the node never saw it).
 *
 * <p>Outputs: {@code address}, {@code tx} (null when the asset was already there), {@code owner},
 * {@code chain-id}, {@code registry}.
 */
abstract class AssetDeployStep implements StepType, dev.teeflow.engine.spi.Adoptable {
    static final Set<String> OUTPUTS = Set.of("address", "tx", "owner", "chain-id", "registry");
    private final TxSettings settings;

    AssetDeployStep(TxSettings settings) {
        this.settings = settings;
    }

    /** "app", "dataset", "workerpool": the kind in messages and in deployed.json. */
    abstract String kind();

    /** The asset's name for messages (name or description). */
    abstract String label(Inputs in);

    abstract AssetRegistry registry(ChainAccess access);

    abstract String predict(ChainAccess access, Inputs in);

    /** Predicts, skips when registered, resumes {@code recordedTx} or sends create. */
    abstract Deployment ensure(ChainAccess access, Inputs in, TxHook hook, String recordedTx);

    /** The calldata of the registry's {@code create*} for these inputs. */
    abstract String createCall(ChainAccess access, Inputs in);

    /** The gas bound of that call, for a plan made before its inputs are known. */
    abstract GasBounds gasBound();

    /** Inputs required besides chain and wallet. */
    abstract List<String> requiredInputs();

    @Override
    public Effect effect() {
        return Effect.EXTERNAL;
    }

    @Override
    public Set<String> outputNames(StepSpec spec) {
        return new LinkedHashSet<>(OUTPUTS);
    }

    @Override
    public void validate(StepSpec spec, Problems problems) {
        for (String key : requiredInputs()) {
            if (spec.inputs().get(key) == null) {
                problems.error(spec.location(), spec.address() + "." + key, "missing input '" + key + "'");
            }
        }
        for (String key : List.of("chain", "wallet")) {
            if (!(spec.inputs().get(key) instanceof Map)) {
                problems.error(spec.location(), spec.address() + "." + key,
                        dev.teeflow.actions.chain.Targets.genericForm(key));
            }
        }
    }

    @Override
    public List<InputFile> inputFiles(Inputs inputs) {
        return ChainAccess.inputFiles(inputs);
    }

    ChainAccess access(StepContext ctx) {
        return ChainAccess.of(ctx, settings);
    }

    @Override
    public String preview(StepContext ctx) {
        ChainAccess access = access(ctx);
        try {
            String predicted = predict(access, ctx.inputs());
            return registry(access).isRegistered(predicted)
                    ? kind() + " " + label(ctx.inputs()) + " is already at " + predicted + " (registered; no transaction)"
                    : "will deploy " + kind() + " " + label(ctx.inputs()) + " at " + predicted + " (predicted)";
        } catch (ChainException e) {
            throw ChainAccess.explain(ctx.address(), e);
        }
    }

    /**
     * The gas of the {@code create*} transaction: {@code eth_estimateGas} of the exact call when its inputs
     * are known, else the operation's measured bound; nothing when the asset is already registered.
     */
    @Override
    public StepCost cost(StepContext ctx, Map<String, PendingInput> pending) {
        ChainAccess access = access(ctx);
        try {
            BigInteger price = access.sender().gasPrice();
            if (!pending.isEmpty()) {
                return StepCost.of(null, List.of(gasBound().bound(price, GasBounds.waitingFor(pending.values()))));
            }
            if (registry(access).isRegistered(predict(access, ctx.inputs()))) {
                return StepCost.of(null, List.of());
            }
            BigInteger gas = access.sender().estimate(registry(access).address(), BigInteger.ZERO,
                    createCall(access, ctx.inputs()));
            return StepCost.of(null, List.of(new StepCost.Gas(gasBound().operation(), gas, price,
                    StepCost.Kind.ESTIMATE, "eth_estimateGas")));
        } catch (ChainException e) {
            throw ChainAccess.explain(ctx.address(), e);
        }
    }

    @Override
    public Outputs run(StepContext ctx) {
        ChainAccess access = access(ctx);
        Inputs in = ctx.inputs();
        try {
            String predicted = predict(access, in);
            String recordedTx = recordedTx(ctx, predicted, access.chain().chainId()).orElse(null);
            if (recordedTx != null) {
                ctx.log().info("an earlier run sent " + recordedTx + " for " + kind() + " " + label(in)
                        + "; waiting for it instead of sending again");
            } else {
                ctx.log().info(kind() + " " + label(in) + " at " + predicted + " on " + access.chain().describe()
                        + ", owner " + access.wallet().describe());
            }
            TxHook hook = new RecordingTxHook(ctx, hash -> {
                Map<String, Object> intent = new LinkedHashMap<>();
                intent.put("tx", hash);
                intent.put("address", predicted);
                intent.put("chain-id", access.chain().chainId());
                ctx.recordIntent(intent);
                ctx.log().info("sending " + hash);
            });
            Deployment d = ensure(access, in, hook, recordedTx);
            ctx.log().info(d.created() ? "deployed at " + d.address() + " in " + d.txHash()
                    : "already registered at " + d.address() + "; no transaction sent");
            String owner = access.caller().owner(d.address());
            if (in.bool("deployed-json", false)) {
                DeployedJson.record(ctx.projectDir(), kind(), access.chain().chainId(), d.address());
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("address", d.address());
            out.put("tx", d.txHash());
            out.put("owner", owner);
            out.put("chain-id", access.chain().chainId());
            out.put("registry", registry(access).address());
            return Outputs.of(out);
        } catch (ChainException e) {
            throw ChainAccess.explain(ctx.address(), e);
        }
    }

    /**
     * {@code teeflow import}: the asset the inputs describe is registered at its predicted address (CREATE2 over
     * owner, name, multiaddr, checksum and mrenclave: the address proves the chain holds exactly these values),
     * and {@code deployed.json}, when it names one for this chain, names that same address. Sends nothing.
     */
    @Override
    public Outputs adopt(StepContext ctx) {
        ChainAccess access = access(ctx);
        Inputs in = ctx.inputs();
        long chainId = access.chain().chainId();
        try {
            String predicted = predict(access, in);
            java.util.Optional<String> named = DeployedJson.read(ctx.projectDir(), kind(), chainId);
            if (named.isPresent() && !named.get().equalsIgnoreCase(predicted)) {
                throw new TeeflowException(ctx.address() + ": " + DeployedJson.FILE + " names " + kind() + " " + named.get()
                        + " on chain " + chainId + ", but " + AssetDifference.describe(access, kind(), named.get(), in)
                        + "; make the pipeline describe the deployed " + kind() + " (or remove its entry from "
                        + DeployedJson.FILE + " to deploy a new one)");
            }
            if (!registry(access).isRegistered(predicted)) {
                if (named.isPresent()) {
                    throw new TeeflowException(ctx.address() + ": " + DeployedJson.FILE + " names " + kind() + " "
                            + named.get() + " on chain " + chainId + ", but no " + kind() + " is registered there on "
                            + access.chain().describe() + " (a reset devnet, or another chain?)");
                }
                throw new dev.teeflow.engine.spi.NothingToAdoptException(kind() + " " + label(in) + " is not on "
                        + access.chain().describe() + " yet (it would be at " + predicted + "): apply deploys it");
            }
            ctx.log().info(kind() + " " + label(in) + " is registered at " + predicted + " with exactly the values of the pipeline");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("address", predicted);
            out.put("tx", null);
            out.put("owner", access.caller().owner(predicted));
            out.put("chain-id", chainId);
            out.put("registry", registry(access).address());
            return Outputs.of(out);
        } catch (ChainException e) {
            throw ChainAccess.explain(ctx.address(), e);
        }
    }

    /** The tx hash an interrupted run recorded for this same asset on this same chain. */
    private static Optional<String> recordedTx(StepContext ctx, String predicted, long chainId) {
        return ctx.intent()
                .filter(i -> predicted.equalsIgnoreCase(String.valueOf(i.get("address"))))
                .filter(i -> String.valueOf(chainId).equals(String.valueOf(i.get("chain-id"))))
                .map(i -> (String) i.get("tx"));
    }

    @Override
    public Check verify(StepContext ctx, Outputs recorded) {
        Optional<String> address = recorded.string("address");
        if (address.isEmpty()) {
            return Check.gone("the record has no " + kind() + " address");
        }
        ChainAccess access;
        try {
            access = access(ctx);
        } catch (TeeflowException e) {
            return Check.gone(e.getMessage());
        }
        if (!recorded.string("chain-id").map(String.valueOf(access.chain().chainId())::equals).orElse(false)) {
            return Check.gone("the " + kind() + " was deployed on chain " + recorded.string("chain-id").orElse("?")
                    + ", the target is now chain " + access.chain().chainId());
        }
        try {
            return registry(access).isRegistered(address.get()) ? Check.holds()
                    : Check.gone(kind() + " " + address.get() + " is not registered on " + access.chain().describe()
                            + " (a reset devnet?)");
        } catch (ChainException e) {
            return Check.gone("cannot ask " + access.chain().describe() + " (" + e.getMessage() + ")");
        }
    }
}
