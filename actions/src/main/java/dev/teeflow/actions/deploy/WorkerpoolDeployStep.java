package dev.teeflow.actions.deploy;

import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.protocol.chain.AssetRegistry;
import dev.teeflow.protocol.chain.Deployment;
import dev.teeflow.protocol.chain.TxHook;
import dev.teeflow.protocol.chain.WorkerpoolSpec;
import java.util.List;

/**
 * {@code workerpool.deploy}: a workerpool in PoCo's WorkerpoolRegistry, owned by the wallet.
 *
 * <p>Inputs: {@code description}, optional {@code deployed-json}, {@code chain}, {@code wallet}.
 */
public final class WorkerpoolDeployStep extends AssetDeployStep {
    public static final String ID = "workerpool.deploy";

    public WorkerpoolDeployStep() {
        this(TxSettings.DEFAULT);
    }

    public WorkerpoolDeployStep(TxSettings settings) {
        super(settings);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    String kind() {
        return "workerpool";
    }

    @Override
    String label(Inputs in) {
        return "'" + in.string("description") + "'";
    }

    @Override
    List<String> requiredInputs() {
        return List.of("description");
    }

    @Override
    AssetRegistry registry(ChainAccess access) {
        return access.hub().workerpoolRegistry();
    }

    private static WorkerpoolSpec spec(ChainAccess access, Inputs in) {
        return new WorkerpoolSpec(access.wallet().address(), in.string("description"));
    }

    @Override
    String predict(ChainAccess access, Inputs in) {
        return access.hub().workerpoolRegistry().predictWorkerpool(spec(access, in));
    }

    @Override
    Deployment ensure(ChainAccess access, Inputs in, TxHook hook, String recordedTx) {
        return access.hub().workerpoolRegistry().ensureWorkerpool(spec(access, in), access.sender(), hook, recordedTx);
    }

    @Override
    String createCall(ChainAccess access, Inputs in) {
        return access.hub().workerpoolRegistry().createWorkerpoolCall(spec(access, in));
    }

    @Override
    GasBounds gasBound() {
        return GasBounds.CREATE_WORKERPOOL;
    }
}
