package dev.teeflow.actions.chain;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.MapReader;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.SectionType;
import dev.teeflow.protocol.sign.Hex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code chains:}, the user's own chains (or overrides of built-in ones), inline or as a file:
 *
 * <pre>
 * chains:
 *   mychain: { id: 65535, rpc: http://10.0.0.5:8545, hub: 0x..., sms: http://10.0.0.5:13300 }
 *   bellecour: { sms: { scone: https://sms.scone-debug.v8-bellecour.iex.ec } }   # override one field
 * # or
 * chains: chains.yaml
 * </pre>
 *
 * Checked here with file:line errors; emits no step.
 */
public final class ChainsSection implements SectionType {
    @Override
    public String key() {
        return Targets.CHAINS_KEY;
    }

    @Override
    public String doc() {
        return "Your own chains, or overrides of built-in ones, inline or as a file; makes no step. Example: "
                + "chains: { mychain: { id: 65535, rpc: http://10.0.0.5:8545, hub: '0x...', sms: "
                + "http://10.0.0.5:13300 } }, or chains: chains.yaml.";
    }

    @Override
    public void expand(ConfigNode section, ConfigNode root, Problems problems, Consumer<StepSpec> emit) {
        if (section.isScalar() && section.value() instanceof String file) {
            Optional<Path> dir = Targets.projectDir(root);
            if (dir.isPresent()) {
                Path p = dir.get().resolve(file).normalize();
                if (!Files.isRegularFile(p)) {
                    problems.error(section, "chains file " + p + " does not exist");
                } else {
                    checkFile(section, p, problems);
                }
            }
            return;
        }
        if (!section.isMap()) {
            problems.error(section, "expected a map of chain name to { id, rpc, hub, sms, ... } or the path of a"
                    + " chains file, found " + section.describeKind());
            return;
        }
        Set<String> sdkNames = sdkChainNames(root);
        for (var e : section.entries().entrySet()) {
            String name = e.getKey();
            boolean base = Targets.devnetName(name).isPresent() || BuiltInChains.entry(name).isPresent()
                    || sdkNames.contains(BuiltInChains.canonical(name));
            checkEntry(e.getValue(), !base, problems);
        }
    }

    /** Checks one entry; {@code complete}: it defines a new chain, so it needs id, rpc, hub and sms. */
    static void checkEntry(ConfigNode entry, boolean complete, Problems problems) {
        if (!entry.isMap()) {
            problems.error(entry, "expected a map such as { id: 65535, rpc: http://..., hub: 0x..., sms: http://... },"
                    + " found " + entry.describeKind());
            return;
        }
        MapReader r = new MapReader(entry, problems);
        r.allow(ChainEntry.PIPELINE_FIELDS.toArray(String[]::new));
        r.rejectUnknownKeys();
        r.node("id").ifPresent(id -> {
            if (!(id.value() instanceof Long l) || l <= 0) {
                problems.error(id, "expected a chain id (a positive whole number), found " + id.describeKind());
            }
        });
        for (String url : List.of("rpc", "market", "ipfs-gateway", "compass")) {
            r.node(url).ifPresent(n -> checkUrl(n, problems));
        }
        for (String address : List.of("hub", "app-registry", "dataset-registry", "workerpool-registry")) {
            r.node(address).ifPresent(n -> {
                if (n.isScalar() && !(n.value() instanceof String)) {
                    problems.error(n, "expected an address; write it in quotes so that YAML keeps it as text");
                } else if (!n.isScalar() || !Hex.isAddress(n.asText())) {
                    problems.error(n, "expected an address (0x followed by 40 hex digits)");
                }
            });
        }
        r.node("sms").ifPresent(sms -> {
            if (sms.isMap()) {
                for (var f : sms.entries().entrySet()) {
                    if (!ChainEntry.FRAMEWORKS.contains(f.getKey())) {
                        problems.error(f.getValue(), "unknown TEE framework '" + f.getKey() + "'"
                                + dev.teeflow.engine.config.Suggestions.didYouMean(f.getKey(), ChainEntry.FRAMEWORKS)
                                + " (expected one of " + ChainEntry.FRAMEWORKS + ")");
                    } else {
                        checkUrl(f.getValue(), problems);
                    }
                }
            } else {
                checkUrl(sms, problems);
            }
        });
        r.optionalString("tee-framework").filter(f -> !ChainEntry.FRAMEWORKS.contains(f)).ifPresent(f ->
                problems.error(entry.get("tee-framework"), "tee-framework must be one of " + ChainEntry.FRAMEWORKS
                        + ", not '" + f + "'"));
        if (complete) {
            List<String> missing = new ArrayList<>();
            for (String field : List.of("id", "rpc", "hub", "sms")) {
                if (entry.get(field) == null) {
                    missing.add(field);
                }
            }
            if (!missing.isEmpty()) {
                problems.error(entry, "a new chain needs " + String.join(", ", missing)
                        + " (only built-in chains and chains from chain.json may be partly overridden)");
            }
        }
    }

    private static void checkUrl(ConfigNode n, Problems problems) {
        String text = n.isScalar() ? n.asText() : null;
        if (text == null || !(text.startsWith("http://") || text.startsWith("https://"))) {
            problems.error(n, "expected an http:// or https:// URL, found " + (text == null ? n.describeKind() : "'" + text + "'"));
        }
    }

    private static void checkFile(ConfigNode section, Path file, Problems problems) {
        try {
            for (Map.Entry<String, Map<?, ?>> e : ChainFiles.readChainsFile(file).entrySet()) {
                ChainEntry.fromPipeline(file + ": chains." + e.getKey(), e.getValue());
            }
        } catch (TeeflowException e) {
            problems.error(section, e.getMessage());
        }
    }

    private static Set<String> sdkChainNames(ConfigNode root) {
        Optional<Path> dir = Targets.projectDir(root);
        if (dir.isEmpty()) {
            return Set.of();
        }
        Path sdk = dir.get().resolve(ChainFiles.SDK_CHAIN_FILE);
        if (!Files.isRegularFile(sdk)) {
            return Set.of();
        }
        try {
            Set<String> names = new java.util.LinkedHashSet<>();
            ChainFiles.readSdkChainJson(sdk).keySet().forEach(n -> names.add(BuiltInChains.canonical(n)));
            return names;
        } catch (TeeflowException e) {
            return Set.of();
        }
    }
}
