package dev.teeflow.protocol.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class TagsTest {
    @Test
    void namesToBits() {
        assertThat(Tags.parse("tee,scone")).endsWith("03").hasSize(66);
        assertThat(Tags.parse("tee,tdx")).isEqualTo("0x" + "0".repeat(62) + "09");
        assertThat(Tags.parse("gramine")).endsWith("04");
        assertThat(Tags.parse("gpu")).isEqualTo("0x" + "0".repeat(61) + "100");
        assertThat(Tags.parse("")).isEqualTo(PocoOrder.NULL_BYTES32);
        assertThat(Tags.parse(" TEE , scone ")).isEqualTo(Tags.parse("tee,scone"));
    }

    @Test
    void bitsToNamesAndContainment() {
        assertThat(Tags.names(Tags.parse("tee,tdx,gpu"))).isEqualTo(List.of("tee", "tdx", "gpu"));
        assertThat(Tags.contains(Tags.parse("tee,scone"), Tags.parse("tee"))).isTrue();
        assertThat(Tags.contains(Tags.parse("tee"), Tags.parse("tee,scone"))).isFalse();
        assertThat(Tags.or(Tags.parse("tee"), Tags.parse("tdx"))).isEqualTo(Tags.parse("tee,tdx"));
    }

    @Test
    void unknownNameIsAClearError() {
        assertThatThrownBy(() -> Tags.parse("tee,sgx")).hasMessageContaining("unknown tag 'sgx'");
    }
}
