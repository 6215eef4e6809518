package dev.teeflow.actions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.actions.chain.ChainResolver;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The steps loaded by the registry keep wallet locks and the result-key ledger in teeflow's home: under the
 * build, it must be the module's build folder (set in the surefire configuration of the parent pom), or
 * every test run leaves files in the user's ~/.teeflow.
 */
class TestsStayOutOfTheUsersHomeTest {
    @Test
    void stepsUnderTestKeepTheirHomeInTheBuildFolder() {
        Path home = ChainResolver.fromEnvironment().teeflowHome().toAbsolutePath().normalize();

        assertThat(home)
                .as("teeflow's home under test (TEEFLOW_HOME, set by the parent pom's surefire configuration)")
                .startsWithRaw(Path.of("target").toAbsolutePath().normalize()) // raw: the folder need not exist yet
                .isNotEqualTo(Path.of(System.getProperty("user.home"), ".teeflow"));
    }

    @Test
    void enginesATestOpensWithItsOwnEnvironmentGiveStepsTheSameHome() {
        String home = dev.teeflow.engine.testing.BuildHome.with(java.util.Map.of("PRIVATE_KEY", "x")).get("TEEFLOW_HOME");

        assertThat(home).as("TEEFLOW_HOME that test engines pass to their steps").isNotNull();
        assertThat(Path.of(home).toAbsolutePath().normalize()).startsWithRaw(Path.of("target").toAbsolutePath().normalize());
    }
}
