package dev.teeflow.actions.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The iExec SDK's {@code deployed.json} in the project folder: {@code {"app": {"<chainId>": "0x.."},
 * "dataset": {..}, "workerpool": {..}}}, where {@code iexec app show}, {@code iexec order init} and
 * friends look for "the app of this project". Entries are merged (other kinds, other chains and unknown
 * keys are kept) and the file is replaced atomically; parallel deploy steps of one run take turns.
 */
public final class DeployedJson {
    public static final String FILE = "deployed.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Object LOCK = new Object();

    private DeployedJson() {
    }

    public static void record(Path projectDir, String kind, long chainId, String address) {
        Path file = projectDir.resolve(FILE);
        synchronized (LOCK) {
            try {
                ObjectNode root = JSON.createObjectNode();
                if (Files.isRegularFile(file)) {
                    JsonNode existing = JSON.readTree(file.toFile());
                    if (existing == null || !existing.isObject()) {
                        throw new TeeflowException(file + " is not a JSON object; fix or delete it, or set deployed-json: false");
                    }
                    root = (ObjectNode) existing;
                }
                JsonNode byChain = root.get(kind);
                ObjectNode entries = byChain != null && byChain.isObject() ? (ObjectNode) byChain : root.putObject(kind);
                entries.put(String.valueOf(chainId), address);
                AtomicFiles.write(file, JSON.writeValueAsBytes(root), false);
            } catch (IOException e) {
                throw new TeeflowException("cannot update " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The address {@code deployed.json} names for {@code kind} on chain {@code chainId}, if the file is there and
     * names one; a file that is not the SDK's JSON is an error naming it.
     */
    public static java.util.Optional<String> read(Path projectDir, String kind, long chainId) {
        Path file = projectDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return java.util.Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new TeeflowException(FILE + " is not a JSON object ({\"app\": {\"<chain id>\": \"0x..\"}, ...})");
            }
            JsonNode address = root.path(kind).path(String.valueOf(chainId));
            return address.isTextual() ? java.util.Optional.of(address.asText()) : java.util.Optional.empty();
        } catch (IOException e) {
            throw new TeeflowException(FILE + " is not readable JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
