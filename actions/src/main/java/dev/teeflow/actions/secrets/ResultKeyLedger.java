package dev.teeflow.actions.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.engine.hash.Hashing;
import dev.teeflow.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which result encryption key teeflow last put in an SMS for a wallet, and for which pipeline, kept under
 * the teeflow home ({@code ~/.teeflow/result-keys/}). The SMS holds one key per wallet and never shows it,
 * so this is how two pipelines of one machine that share a wallet notice that the other one replaced the
 * key, before paying for a deal whose result they could not decrypt. Holds public values only (a
 * fingerprint of the public key, a pipeline's path).
 */
public final class ResultKeyLedger {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The key the SMS holds according to the last teeflow that put one there. */
    public record Entry(String fingerprint, String pipeline, String at) {
        public String describe() {
            return "the key of the pipeline in " + pipeline + " (fingerprint " + fingerprint + ", put there " + at + ")";
        }
    }

    private final Path home;

    public ResultKeyLedger(Path teeflowHome) {
        this.home = teeflowHome;
    }

    Path file(String smsUrl, String wallet) {
        String id = Hashing.sha256Hex(smsUrl.replaceAll("/+$", "") + "\n" + wallet.toLowerCase(Locale.ROOT));
        return home.resolve("result-keys").resolve(id.substring(0, 32) + ".json");
    }

    public Optional<Entry> read(String smsUrl, String wallet) {
        Path f = file(smsUrl, wallet);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(Files.readString(f));
            return Optional.of(new Entry(n.path("fingerprint").asText(""), n.path("pipeline").asText("?"),
                    n.path("at").asText("?")));
        } catch (IOException e) {
            return Optional.empty(); // a damaged entry says nothing; the next push rewrites it
        }
    }

    void write(String smsUrl, String wallet, String fingerprint, Path pipeline) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("sms", smsUrl);
        entry.put("wallet", wallet);
        entry.put("fingerprint", fingerprint);
        entry.put("pipeline", pipeline.toAbsolutePath().normalize().toString());
        entry.put("at", Instant.now().toString());
        try {
            AtomicFiles.write(file(smsUrl, wallet), JSON.writeValueAsString(entry).getBytes(StandardCharsets.UTF_8), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Why a deal with {@code fingerprint} would give results this pipeline cannot decrypt, if the last
     * teeflow that put a key in the SMS put another one.
     */
    public Optional<String> otherKey(String smsUrl, String wallet, String fingerprint) {
        return read(smsUrl, wallet).filter(e -> !e.fingerprint().equals(fingerprint))
                .map(e -> "the result encryption key of " + wallet + " in the SMS at " + smsUrl + " is no longer this"
                        + " pipeline's: it is " + e.describe() + " (the SMS holds one key per wallet), so a task now"
                        + " would encrypt its result for a key this pipeline cannot decrypt. " + WAY_OUT);
    }

    static final String WAY_OUT = "Take the key back with 'teeflow apply' (result.encryption-key puts this"
            + " pipeline's key in the SMS again; the other pipeline's results then fail to decrypt until it does the"
            + " same), or share one key between the pipelines: 'result: { encryption: true, private-key: file:PATH }'"
            + " in each (see docs/secrets.md).";
}
