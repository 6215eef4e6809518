package dev.teeflow.protocol.chain;

import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;

import java.util.List;

/** PoCo's AppRegistry: predict, check and create apps. */
public final class AppRegistry extends AssetRegistry {
    public AppRegistry(String address, ContractCaller caller) {
        super(address, caller);
    }

    public String predictApp(AppSpec spec) {
        return predict("predictApp", args(spec));
    }

    /** The calldata of {@code createApp}, for callers that send it themselves. */
    public String createAppCall(AppSpec spec) {
        return encode("createApp", args(spec));
    }

    /** Predicts; sends {@code createApp} only when the app is not registered yet. */
    public Deployment ensureApp(AppSpec spec, TxSender sender, TxHook hook) {
        return ensure(predictApp(spec), createAppCall(spec), sender, hook);
    }

    /**
     * Resumes a deploy an earlier run started: waits for {@code recordedTxHash} instead of sending again
     * (see {@link AssetRegistry}); sends {@code createApp} only if that transaction never reached the node.
     */
    public Deployment ensureApp(AppSpec spec, TxSender sender, TxHook hook, String recordedTxHash) {
        return ensure(predictApp(spec), createAppCall(spec), sender, hook, recordedTxHash);
    }

    @SuppressWarnings("rawtypes") // web3j's Function takes a raw List<Type>
    private static List<Type> args(AppSpec spec) {
        return List.of(new Address(spec.owner()), new Utf8String(spec.name()), new Utf8String(spec.type()),
                new DynamicBytes(Multiaddr.encode(spec.multiaddr())),
                new Bytes32(dev.teeflow.protocol.chain.Bytes32.bytes(spec.checksum(), "app checksum")),
                new DynamicBytes(spec.mrenclave()));
    }
}
