package dev.teeflow.devnet;

import dev.teeflow.devnet.net.EphemeralPorts;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DevnetPortsTest {
    @RepeatedTest(20)
    void aFreeBaseIsNeverInsideTheEphemeralRangeWhereOutgoingConnectionsCouldTakeItsPorts() {
        int[] ephemeral = EphemeralPorts.range();
        DevnetPorts ports = DevnetPorts.findFree();
        int last = ports.base() + DevnetPorts.COUNT - 1;
        assertThat(last < ephemeral[0] || ports.base() > ephemeral[1])
                .as("ports %d..%d against ephemeral %d..%d", ports.base(), last, ephemeral[0], ephemeral[1])
                .isTrue();
    }

    @Test
    void theKernelRangeIsReadAndNonsenseFallsBackToLinuxDefaults() {
        assertThat(EphemeralPorts.parse("32768\t60999\n")).containsExactly(32768, 60999);
        assertThat(EphemeralPorts.parse("1024 5000")).containsExactly(1024, 5000);
        assertThat(EphemeralPorts.parse("5000")).containsExactly(32768, 60999);
        assertThat(EphemeralPorts.parse("70000 80000")).containsExactly(32768, 60999);
    }
}
