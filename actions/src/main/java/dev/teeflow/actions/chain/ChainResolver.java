package dev.teeflow.actions.chain;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.Suggestions;
import dev.teeflow.engine.spi.InputFile;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.protocol.devnet.DevnetInfo;
import dev.teeflow.protocol.home.TeeflowHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a step's {@code chain} input (made by {@link Targets#inputFor}) into a {@link ChainConfig} at
 * run time. Layers, later ones winning field by field: the built-in chain or the running devnet's
 * info file, then the project's iExec SDK {@code chain.json} entry, then the chains file, then the
 * pipeline's inline entry.
 */
public final class ChainResolver {
    private final Path teeflowHome;

    /** A resolver that finds devnets under {@code teeflowHome} ({@code ~/.teeflow}). */
    public ChainResolver(Path teeflowHome) {
        this.teeflowHome = teeflowHome;
    }

    /** A resolver using {@code $TEEFLOW_HOME} or {@code ~/.teeflow}. */
    public static ChainResolver fromEnvironment() {
        return new ChainResolver(TeeflowHome.of(System.getenv()));
    }

    /** What steps use: {@code TEEFLOW_HOME} of the environment the engine gives the step. */
    public static ChainResolver of(dev.teeflow.engine.spi.StepContext ctx) {
        return new ChainResolver(TeeflowHome.of(ctx.environment()));
    }

    public Path teeflowHome() {
        return teeflowHome;
    }

    public ChainConfig chain(Inputs chainInput, Path projectDir) {
        String name = chainInput.string("name", BuiltInChains.DEVNET);
        String canonical = BuiltInChains.canonical(name);
        boolean found = false;
        ChainEntry merged = ChainEntry.empty();

        Optional<String> devnet = Targets.devnetName(name);
        if (devnet.isPresent()) {
            merged = entryOf(devnetInfo(devnet.get()));
            found = true;
        } else if (BuiltInChains.entry(name).isPresent()) {
            merged = BuiltInChains.entry(name).get();
            found = true;
        }

        Path sdkFile = projectDir.resolve(ChainFiles.SDK_CHAIN_FILE);
        if (Files.isRegularFile(sdkFile)) {
            Map<String, Map<?, ?>> sdk = ChainFiles.readSdkChainJson(sdkFile);
            for (String candidate : sdkNames(name, canonical)) {
                if (sdk.containsKey(candidate)) {
                    merged = merged.with(ChainEntry.fromSdk(sdkFile + ": chain '" + candidate + "'", sdk.get(candidate)));
                    found = true;
                    break;
                }
            }
        }

        Optional<String> file = chainInput.optionalString("file");
        Set<String> fileNames = Set.of();
        if (file.isPresent()) {
            Path chainsFile = chainInput.resolvePath("chain.file", file.get());
            Map<String, Map<?, ?>> entries = ChainFiles.readChainsFile(chainsFile);
            fileNames = entries.keySet();
            if (entries.containsKey(name)) {
                merged = merged.with(ChainEntry.fromPipeline(chainsFile + ": chains." + name, entries.get(name)));
                found = true;
            }
        }

        if (chainInput.has("entry")) {
            merged = merged.with(ChainEntry.fromPipeline("chains." + name, chainInput.child("entry").asMap()));
            found = true;
        }

        if (!found) {
            Set<String> known = new LinkedHashSet<>();
            known.add(BuiltInChains.DEVNET);
            known.addAll(BuiltInChains.names());
            known.addAll(fileNames);
            throw new TeeflowException("unknown chain '" + name + "'" + Suggestions.didYouMean(name, known)
                    + "; known chains: " + String.join(", ", known)
                    + " (define others under 'chains:' or in the project's chain.json)");
        }
        return merged.toConfig(devnet.isPresent() ? name : canonical);
    }

    /** The running devnet's info; a clear error when it is not running. */
    public DevnetInfo devnetInfo(String devnetName) {
        Path file = DevnetInfo.file(teeflowHome, devnetName);
        try {
            return DevnetInfo.read(file);
        } catch (NoSuchFileException e) {
            throw new TeeflowException("devnet '" + devnetName + "' is not running: " + file + " does not exist; start it"
                    + " with '" + ChainConfig.startCommand(devnetName) + "' or choose another target"
                    + " (target: arbitrum-sepolia, ...)");
        } catch (DevnetInfo.Incomplete e) {
            throw new TeeflowException("devnet info file " + e.getMessage()
                    + "; restart the devnet (teeflow devnet up) to rewrite it");
        } catch (IOException e) {
            throw new TeeflowException("cannot read devnet info file " + file + ": " + e.getMessage());
        }
    }

    /** A running devnet as a chain. */
    static ChainEntry entryOf(DevnetInfo info) {
        Map<String, String> registries = new LinkedHashMap<>();
        if (info.appRegistry() != null) {
            registries.put("app", info.appRegistry());
        }
        if (info.datasetRegistry() != null) {
            registries.put("dataset", info.datasetRegistry());
        }
        if (info.workerpoolRegistry() != null) {
            registries.put("workerpool", info.workerpoolRegistry());
        }
        return new ChainEntry(info.chainId(), info.rpc(), info.hub(), Map.of(ChainConfig.ANY_FRAMEWORK, info.sms()),
                info.market(), info.ipfsGateway(), info.workerpool(), info.teeFrameworkOrDefault(), registries, true,
                info.compass());
    }

    /**
     * Files whose content shapes the chain (the chains file, the project's chain.json), for a step's
     * {@link dev.teeflow.engine.spi.StepType#inputFiles}.
     */
    public static List<InputFile> inputFiles(Inputs chainInput) {
        List<InputFile> files = new ArrayList<>();
        Path sdk = chainInput.projectDir().resolve(ChainFiles.SDK_CHAIN_FILE);
        if (Files.isRegularFile(sdk)) {
            files.add(InputFile.of("chain.json", sdk));
        }
        chainInput.optionalString("file").ifPresent(f -> {
            Path p = chainInput.resolvePath("chain.file", f);
            if (Files.isRegularFile(p)) {
                files.add(InputFile.of("chains file", p));
            }
        });
        return files;
    }

    private static List<String> sdkNames(String name, String canonical) {
        List<String> names = new ArrayList<>();
        names.add(name);
        if (!canonical.equals(name)) {
            names.add(canonical);
        }
        names.addAll(BuiltInChains.sdkNamesOf(canonical));
        return names;
    }
}
