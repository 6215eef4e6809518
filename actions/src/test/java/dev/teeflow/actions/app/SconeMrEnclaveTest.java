package dev.teeflow.actions.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SconeMrEnclaveTest {
    @Test
    void theJsonHasOneFixedKeyOrderAndNoSpaces() {
        String fp = "a".repeat(64);
        assertThat(new SconeMrEnclave("v5", "python3 /app/app.py", 1073741824L, fp).json())
                .isEqualTo("{\"framework\":\"SCONE\",\"version\":\"v5\",\"entrypoint\":\"python3 /app/app.py\","
                        + "\"heapSize\":1073741824,\"fingerprint\":\"" + fp + "\"}");
    }

    @Test
    void stringsAreEscaped() {
        assertThat(new SconeMrEnclave("v5", "sh -c \"echo \\x\"\n", 1, "f").json())
                .contains("\"entrypoint\":\"sh -c \\\"echo \\\\x\\\"\\n\"");
    }

    @Test
    void heapSizesAreReadLikeSconify() {
        assertThat(HeapSize.bytes("1G")).isEqualTo(1073741824L);
        assertThat(HeapSize.bytes("512M")).isEqualTo(536870912L);
        assertThat(HeapSize.bytes("64k")).isEqualTo(65536L);
        assertThat(HeapSize.bytes("1GiB")).isEqualTo(1073741824L);
        assertThat(HeapSize.bytes("1000")).isEqualTo(1000L);
        assertThatThrownBy(() -> HeapSize.bytes("lots")).hasMessageContaining("not a size");
    }

    @Test
    void theTdxTagUsesTheFirstTwelveHexOfTheImageId() {
        assertThat(AppTeeStep.tdxTag("1.0.0", "sha256:0123456789abcdef0123")).isEqualTo("1.0.0-tdx-0123456789ab");
    }
}
