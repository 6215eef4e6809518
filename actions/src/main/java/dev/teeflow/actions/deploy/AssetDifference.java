package dev.teeflow.actions.deploy;

import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.protocol.chain.ChainException;
import dev.teeflow.protocol.chain.OnChainAsset;
import java.util.ArrayList;
import java.util.List;

/** Says which fields of an asset on chain differ from what a deploy step's inputs describe (for import's refusals). */
final class AssetDifference {
    private AssetDifference() {
    }

    static String describe(ChainAccess access, String kind, String address, Inputs in) {
        if (kind.equals("workerpool")) {
            return "the pipeline's values give another address";
        }
        OnChainAsset asset;
        try {
            boolean registered = kind.equals("app") ? access.hub().appRegistry().isRegistered(address)
                    : access.hub().datasetRegistry().isRegistered(address);
            if (!registered) {
                return "no " + kind + " is registered there on " + access.chain().describe();
            }
            asset = OnChainAsset.read(access.caller(), kind, address);
        } catch (ChainException e) {
            return "the pipeline's values give another address (the " + kind + " there cannot be read: " + e.getMessage() + ")";
        }
        List<String> diffs = new ArrayList<>();
        compare(diffs, "owner", asset.owner(), access.wallet().address(), "the wallet");
        compare(diffs, "name", asset.name(), in.string("name"), "name");
        compare(diffs, "multiaddr", asset.multiaddr(), in.string("multiaddr"), "multiaddr");
        compare(diffs, "checksum", asset.checksum(), in.string("checksum"), "checksum");
        if (kind.equals("app")) {
            compare(diffs, "mrenclave", asset.mrenclave(), in.string("mrenclave", ""), "mrenclave");
        }
        String where = in.owner();
        return diffs.isEmpty() ? "the pipeline's values give another address"
                : "the chain's " + kind + " there differs from " + where + ": " + String.join("; ", diffs);
    }

    private static void compare(List<String> diffs, String field, String onChain, String wanted, String input) {
        if (wanted == null || !onChain.equalsIgnoreCase(wanted.strip())) {
            diffs.add(field + " is '" + onChain + "' on chain, '" + wanted + "' in the pipeline" + (input.equals("the wallet")
                    ? " (the wallet)" : " (" + input + ")"));
        }
    }
}
