package dev.teeflow.actions.deploy;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.protocol.chain.AppRegistry;
import dev.teeflow.protocol.chain.AppSpec;
import dev.teeflow.protocol.chain.AssetRegistry;
import dev.teeflow.protocol.chain.Deployment;
import dev.teeflow.protocol.chain.TxHook;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code app.deploy}: an app in PoCo's AppRegistry, owned by the wallet.
 *
 * <p>Inputs: {@code name}, {@code multiaddr} (the pushed image reference), {@code checksum} (0x + the
 * manifest digest), {@code mrenclave} (the SCONE JSON text from the tee step; empty for tdx and none),
 * optional {@code type} (default DOCKER) and {@code deployed-json}, {@code chain}, {@code wallet}.
 */
public final class AppDeployStep extends AssetDeployStep {
    public static final String ID = "app.deploy";

    public AppDeployStep() {
        this(TxSettings.DEFAULT);
    }

    public AppDeployStep(TxSettings settings) {
        super(settings);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    String kind() {
        return "app";
    }

    @Override
    String label(Inputs in) {
        return in.string("name");
    }

    @Override
    List<String> requiredInputs() {
        return List.of("name", "multiaddr", "checksum");
    }

    @Override
    AssetRegistry registry(ChainAccess access) {
        return access.hub().appRegistry();
    }

    static AppSpec spec(ChainAccess access, Inputs in) {
        String mrenclave = in.string("mrenclave", "");
        try {
            return new AppSpec(access.wallet().address(), in.string("name"), in.string("type", "DOCKER"),
                    in.string("multiaddr"), in.string("checksum"), mrenclave.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new TeeflowException(in.owner() + ": " + e.getMessage());
        }
    }

    @Override
    String predict(ChainAccess access, Inputs in) {
        return access.hub().appRegistry().predictApp(spec(access, in));
    }

    @Override
    Deployment ensure(ChainAccess access, Inputs in, TxHook hook, String recordedTx) {
        AppRegistry registry = access.hub().appRegistry();
        return registry.ensureApp(spec(access, in), access.sender(), hook, recordedTx);
    }

    @Override
    String createCall(ChainAccess access, Inputs in) {
        return access.hub().appRegistry().createAppCall(spec(access, in));
    }

    @Override
    GasBounds gasBound() {
        return GasBounds.CREATE_APP;
    }
}
