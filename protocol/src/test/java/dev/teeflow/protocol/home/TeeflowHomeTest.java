package dev.teeflow.protocol.home;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TeeflowHomeTest {
    @Test
    void theVariableWinsAndAnUnsetOrBlankOneMeansDotTeeflowInTheUsersHome() {
        Path fallback = Path.of(System.getProperty("user.home"), ".teeflow");

        assertThat(TeeflowHome.of(Map.of("TEEFLOW_HOME", "/srv/teeflow"))).isEqualTo(Path.of("/srv/teeflow"));
        assertThat(TeeflowHome.of(Map.of())).isEqualTo(fallback);
        assertThat(TeeflowHome.of(Map.of("TEEFLOW_HOME", "  "))).isEqualTo(fallback);
    }
}
