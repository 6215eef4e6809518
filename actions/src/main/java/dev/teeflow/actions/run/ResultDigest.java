package dev.teeflow.actions.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The result digest of an unpacked result folder, computed as iExec's post-compute does before the enclave
 * signs it: with {@code callback-data} in computed.json, keccak256 of those bytes; else the deterministic
 * output named by {@code deterministic-output-path}: sha256 of a file, or for a folder keccak256 over the
 * sha256 of its direct children sorted by path, where sub-folders and empty files add nothing.
 *
 * @param digest 0x-prefixed lower-case hex
 * @param of     what was hashed, for messages ("result.txt", "the folder out/", "the callback data")
 */
record ResultDigest(String digest, String of) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTAINER_OUT = "/iexec_out";

    /** The digest of the result unpacked into {@code dir} (the root of /iexec_out). */
    static ResultDigest of(Path dir) throws IOException {
        Path computed = dir.resolve("computed.json");
        if (!Files.isRegularFile(computed)) {
            throw new Unverifiable("the result has no computed.json, so nothing says which output the enclave hashed");
        }
        JsonNode json;
        try {
            json = JSON.readTree(computed.toFile());
        } catch (IOException e) {
            throw new Unverifiable("the result's computed.json is not valid JSON");
        }
        String callback = json == null ? "" : json.path("callback-data").asText("");
        if (!callback.isBlank()) {
            return new ResultDigest(Numeric.toHexString(Hash.sha3(Numeric.hexStringToByteArray(callback.strip()))),
                    "the callback data of computed.json");
        }
        String path = json == null ? "" : json.path("deterministic-output-path").asText("");
        if (path.isBlank()) {
            throw new Unverifiable("the result's computed.json has no deterministic-output-path");
        }
        String normalized = path.strip().replaceAll("/+$", "");
        if (!normalized.equals(CONTAINER_OUT) && !normalized.startsWith(CONTAINER_OUT + "/")) {
            throw new Unverifiable("deterministic-output-path " + path + " is not inside " + CONTAINER_OUT);
        }
        String rel = normalized.substring(CONTAINER_OUT.length()).replaceFirst("^/", "");
        Path output = dir.resolve(rel).normalize();
        if (!output.startsWith(dir.normalize()) || !Files.exists(output)) {
            throw new Unverifiable("deterministic-output-path " + path + " is not in the result");
        }
        String shown = rel.isEmpty() ? "the whole result folder" : rel;
        if (!Files.isDirectory(output)) {
            byte[] data = Files.readAllBytes(output);
            if (data.length == 0) {
                throw new Unverifiable("the deterministic output " + shown + " is empty");
            }
            return new ResultDigest("0x" + HexFormat.of().formatHex(sha256(data)), shown);
        }
        List<Path> children;
        try (Stream<Path> s = Files.list(output)) {
            children = s.sorted().toList();
        }
        ByteArrayOutputStream concat = new ByteArrayOutputStream();
        for (Path child : children) {
            if (Files.isRegularFile(child)) {
                byte[] data = Files.readAllBytes(child);
                if (data.length > 0) {
                    concat.writeBytes(sha256(data));
                }
            }
        }
        return new ResultDigest(Numeric.toHexString(Hash.sha3(concat.toByteArray())), shown + " (folder)");
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The result does not say what the enclave hashed: it cannot be checked against the chain. */
    static final class Unverifiable extends RuntimeException {
        Unverifiable(String message) {
            super(message);
        }
    }
}
