package dev.teeflow.actions.chain;

import dev.teeflow.engine.TeeflowException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A chain as one source describes it, possibly in part: a pipeline's {@code chains:} entry, an
 * iExec SDK {@code chain.json} entry, a built-in or the devnet's info file. Entries for the same name
 * are layered with {@link #over}, so a user can change one field of a built-in chain (its SMS, say)
 * the way the iExec CLI lets {@code chain.json} override its defaults.
 */
public record ChainEntry(Long chainId, String rpc, String hub, Map<String, String> sms, String market,
                         String ipfsGateway, String workerpool, String teeFramework,
                         Map<String, String> registries, Boolean devnet, String compass) {
    /** The fields a pipeline (or a chains file) may write for a chain. */
    public static final Set<String> PIPELINE_FIELDS = Set.of("id", "rpc", "hub", "sms", "market", "ipfs-gateway",
            "workerpool", "tee-framework", "app-registry", "dataset-registry", "workerpool-registry", "compass");
    public static final Set<String> FRAMEWORKS = Set.of(ChainConfig.TDX, ChainConfig.SCONE);

    public ChainEntry {
        sms = sms == null ? Map.of() : Map.copyOf(sms);
        registries = registries == null ? Map.of() : Map.copyOf(registries);
    }

    public static ChainEntry empty() {
        return new ChainEntry(null, null, null, Map.of(), null, null, null, null, Map.of(), null, null);
    }

    /**
     * Reads a pipeline-style entry ({@code id, rpc, hub, sms, market, ipfs-gateway, workerpool,
     * tee-framework, *-registry, compass}). Throws naming {@code where} on a bad field; the section types
     * report the same problems earlier with file:line.
     */
    public static ChainEntry fromPipeline(String where, Map<?, ?> map) {
        List<String> problems = new ArrayList<>();
        for (Object k : map.keySet()) {
            if (!PIPELINE_FIELDS.contains(String.valueOf(k))) {
                problems.add("unknown field '" + k + "'");
            }
        }
        Map<String, String> registries = new LinkedHashMap<>();
        for (String kind : List.of("app", "dataset", "workerpool")) {
            String v = text(map.get(kind + "-registry"));
            if (v != null) {
                registries.put(kind, v);
            }
        }
        ChainEntry e = new ChainEntry(chainId(map.get("id"), problems), text(map.get("rpc")), text(map.get("hub")),
                sms(map.get("sms"), problems), text(map.get("market")), text(map.get("ipfs-gateway")),
                text(map.get("workerpool")), text(map.get("tee-framework")), registries, null, text(map.get("compass")));
        if (e.teeFramework != null && !FRAMEWORKS.contains(e.teeFramework)) {
            problems.add("tee-framework must be one of " + FRAMEWORKS + ", not '" + e.teeFramework + "'");
        }
        if (!problems.isEmpty()) {
            throw new TeeflowException(where + ": " + String.join("; ", problems));
        }
        return e;
    }

    /**
     * Reads an iExec SDK {@code chain.json} entry ({@code id, host, hub, sms, iexecGateway,
     * ipfsGateway, defaultTeeFramework, compass}); keys teeflow does not use are ignored, as they only
     * matter to the SDK.
     */
    public static ChainEntry fromSdk(String where, Map<?, ?> map) {
        List<String> problems = new ArrayList<>();
        ChainEntry e = new ChainEntry(chainId(map.get("id"), problems), text(map.get("host")), text(map.get("hub")),
                sms(map.get("sms"), problems), text(map.get("iexecGateway")), text(map.get("ipfsGateway")),
                null, text(map.get("defaultTeeFramework")), Map.of(), null, text(map.get("compass")));
        if (!problems.isEmpty()) {
            throw new TeeflowException(where + ": " + String.join("; ", problems));
        }
        return e;
    }

    /** This entry with {@code top}'s fields laid over it. */
    public ChainEntry with(ChainEntry top) {
        Map<String, String> mergedSms = new LinkedHashMap<>(sms);
        if (top.sms.containsKey(ChainConfig.ANY_FRAMEWORK)) {
            // a plain URL means "this SMS for every framework": it replaces the per-framework ones
            mergedSms.clear();
        }
        mergedSms.putAll(top.sms);
        Map<String, String> mergedRegistries = new LinkedHashMap<>(registries);
        mergedRegistries.putAll(top.registries);
        return new ChainEntry(pick(top.chainId, chainId), pick(top.rpc, rpc), pick(top.hub, hub), mergedSms,
                pick(top.market, market), pick(top.ipfsGateway, ipfsGateway), pick(top.workerpool, workerpool),
                pick(top.teeFramework, teeFramework), mergedRegistries, pick(top.devnet, devnet),
                pick(top.compass, compass));
    }

    /** The finished chain; throws naming the missing fields. */
    public ChainConfig toConfig(String name) {
        List<String> missing = new ArrayList<>();
        if (chainId == null) {
            missing.add("id");
        }
        if (rpc == null) {
            missing.add("rpc");
        }
        if (hub == null) {
            missing.add("hub");
        }
        if (sms.isEmpty()) {
            missing.add("sms");
        }
        if (!missing.isEmpty()) {
            throw new TeeflowException("chain '" + name + "' is missing " + String.join(", ", missing)
                    + "; set them under chains: { " + name + ": { ... } } in the pipeline");
        }
        return new ChainConfig(name, chainId, rpc, hub, sms, market, ipfsGateway, workerpool, teeFramework,
                registries, Boolean.TRUE.equals(devnet), compass);
    }

    private static <T> T pick(T top, T base) {
        return top != null ? top : base;
    }

    private static String text(Object v) {
        return v == null ? null : v.toString();
    }

    private static Long chainId(Object v, List<String> problems) {
        if (v == null) {
            return null;
        }
        try {
            long id = v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().trim());
            if (id <= 0) {
                problems.add("id must be a positive chain id, not " + v);
                return null;
            }
            return id;
        } catch (NumberFormatException e) {
            problems.add("id must be a chain id (a whole number), not '" + v + "'");
            return null;
        }
    }

    private static Map<String, String> sms(Object v, List<String> problems) {
        if (v == null) {
            return Map.of();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, String> out = new LinkedHashMap<>();
            m.forEach((k, url) -> {
                String f = String.valueOf(k);
                if (!FRAMEWORKS.contains(f)) {
                    problems.add("sms: unknown TEE framework '" + f + "' (expected " + FRAMEWORKS + ")");
                } else if (url != null) {
                    out.put(f, url.toString());
                }
            });
            return out;
        }
        if (v instanceof List) {
            problems.add("sms must be a URL or a map of TEE framework to URL");
            return Map.of();
        }
        return Map.of(ChainConfig.ANY_FRAMEWORK, v.toString());
    }
}
