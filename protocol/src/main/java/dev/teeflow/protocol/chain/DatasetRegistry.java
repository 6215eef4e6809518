package dev.teeflow.protocol.chain;

import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;

import java.util.List;

/** PoCo's DatasetRegistry: predict, check and create datasets. */
public final class DatasetRegistry extends AssetRegistry {
    public DatasetRegistry(String address, ContractCaller caller) {
        super(address, caller);
    }

    public String predictDataset(DatasetSpec spec) {
        return predict("predictDataset", args(spec));
    }

    public String createDatasetCall(DatasetSpec spec) {
        return encode("createDataset", args(spec));
    }

    /** Predicts; sends {@code createDataset} only when the dataset is not registered yet. */
    public Deployment ensureDataset(DatasetSpec spec, TxSender sender, TxHook hook) {
        return ensure(predictDataset(spec), createDatasetCall(spec), sender, hook);
    }

    /**
     * Resumes a deploy an earlier run started: waits for {@code recordedTxHash} instead of sending again
     * (see {@link AssetRegistry}); sends {@code createDataset} only if that transaction never reached the node.
     */
    public Deployment ensureDataset(DatasetSpec spec, TxSender sender, TxHook hook, String recordedTxHash) {
        return ensure(predictDataset(spec), createDatasetCall(spec), sender, hook, recordedTxHash);
    }

    @SuppressWarnings("rawtypes") // web3j's Function takes a raw List<Type>
    private static List<Type> args(DatasetSpec spec) {
        return List.of(new Address(spec.owner()), new Utf8String(spec.name()),
                new DynamicBytes(Multiaddr.encode(spec.multiaddr())),
                new Bytes32(dev.teeflow.protocol.chain.Bytes32.bytes(spec.checksum(), "dataset checksum")));
    }
}
