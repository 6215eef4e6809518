package dev.teeflow.devnet;

import dev.teeflow.protocol.devnet.DevnetInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What makes the official iexec CLI (npm {@code iexec} 9.x) target a devnet: its {@code chain.json} (keys checked
 * against the SDK's schema: id, host, hub, sms, ipfsGateway, iexecGateway, compass; unknown keys are refused there) and the
 * wallet import line for a dev account.
 */
public final class IexecCliConfig {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private IexecCliConfig() {
    }

    /** The chain's name in chain.json: {@code teeflow-<devnet name>}, the default chain. */
    public static String chainName(DevnetInfo info) {
        return "teeflow-" + info.name();
    }

    public static String chainJson(DevnetInfo info) {
        ObjectNode root = JSON.createObjectNode();
        root.put("default", chainName(info));
        ObjectNode chain = root.putObject("chains").putObject(chainName(info));
        chain.put("id", Long.toString(info.chainId())); // the SDK wants a string
        chain.put("host", info.rpc());
        chain.put("hub", info.hub());
        chain.put("sms", info.sms());
        chain.put("ipfsGateway", info.ipfsGateway());
        chain.put("iexecGateway", info.market());
        if (info.compass() != null) {
            chain.put("compass", info.compass()); // `iexec task debug` finds the workerpool API through it
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (java.io.IOException e) {
            throw new DevnetException("cannot render chain.json", e);
        }
    }

    /** The command that stores the account's PUBLIC TEST KEY as {@code wallet.json} in the current directory. */
    public static String walletImportCommand(DevnetInfo.Account account) {
        return "iexec wallet import " + account.privateKey() + " --unencrypted";
    }
}
