package dev.teeflow.protocol.chain;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.web3j.abi.datatypes.Function;

/**
 * What an app or dataset contract holds, read from its public fields (PoCo's {@code App} and
 * {@code Dataset}): to say which field differs when an asset someone names is not the one a pipeline
 * describes. {@code mrenclave} is empty for datasets.
 */
public record OnChainAsset(String address, String owner, String name, String multiaddr, String checksum, String mrenclave) {
    /** Reads an app ({@code kind} "app") or a dataset ("dataset") at {@code address}. */
    public static OnChainAsset read(ContractCaller caller, String kind, String address) {
        String prefix = kind.equals("app") ? "m_app" : "m_dataset";
        String owner = caller.owner(address);
        String name = caller.call(address, view(prefix + "Name")).string(0);
        String multiaddr = Multiaddr.decode(caller.call(address, view(prefix + "Multiaddr")).bytes(0));
        String checksum = caller.call(address, view(prefix + "Checksum")).bytes32(0);
        String mrenclave = kind.equals("app")
                ? new String(caller.call(address, view("m_appMREnclave")).bytes(0), StandardCharsets.UTF_8) : "";
        return new OnChainAsset(address, owner, name, multiaddr, checksum, mrenclave);
    }

    private static Function view(String name) {
        return new Function(name, List.of(), List.of());
    }
}
