package dev.teeflow.actions.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.actions.chain.ChainResolver;
import dev.teeflow.protocol.devnet.DevnetInfo;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.testing.FakeStepContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A devnet that is not running makes a run's checks fail at once with the command that starts it, its
 * name included; the engine turns a check that throws into "unknown", never into a paid re-run.
 */
class StoppedDevnetTest {
    @TempDir
    Path home;
    @TempDir
    Path project;

    private Map<String, Object> inputs(String target) {
        return Map.of("chain", Map.of("name", target), "deal-id", "0x" + "11".repeat(32),
                "task-ids", List.of("0x" + "22".repeat(32)));
    }

    @Test
    void aStoppedNamedDevnetIsNamedWithTheCommandThatStartsIt() throws Exception {
        // the devnet ran once (its info file is there) and was stopped: nothing answers on its ports
        new DevnetInfo("ci", 31337, "http://127.0.0.1:1", "0x" + "aa".repeat(20), null, null, null, null,
                "http://127.0.0.1:1", "http://127.0.0.1:1", "http://127.0.0.1:1", null, "0x" + "bb".repeat(20), null, null, "tdx",
                List.of()).write(DevnetInfo.file(home, "ci"));
        WaitStep wait = new WaitStep(new ChainResolver(home), Duration.ofMillis(10));
        FakeStepContext ctx = new FakeStepContext("run.r.wait", project, inputs("devnet:ci"));
        assertThatThrownBy(() -> wait.verify(ctx, Outputs.none())).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("devnet 'ci' is not running").hasMessageContaining("'teeflow devnet up --name ci'");
    }

    @Test
    void aDevnetThatNeverRanIsNamedToo() {
        WaitStep wait = new WaitStep(new ChainResolver(home), Duration.ofMillis(10));
        assertThatThrownBy(() -> wait.verify(new FakeStepContext("run.r.wait", project, inputs("devnet:ci")), Outputs.none()))
                .hasMessageContaining("devnet 'ci' is not running").hasMessageContaining("'teeflow devnet up --name ci'");
        assertThatThrownBy(() -> wait.verify(new FakeStepContext("run.r.wait", project, inputs("devnet")), Outputs.none()))
                .hasMessageContaining("devnet 'default' is not running").hasMessageContaining("'teeflow devnet up'")
                .hasMessageNotContaining("--name");
        assertThat(DevnetInfo.file(home, "ci")).doesNotExist();
    }
}
