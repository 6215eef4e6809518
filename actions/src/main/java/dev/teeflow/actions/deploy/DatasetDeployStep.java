package dev.teeflow.actions.deploy;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.protocol.chain.AssetRegistry;
import dev.teeflow.protocol.chain.DatasetSpec;
import dev.teeflow.protocol.chain.Deployment;
import dev.teeflow.protocol.chain.TxHook;
import java.util.List;

/**
 * {@code dataset.deploy}: a dataset in PoCo's DatasetRegistry, owned by the wallet. A new checksum (new
 * ciphertext) predicts a new address, so it deploys a new dataset; the old one stays on chain.
 *
 * <p>Inputs: {@code name}, {@code multiaddr} (the published download URL), {@code checksum} (0x + sha256
 * of the ciphertext), optional {@code deployed-json}, {@code chain}, {@code wallet}.
 */
public final class DatasetDeployStep extends AssetDeployStep {
    public static final String ID = "dataset.deploy";

    public DatasetDeployStep() {
        this(TxSettings.DEFAULT);
    }

    public DatasetDeployStep(TxSettings settings) {
        super(settings);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    String kind() {
        return "dataset";
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
        return access.hub().datasetRegistry();
    }

    private static DatasetSpec spec(ChainAccess access, Inputs in) {
        try {
            return new DatasetSpec(access.wallet().address(), in.string("name"), in.string("multiaddr"), in.string("checksum"));
        } catch (IllegalArgumentException e) {
            throw new TeeflowException(in.owner() + ": " + e.getMessage());
        }
    }

    @Override
    String predict(ChainAccess access, Inputs in) {
        return access.hub().datasetRegistry().predictDataset(spec(access, in));
    }

    @Override
    Deployment ensure(ChainAccess access, Inputs in, TxHook hook, String recordedTx) {
        return access.hub().datasetRegistry().ensureDataset(spec(access, in), access.sender(), hook, recordedTx);
    }

    @Override
    String createCall(ChainAccess access, Inputs in) {
        return access.hub().datasetRegistry().createDatasetCall(spec(access, in));
    }

    @Override
    GasBounds gasBound() {
        return GasBounds.CREATE_DATASET;
    }
}
