package dev.teeflow.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.secret.Secret;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins how digests are made and combined under each key scheme this teeflow can compute. If one of these
 * values changes, every recorded key of that scheme stops matching: change {@link CacheKey#SCHEME} instead
 * (docs/upgrading.md). The keys of every step type are pinned by the examples' GoldenCacheKeysTest.
 */
class CacheKeyTest {
    private static final byte[] PROJECT_KEY = new byte[32];
    private static final Map<String, String> DIGESTS = Map.of("in:a", "11", "file:b", "22", "needs:c.d", "33");

    @Test
    void scheme1CombinesTypeVersionAndSortedDigests() {
        assertThat(CacheKey.of(1, "run.deal", 1, DIGESTS).value()).isEqualTo("fdc9f1807630a027e555ca900c85ddc4f8a2a0e58a8afc45f2a172d3062bf47b");
        assertThat(CacheKey.of("run.deal", 1, DIGESTS).value()).isEqualTo(CacheKey.of(CacheKey.SCHEME, "run.deal", 1, DIGESTS).value());
    }

    @Test
    void laterSchemesNameThemselvesSoKeysOfTwoSchemesNeverMeet() {
        assertThat(CacheKey.of(2, "run.deal", 1, DIGESTS).value()).isEqualTo("37355ae330bd2492e8467fde0a5f87177200cf51072d69b61ddb47a9d465d56f")
                .isNotEqualTo(CacheKey.of(1, "run.deal", 1, DIGESTS).value());
        assertThatThrownBy(() -> CacheKey.of(CacheKey.OLDEST_COMPARABLE_SCHEME - 1, "run.deal", 1, DIGESTS))
                .hasMessageContaining("can no longer be computed");
    }

    @Test
    void inputDigestsAreStableAcrossMapOrderNumberFormsAndSecrets() {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("text", "hello");
        inputs.put("number", new BigDecimal("1.50"));
        inputs.put("list", List.of(1, "two"));
        inputs.put("map", Map.of("z", 1L, "a", true));
        inputs.put("secret", Secret.ofText(dev.teeflow.engine.secret.SecretRef.env("S"), "s3cret"));

        Map<String, String> digests = CacheKey.inputDigests(inputs, PROJECT_KEY);

        assertThat(digests).containsExactlyInAnyOrderEntriesOf(Map.of(
                "in:text", "5aa762ae383fbb727af3c7a36d4940a5b8c40a989452d2304fc958ff3f354e7a",
                "in:number", "24c74279834561bd8e2846f7eebd4a3cd158413fcf88c604c081cd040d871614",
                "in:list", "2b62e26ccd8788747af18b7fd253ff298db1b5173be973a73fa22721905468d5",
                "in:map", "903596123ef8596d132eb70fae4c171f0133ed7cdbe9e3e6a67d01c08c5c6992",
                "in:secret", "8bf41ceede29c1e70affa8cf8bb81c6183a083d5f8c991796b71d7c1ea168add"));
    }
}
