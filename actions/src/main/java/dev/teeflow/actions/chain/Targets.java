package dev.teeflow.actions.chain;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Diagnostic;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.config.Suggestions;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.protocol.devnet.DevnetInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pipeline's {@code target:} as a step input. Section types that emit chain-bound steps (deploy,
 * push-secret, publish, run) call {@link #inputFor} and put the result under the input {@code chain};
 * the step calls {@link ChainResolver#resolve} at run time. The input holds the target's name and,
 * when the pipeline defines or overrides that chain inline, its entry, so that editing the entry
 * changes the steps' cache keys.
 *
 * <pre>
 * target: arbitrum-sepolia          # default: devnet
 * chains:
 *   mychain: { id: 65535, rpc: http://10.0.0.5:8545, hub: 0x..., sms: http://10.0.0.5:13300 }
 * </pre>
 */
public final class Targets {
    public static final String TARGET_KEY = "target";
    public static final String CHAINS_KEY = "chains";
    static final String DEVNET_PREFIX = BuiltInChains.DEVNET + ":";

    private Targets() {
    }

    /**
     * The value to put under a step's {@code chain} input: {@code {name: <target>}} plus
     * {@code entry} (the inline {@code chains:} entry for it) or {@code file} (the chains file).
     * Problems with {@code target:} are recorded once however many sections ask.
     */
    public static Map<String, Object> inputFor(ConfigNode root, Problems problems) {
        validate(root, problems);
        String name = targetName(root);
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("name", name);
        ConfigNode chains = root == null ? null : root.get(CHAINS_KEY);
        if (chains != null && chains.isMap() && chains.get(name) != null && chains.get(name).isMap()) {
            input.put("entry", chains.get(name).toPlain());
        } else if (chains != null && chains.isScalar() && chains.value() instanceof String file) {
            input.put("file", file);
        }
        return input;
    }

    /** The written target, or {@code devnet}. */
    public static String targetName(ConfigNode root) {
        ConfigNode t = root == null ? null : root.get(TARGET_KEY);
        return t != null && t.isScalar() && t.value() instanceof String s && !s.isBlank() ? s.trim() : BuiltInChains.DEVNET;
    }

    /** The devnet's name when {@code target} is {@code devnet} or {@code devnet:<name>}. */
    public static Optional<String> devnetName(String target) {
        if (target.equals(BuiltInChains.DEVNET)) {
            return Optional.of(DevnetInfo.DEFAULT_NAME);
        }
        if (target.startsWith(DEVNET_PREFIX) && target.length() > DEVNET_PREFIX.length()) {
            return Optional.of(target.substring(DEVNET_PREFIX.length()));
        }
        return Optional.empty();
    }

    /** Checks {@code target:}: a name of a built-in chain, the devnet, or a chain defined by the user. */
    static void validate(ConfigNode root, Problems problems) {
        ConfigNode t = root == null ? null : root.get(TARGET_KEY);
        if (t == null || t.isNull()) {
            return;
        }
        if (!t.isScalar() || !(t.value() instanceof String s) || s.isBlank()) {
            once(problems, t, "expected the name of a chain (devnet, arbitrum-sepolia, arbitrum, bellecour or one"
                    + " defined under 'chains:'), found " + t.describeKind());
            return;
        }
        String name = s.trim();
        if (devnetName(name).isPresent() || BuiltInChains.entry(name).isPresent()) {
            return;
        }
        Optional<Set<String>> user = userChainNames(root);
        if (user.isEmpty()) {
            return; // a chains file or chain.json could not be read here; the resolver decides at run time
        }
        if (!user.get().contains(name)) {
            Set<String> known = new LinkedHashSet<>();
            known.add(BuiltInChains.DEVNET);
            known.addAll(BuiltInChains.names());
            known.addAll(user.get());
            once(problems, t, "unknown chain '" + name + "'" + Suggestions.didYouMean(name, known)
                    + "; known chains: " + String.join(", ", known)
                    + " (define others under 'chains:' or in the project's chain.json)");
        }
    }

    /** Names the user defined (inline, chains file, chain.json); empty when a file could not be read. */
    static Optional<Set<String>> userChainNames(ConfigNode root) {
        Set<String> names = new LinkedHashSet<>();
        Optional<Path> projectDir = projectDir(root);
        ConfigNode chains = root.get(CHAINS_KEY);
        if (chains != null && chains.isMap()) {
            names.addAll(chains.entries().keySet());
        } else if (chains != null && chains.isScalar() && chains.value() instanceof String file) {
            if (projectDir.isEmpty()) {
                return Optional.empty();
            }
            try {
                names.addAll(ChainFiles.readChainsFile(projectDir.get().resolve(file)).keySet());
            } catch (TeeflowException e) {
                return Optional.empty(); // reported by the chains section
            }
        }
        if (projectDir.isEmpty()) {
            return Optional.empty();
        }
        Path sdk = projectDir.get().resolve(ChainFiles.SDK_CHAIN_FILE);
        if (Files.isRegularFile(sdk)) {
            try {
                ChainFiles.readSdkChainJson(sdk).keySet().forEach(n -> names.add(BuiltInChains.canonical(n)));
            } catch (TeeflowException e) {
                return Optional.empty();
            }
        }
        return Optional.of(names);
    }

    /** The folder of the pipeline file, when the tree knows it. */
    static Optional<Path> projectDir(ConfigNode root) {
        if (root == null || root.location() == null || root.location().file() == null) {
            return Optional.empty();
        }
        Path parent = root.location().file().toAbsolutePath().getParent();
        return Optional.ofNullable(parent);
    }

    /** Records a problem unless the same one is already there (several sections ask the same question). */
    static void once(Problems problems, ConfigNode node, String message) {
        Diagnostic d = new Diagnostic(node.location(), node.path(), message);
        if (!problems.all().contains(d)) {
            problems.add(d);
        }
    }
}
