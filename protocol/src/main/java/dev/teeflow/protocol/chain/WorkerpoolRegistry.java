package dev.teeflow.protocol.chain;

import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;

import java.util.List;

/** PoCo's WorkerpoolRegistry: predict, check and create workerpools. */
public final class WorkerpoolRegistry extends AssetRegistry {
    public WorkerpoolRegistry(String address, ContractCaller caller) {
        super(address, caller);
    }

    public String predictWorkerpool(WorkerpoolSpec spec) {
        return predict("predictWorkerpool", args(spec));
    }

    public String createWorkerpoolCall(WorkerpoolSpec spec) {
        return encode("createWorkerpool", args(spec));
    }

    /** Predicts; sends {@code createWorkerpool} only when the workerpool is not registered yet. */
    public Deployment ensureWorkerpool(WorkerpoolSpec spec, TxSender sender, TxHook hook) {
        return ensure(predictWorkerpool(spec), createWorkerpoolCall(spec), sender, hook);
    }

    /**
     * Resumes a deploy an earlier run started: waits for {@code recordedTxHash} instead of sending again
     * (see {@link AssetRegistry}); sends {@code createWorkerpool} only if that transaction never reached the node.
     */
    public Deployment ensureWorkerpool(WorkerpoolSpec spec, TxSender sender, TxHook hook, String recordedTxHash) {
        return ensure(predictWorkerpool(spec), createWorkerpoolCall(spec), sender, hook, recordedTxHash);
    }

    @SuppressWarnings("rawtypes") // web3j's Function takes a raw List<Type>
    private static List<Type> args(WorkerpoolSpec spec) {
        return List.of(new Address(spec.owner()), new Utf8String(spec.description()));
    }
}
