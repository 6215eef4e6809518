package dev.teeflow.protocol.chain;

import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;

import java.util.List;

/**
 * What the three PoCo registries share: CREATE2-predictable assets, {@code isRegistered}, and the
 * idempotent deploy built on both (predict, skip if registered, else create).
 */
public abstract sealed class AssetRegistry permits AppRegistry, DatasetRegistry, WorkerpoolRegistry {
    private final String address;
    private final ContractCaller caller;

    AssetRegistry(String address, ContractCaller caller) {
        this.address = address;
        this.caller = caller;
    }

    public String address() {
        return address;
    }

    ContractCaller caller() {
        return caller;
    }

    public boolean isRegistered(String asset) {
        return caller.call(address, new Function("isRegistered", List.of(new Address(asset)), List.of())).bool(0);
    }

    /** Whether the registry was initialized (PoCo refuses creations before {@code initialize}). */
    public boolean initialized() {
        return caller.call(address, new Function("initialized", List.of(), List.of())).bool(0);
    }

    @SuppressWarnings("rawtypes") // web3j's Function takes a raw List<Type>
    String predict(String function, List<Type> args) {
        return caller.call(address, new Function(function, args, List.of())).address(0);
    }

    @SuppressWarnings("rawtypes")
    String encode(String function, List<Type> args) {
        return FunctionEncoder.encode(new Function(function, args, List.of()));
    }

    /**
     * Sends {@code create} unless {@code predicted} is already registered. The hook sees the tx hash
     * before it is broadcast.
     */
    Deployment ensure(String predicted, String createCall, TxSender sender, TxHook hook) {
        return ensure(predicted, createCall, sender, hook, null);
    }

    /**
     * As {@link #ensure(String, String, TxSender, TxHook)}, after a crash: when {@code recordedTxHash} (the
     * hash an earlier run's hook recorded) is known to the node, wait for it and send nothing; only when the
     * node never saw it, and the asset is still not registered, send a new create.
     */
    Deployment ensure(String predicted, String createCall, TxSender sender, TxHook hook, String recordedTxHash) {
        if (isRegistered(predicted)) {
            return new Deployment(predicted, null);
        }
        if (recordedTxHash != null) {
            try {
                sender.resume(recordedTxHash);
            } catch (TxDroppedException neverSent) {
                // fall through: nothing reached the chain, so one create is safe
            }
            if (isRegistered(predicted)) {
                return new Deployment(predicted, recordedTxHash);
            }
        }
        String txHash = sender.send(address, createCall, hook).getTransactionHash();
        if (!isRegistered(predicted)) {
            throw new ChainException("transaction " + txHash + " succeeded but " + predicted
                    + " is not registered in " + address + ": the predicted address does not match");
        }
        return new Deployment(predicted, txHash);
    }
}
