package dev.teeflow.actions.chain;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.protocol.devnet.DevnetInfo;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One iExec network as data: where its chain, hub, SMS, market API and IPFS gateway are, and the
 * defaults a pipeline uses there. Built-in chains, the running devnet, an iExec SDK {@code chain.json}
 * and the pipeline's own {@code chains:} all become one of these.
 *
 * @param name the name a pipeline targets ({@code devnet}, {@code arbitrum-sepolia})
 * @param chainId the EVM chain id
 * @param rpc JSON-RPC endpoint
 * @param hub the PoCo hub (diamond) address
 * @param sms SMS URL per TEE framework ({@code tdx}, {@code scone}); a devnet has one SMS for all
 * @param market market API (the iExec SDK's {@code iexecGateway}); may be {@code null}
 * @param ipfsGateway where task results are downloaded; may be {@code null}
 * @param workerpool default workerpool (address or ENS name); may be {@code null}
 * @param teeFramework the TEE framework used when a step does not say ({@code tdx} or {@code scone})
 * @param registries registry addresses when known in advance ({@code app}, {@code dataset},
 *     {@code workerpool}); otherwise they are read from the hub
 * @param devnet true for a local devnet whose keys are public test keys
 * @param compass iExec's Compass, which maps a workerpool to its API ({@code teeflow logs}); may be {@code null}
 */
public record ChainConfig(String name, long chainId, String rpc, String hub, Map<String, String> sms,
                          String market, String ipfsGateway, String workerpool, String teeFramework,
                          Map<String, String> registries, boolean devnet, String compass) {
    public static final String TDX = "tdx";
    public static final String SCONE = "scone";
    /** Key of {@link #sms} for an SMS that serves every framework (written as a plain URL). */
    public static final String ANY_FRAMEWORK = "*";

    public ChainConfig {
        sms = Collections.unmodifiableMap(new LinkedHashMap<>(sms == null ? Map.of() : sms));
        registries = Collections.unmodifiableMap(new LinkedHashMap<>(registries == null ? Map.of() : registries));
        teeFramework = teeFramework == null ? TDX : teeFramework;
    }

    /** The SMS for {@code framework} (the chain's default framework when {@code null}). */
    public URI smsUrl(String framework) {
        String f = framework == null || framework.isBlank() ? teeFramework : framework;
        String url = sms.getOrDefault(f, sms.get(ANY_FRAMEWORK));
        if (url == null) {
            throw new TeeflowException("chain '" + name + "' has no SMS for TEE framework '" + f + "'"
                    + (sms.isEmpty() ? "" : " (it has one for " + String.join(", ", sms.keySet()) + ")")
                    + "; add one under chains: { " + name + ": { sms: { " + f + ": https://... } } }");
        }
        return URI.create(url);
    }

    public URI smsUrl() {
        return smsUrl(null);
    }

    /**
     * Where datasets are uploaded to IPFS ({@code POST <node>/api/v0/add}): the iExec SDK's {@code ipfsNode} of the
     * built-in chains, and on a devnet its storage, which is node and gateway at one URL; empty otherwise.
     */
    public Optional<String> ipfsNode() {
        if (devnet) {
            return Optional.ofNullable(ipfsGateway);
        }
        return Optional.ofNullable(switch ((int) chainId) {
            case 421614 -> "https://ipfs-upload.arbitrum-sepolia-testnet.iex.ec";
            case 42161 -> "https://ipfs-upload.arbitrum-mainnet.iex.ec";
            case 134 -> "https://ipfs-upload.v8-bellecour.iex.ec";
            default -> null;
        });
    }

    public Optional<String> registry(String kind) {
        return Optional.ofNullable(registries.get(kind));
    }

    /** For a devnet target, its name ({@code default} for {@code target: devnet}). */
    public Optional<String> devnetName() {
        return devnet ? Targets.devnetName(name).or(() -> Optional.of(DevnetInfo.DEFAULT_NAME)) : Optional.empty();
    }

    /** The command that starts this devnet: {@code teeflow devnet up [--name N]}. */
    public static String startCommand(String devnetName) {
        return "teeflow devnet up" + (DevnetInfo.DEFAULT_NAME.equals(devnetName) ? "" : " --name " + devnetName);
    }

    /** A short description for logs: {@code arbitrum-sepolia (chain 421614)}. */
    public String describe() {
        return name + " (chain " + chainId + (devnet ? ", local devnet" : "") + ")";
    }
}
