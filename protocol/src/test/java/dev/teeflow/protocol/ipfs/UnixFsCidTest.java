package dev.teeflow.protocol.ipfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** CIDs as {@code ipfs add} (kubo, default options) prints them. */
class UnixFsCidTest {
    @Test
    void smallFilesGetTheCidsKuboGivesThem() {
        // `echo "hello world" | ipfs add` and `ipfs add` of an empty file
        assertThat(UnixFsCid.of("hello world\n".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
        assertThat(UnixFsCid.of(new byte[0])).isEqualTo("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH");
    }

    @Test
    void largerFilesAreATreeAndEveryByteCounts() {
        byte[] big = new byte[3 * UnixFsCid.CHUNK + 5];
        new Random(1).nextBytes(big);
        String cid = UnixFsCid.of(big);
        assertThat(UnixFsCid.isCidV0(cid)).isTrue();
        byte[] oneChunk = java.util.Arrays.copyOf(big, UnixFsCid.CHUNK);
        assertThat(UnixFsCid.of(oneChunk)).isNotEqualTo(cid);
        big[big.length - 1] ^= 1;
        assertThat(UnixFsCid.of(big)).isNotEqualTo(cid);
    }
}
