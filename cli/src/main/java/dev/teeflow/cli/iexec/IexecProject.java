package dev.teeflow.cli.iexec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.protocol.dataset.DatasetChecksum;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An iExec CLI project folder as {@code iexec init}, {@code iexec app init}, {@code iexec dataset init
 * --encrypted}, {@code iexec dataset encrypt} and the deploy commands leave it: {@code iexec.json},
 * {@code chain.json}, {@code deployed.json}, {@code orders.json}, {@code datasets/original},
 * {@code datasets/encrypted}, {@code .secrets/datasets/<file>.key}, {@code wallet.json} and a Dockerfile.
 * Reads only; a file that is there but unreadable is an error naming it. Never reads a key's value.
 */
public final class IexecProject {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final JsonNode iexec;
    private final JsonNode chains;
    private final JsonNode deployed;

    private IexecProject(Path dir, JsonNode iexec, JsonNode chains, JsonNode deployed) {
        this.dir = dir;
        this.iexec = iexec;
        this.chains = chains;
        this.deployed = deployed;
    }

    /** Reads the project in {@code dir}; {@code iexec.json} and {@code chain.json} are required. */
    public static IexecProject read(Path dir) {
        Path iexecJson = dir.resolve("iexec.json");
        if (!Files.isRegularFile(iexecJson)) {
            throw new TeeflowException(iexecJson + " is missing: --from-iexec reads an iExec CLI project (a folder where"
                    + " 'iexec init' was run)");
        }
        Path chainJson = dir.resolve("chain.json");
        if (!Files.isRegularFile(chainJson)) {
            throw new TeeflowException(chainJson + " is missing: it says which chain the project's app and dataset are on"
                    + " ('iexec init' writes it)");
        }
        JsonNode iexec = object(iexecJson);
        JsonNode chains = object(chainJson);
        Path deployedJson = dir.resolve("deployed.json");
        JsonNode deployed = Files.isRegularFile(deployedJson) ? object(deployedJson) : JSON.createObjectNode();
        return new IexecProject(dir, iexec, chains, deployed);
    }

    private static JsonNode object(Path file) {
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n == null || !n.isObject()) {
                throw new TeeflowException(file + " is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new TeeflowException(file + " is not readable JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** {@code iexec.json}'s {@code app} (owner, name, type, multiaddr, checksum, mrenclave), if any. */
    public Optional<JsonNode> app() {
        return section(iexec, "app");
    }

    /** {@code iexec.json}'s {@code dataset} (owner, name, multiaddr, checksum), if any. */
    public Optional<JsonNode> dataset() {
        return section(iexec, "dataset");
    }

    /** {@code iexec.json}'s {@code buyConf} (params, tag, trust, callback), if any. */
    public Optional<JsonNode> buyConf() {
        return section(iexec, "buyConf");
    }

    public boolean hasOrders() {
        return section(iexec, "order").isPresent() || Files.isRegularFile(dir.resolve("orders.json"));
    }

    private static Optional<JsonNode> section(JsonNode root, String key) {
        JsonNode n = root.get(key);
        return n != null && n.isObject() ? Optional.of(n) : Optional.empty();
    }

    /** The default chain's name in {@code chain.json}; an error naming the file when it has none. */
    public String defaultChain() {
        JsonNode d = chains.get("default");
        if (d == null || !d.isTextual() || d.asText().isBlank()) {
            throw new TeeflowException(dir.resolve("chain.json") + " has no \"default\" chain: add \"default\": \"<chain name>\"");
        }
        return d.asText();
    }

    /** The chain id of {@code name}: from chain.json, or the iExec SDK's built-in chains. */
    public Optional<String> chainId(String name) {
        JsonNode entry = chains.path("chains").path(name).path("id");
        if (!entry.isMissingNode() && !entry.isNull()) {
            return Optional.of(entry.asText());
        }
        return Optional.ofNullable(switch (name) {
            case "arbitrum-sepolia-testnet", "arbitrum-sepolia" -> "421614";
            case "arbitrum-mainnet", "arbitrum" -> "42161";
            case "bellecour" -> "134";
            default -> null;
        });
    }

    /** What {@code deployed.json} names for {@code kind} on {@code chainId}. */
    public Optional<String> deployed(String kind, String chainId) {
        JsonNode a = deployed.path(kind).path(chainId);
        return a.isTextual() ? Optional.of(a.asText()) : Optional.empty();
    }

    /** Files directly in {@code datasets/original}, sorted by name. */
    public List<Path> originals() {
        return files(dir.resolve("datasets/original"));
    }

    /** The ciphertext {@code iexec dataset encrypt} made of {@code original}. */
    public Path ciphertextOf(Path original) {
        return dir.resolve("datasets/encrypted").resolve(original.getFileName() + ".enc");
    }

    /** The checksum of a ciphertext, the way iExec and teeflow compute it. */
    public static String checksum(Path ciphertext) {
        try {
            return DatasetChecksum.of(ciphertext);
        } catch (IOException e) {
            throw new TeeflowException("cannot read " + ciphertext + ": " + e.getMessage(), e);
        }
    }

    /** The key file the CLI wrote for {@code original}: its own, else the shared {@code dataset.key}. */
    public Optional<Path> keyFileOf(Path original) {
        Path own = dir.resolve(".secrets/datasets").resolve(original.getFileName() + ".key");
        if (Files.isRegularFile(own)) {
            return Optional.of(own);
        }
        Path shared = dir.resolve(".secrets/datasets/dataset.key");
        return Files.isRegularFile(shared) ? Optional.of(shared) : Optional.empty();
    }

    /** The private key {@code iexec result generate-encryption-keypair} wrote, if any. */
    public Optional<Path> resultKey() {
        return files(dir.resolve(".secrets/beneficiary")).stream()
                .filter(p -> p.getFileName().toString().endsWith("_key")).findFirst();
    }

    public Optional<Path> dockerfile() {
        Path d = dir.resolve("Dockerfile");
        return Files.isRegularFile(d) ? Optional.of(d) : Optional.empty();
    }

    /** How {@code wallet.json} in the project keeps its key: "keystore" (encrypted), "plain" (unencrypted), or none. */
    public Optional<String> walletKind() {
        Path w = dir.resolve("wallet.json");
        if (!Files.isRegularFile(w)) {
            return Optional.empty();
        }
        JsonNode n = object(w);
        return Optional.of(n.has("crypto") || n.has("Crypto") ? "keystore" : "plain");
    }

    private static List<Path> files(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return new ArrayList<>(s.filter(Files::isRegularFile).sorted().toList());
        } catch (IOException e) {
            throw new TeeflowException("cannot list " + folder + ": " + e.getMessage(), e);
        }
    }
}
