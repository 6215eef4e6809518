package dev.teeflow.actions.chain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The public iExec networks teeflow knows without configuration. Values come from the iExec SDK's
 * own defaults (v9.0 for Arbitrum, v8.24 for Bellecour) and the default workerpools of iExec's
 * iapp tooling; a pipeline's {@code chains:} or a {@code chain.json} may override any field.
 */
public final class BuiltInChains {
    public static final String DEVNET = "devnet";

    private static final Map<String, ChainEntry> CHAINS = new LinkedHashMap<>();
    /** The names the iExec SDK uses, so that a {@code chain.json} written for the SDK lines up. */
    private static final Map<String, String> SDK_ALIASES = Map.of(
            "arbitrum-sepolia-testnet", "arbitrum-sepolia",
            "arbitrum-mainnet", "arbitrum");

    static {
        CHAINS.put("arbitrum-sepolia", new ChainEntry(421614L, "https://sepolia-rollup.arbitrum.io/rpc",
                "0xB2157BF2fAb286b2A4170E3491Ac39770111Da3E",
                Map.of(ChainConfig.ANY_FRAMEWORK, "https://sms.arbitrum-sepolia-testnet.iex.ec"),
                "https://api-market.arbitrum-sepolia-testnet.iex.ec",
                "https://ipfs-gateway.arbitrum-sepolia-testnet.iex.ec",
                "0xB967057a21dc6A66A29721d96b8Aa7454B7c383F", ChainConfig.TDX, Map.of(), false,
                "https://compass.arbitrum-sepolia-testnet.iex.ec"));
        CHAINS.put("arbitrum", new ChainEntry(42161L, "https://arb1.arbitrum.io/rpc",
                "0x098bFCb1E50ebcA0BaA92C12eA0c3F045A1aD9f0",
                Map.of(ChainConfig.ANY_FRAMEWORK, "https://sms.arbitrum-mainnet.iex.ec"),
                "https://api.market.arbitrum-mainnet.iex.ec",
                "https://ipfs-gateway.arbitrum-mainnet.iex.ec",
                "0x2C06263943180Cc024dAFfeEe15612DB6e5fD248", ChainConfig.TDX, Map.of(), false,
                "https://compass.arbitrum-mainnet.iex.ec"));
        // Legacy SCONE network (dropped by SDK v9): production SMS and workerpool; the tutorial's debug
        // flow overrides sms.scone and workerpool (see docs/wallet-and-targets.md).
        CHAINS.put("bellecour", new ChainEntry(134L, "https://bellecour.iex.ec",
                "0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f",
                Map.of(ChainConfig.SCONE, "https://sms.iex.ec"),
                "https://api.market.v8-bellecour.iex.ec",
                "https://ipfs-gateway.v8-bellecour.iex.ec",
                "prod-v8-bellecour.main.pools.iexec.eth", ChainConfig.SCONE, Map.of(), false, null));
    }

    private BuiltInChains() {
    }

    /** Built-in names, without the devnet (which is read from the running devnet). */
    public static Set<String> names() {
        return Collections.unmodifiableSet(CHAINS.keySet());
    }

    /** The built-in entry for {@code name} (an SDK name such as {@code arbitrum-mainnet} works too). */
    public static Optional<ChainEntry> entry(String name) {
        return Optional.ofNullable(CHAINS.get(canonical(name)));
    }

    public static Optional<ChainConfig> get(String name) {
        return entry(name).map(e -> e.toConfig(canonical(name)));
    }

    /** {@code arbitrum-mainnet} -> {@code arbitrum}; other names unchanged. */
    public static String canonical(String name) {
        return SDK_ALIASES.getOrDefault(name, name);
    }

    /** The SDK names that mean {@code name}, e.g. {@code arbitrum-sepolia-testnet} for {@code arbitrum-sepolia}. */
    static Set<String> sdkNamesOf(String name) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        SDK_ALIASES.forEach((sdk, ours) -> {
            if (ours.equals(name)) {
                out.add(sdk);
            }
        });
        return out;
    }
}
