package dev.teeflow.devnet.worker;

import dev.teeflow.protocol.sign.WorkerpoolChallenge;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The task-logs challenges a workerpool API hands out, as iexec-core's EIP712ChallengeService does: one random
 * challenge per wallet (base64 of 32 random bytes), the same for an hour, in the {@code iExec Core} domain.
 */
final class LogsChallenges {
    private static final Duration LIFETIME = Duration.ofMinutes(60);
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Issued> issued = new ConcurrentHashMap<>();
    private final long chainId;

    private record Issued(String text, Instant at) {
    }

    LogsChallenges(long chainId) {
        this.chainId = chainId;
    }

    /** The typed data to sign for {@code address} (iexec-commons-poco's EIP712Challenge JSON). */
    Map<String, Object> typedData(String address) {
        Map<String, Object> domain = new LinkedHashMap<>();
        domain.put("name", "iExec Core");
        domain.put("version", "1");
        domain.put("chainId", chainId);
        Map<String, Object> types = new LinkedHashMap<>();
        types.put("EIP712Domain", List.of(param("name", "string"), param("version", "string"), param("chainId", "uint256")));
        types.put("Challenge", List.of(param("challenge", "string")));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("types", types);
        m.put("primaryType", "Challenge");
        m.put("domain", domain);
        m.put("message", Map.of("challenge", current(address)));
        return m;
    }

    /** The wallet an authorization header proves, when it signs that wallet's current challenge. */
    Optional<String> verify(String header) {
        return WorkerpoolChallenge.addressOf(header)
                .flatMap(address -> WorkerpoolChallenge.verify(chainId, current(address), header));
    }

    private String current(String address) {
        return issued.compute(address.toLowerCase(Locale.ROOT), (a, old) ->
                old != null && old.at().plus(LIFETIME).isAfter(Instant.now()) ? old : fresh()).text();
    }

    private Issued fresh() {
        byte[] token = new byte[32];
        random.nextBytes(token);
        return new Issued(Base64.getEncoder().encodeToString(token), Instant.now());
    }

    private static Map<String, String> param(String name, String type) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("type", type);
        return m;
    }
}
