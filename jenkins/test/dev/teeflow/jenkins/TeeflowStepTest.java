package dev.teeflow.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeeflowStepTest {
    final PipelineMock jenkins = new PipelineMock();

    static Map<String, Object> config(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static final List<Map<String, Object>> CREDENTIALS = List.of(
            config("id", "wallet-password", "variable", "WALLET_PASSWORD"),
            config("type", "file", "id", "wallet-keystore", "variable", "KEYSTORE_FILE"),
            config("type", "usernamePassword", "id", "registry", "usernameVariable", "REG_USER", "passwordVariable", "REG_PASS"));

    @Test
    void defaultsPlanTeeflowYmlAndArchiveTheTableAndJson() {
        jenkins.teeflow(config(), null);
        assertThat(jenkins.sh).hasSize(2);
        assertThat(jenkins.sh.get(0).script())
                .isEqualTo("status=0; 'teeflow' 'plan' '--no-color' '--file' 'teeflow.yml' > teeflow-plan.txt 2>&1 || status=$?; cat teeflow-plan.txt; exit $status");
        assertThat(jenkins.sh.get(1).script()).isEqualTo("'teeflow' 'plan' '--no-color' '--file' 'teeflow.yml' '--json' > teeflow-plan.json");
        assertThat(jenkins.archived).hasSize(1);
        assertThat(jenkins.archived.get(0).args().get("artifacts")).isEqualTo("teeflow-plan.json,teeflow-plan.txt");
        assertThat(jenkins.events).containsSubsequence("sh", "sh", "archive");
        assertThat(jenkins.locks).isEmpty();
    }

    @Test
    void aFailedPlanStillArchivesItsTableAndFailsTheBuild() {
        jenkins.failScripts(script -> script.contains("'plan'"), 2);
        assertThatThrownBy(() -> jenkins.teeflow(config(), null)).hasMessageContaining("exit code 2");
        assertThat(jenkins.sh).hasSize(1);
        assertThat(jenkins.archived).singleElement().satisfies(a -> {
            assertThat(a.args().get("artifacts")).isEqualTo("teeflow-plan.json,teeflow-plan.txt");
            assertThat(a.args().get("allowEmptyArchive")).isEqualTo(true);
        });
    }

    @Test
    void aSavedPlanIsWrittenAndArchivedByPlanThenAppliedAsIsByApply() {
        jenkins.teeflow(config("savedPlan", "teeflow.plan", "steps", List.of("run.check")), null);
        assertThat(jenkins.sh.get(0).script()).contains("'--target' 'run.check' '--saved' 'teeflow.plan' > teeflow-plan.txt");
        assertThat(jenkins.sh.get(1).script()).doesNotContain("--saved");
        assertThat(jenkins.archived.get(0).args().get("artifacts")).isEqualTo("teeflow-plan.json,teeflow-plan.txt,teeflow.plan");

        jenkins.teeflow(config("command", "apply", "savedPlan", "teeflow.plan"), null);
        assertThat(jenkins.sh.get(2).script()).isEqualTo("'teeflow' 'apply' '--no-color' '--file' 'teeflow.yml' 'teeflow.plan'");
        assertThatThrownBy(() -> jenkins.teeflow(config("command", "apply", "savedPlan", "p", "steps", List.of("a")), null))
                .hasMessageContaining("steps belong to the plan that wrote savedPlan");
        assertThatThrownBy(() -> jenkins.teeflow(config("command", "validate", "savedPlan", "p"), null))
                .hasMessageContaining("savedPlan goes with plan");
    }

    @Test
    void planWithoutArchiveArchivesNothing() {
        jenkins.teeflow(config("archive", false), null);
        assertThat(jenkins.archived).isEmpty();
    }

    @Test
    void applyRunsInsideTheLockForChainAndWallet() {
        jenkins.teeflow(config("command", "apply", "target", "bellecour", "wallet", "ci-wallet", "credentials", CREDENTIALS), null);
        assertThat(jenkins.locks).containsExactly("teeflow-bellecour-ci-wallet");
        assertThat(jenkins.sh).singleElement().satisfies(call -> {
            assertThat(call.lock()).isEqualTo("teeflow-bellecour-ci-wallet");
            assertThat(call.script()).isEqualTo("'teeflow' 'apply' '--no-color' '--file' 'teeflow.yml'");
            assertThat(call.credentialVariables()).containsExactlyInAnyOrder("WALLET_PASSWORD", "KEYSTORE_FILE", "REG_USER", "REG_PASS");
        });
        assertThat(jenkins.events).containsExactly("lock+", "withCredentials+", "sh", "withCredentials-", "lock-");
        assertThat(jenkins.archived).isEmpty();
    }

    @Test
    void theStateBackendIsPassedAsLiteralReferencesAndTheLockTimeoutOnlyToApply() {
        jenkins.teeflow(config("command", "apply", "credentials", CREDENTIALS, "lockTimeout", "15m",
                "state", config("backend", "postgres", "url", "postgresql://db:5432/teeflow",
                        "password", "env:PG_PASSWORD", "passphrase", "env:TEEFLOW_STATE_PASSPHRASE")), null);
        assertThat(jenkins.sh).singleElement().satisfies(call -> assertThat(call.script()).isEqualTo(
                "'teeflow' 'apply' '--no-color' '--file' 'teeflow.yml' '--state-backend' 'postgres' '--state-config' "
                        + "'url=postgresql://db:5432/teeflow' '--state-config' 'password=env:PG_PASSWORD' "
                        + "'--state-passphrase' 'env:TEEFLOW_STATE_PASSPHRASE' '--lock-timeout' '15m'"));
        jenkins.teeflow(config("lockTimeout", "15m", "state", config("backend", "postgres")), null);
        assertThat(jenkins.sh.get(1).script()).contains("'--state-backend' 'postgres'").doesNotContain("--lock-timeout");
        assertThatThrownBy(() -> jenkins.teeflow(config("state", "postgres"), null)).hasMessageContaining("state must be a map");
    }

    @Test
    void explicitLockResourceWins() {
        jenkins.teeflow(config("command", "apply", "lockResource", "iexec-prod"), null);
        assertThat(jenkins.locks).containsExactly("iexec-prod");
    }

    @Test
    void noSecretIsInterpolatedIntoAnyScript() {
        jenkins.teeflow(config("command", "apply", "credentials", CREDENTIALS,
                "params", config("keystore", config("env", "KEYSTORE_FILE"), "greeting", "hi")), null);
        jenkins.teeflow(config("command", "plan", "credentials", CREDENTIALS,
                "params", config("keystore", config("env", "KEYSTORE_FILE"))), null);
        assertThat(jenkins.sh).hasSize(3).allSatisfy(call -> {
            assertThat(call.script()).doesNotContain("SECRET-VALUE-OF");
            assertThat(call.script()).contains("'--param' 'keystore='\"$KEYSTORE_FILE\"");
            assertThat(call.credentialVariables()).contains("KEYSTORE_FILE");
        });
        assertThat(jenkins.sh.get(0).script()).contains("'--param' 'greeting=hi'");
    }

    @Test
    void blockFormRunsTheBodyAfterApplyInsideLockAndCredentials() {
        jenkins.teeflow(config("command", "apply", "credentials", CREDENTIALS), jenkins.body());
        assertThat(jenkins.events).containsExactly("lock+", "withCredentials+", "sh", "body@lock@credentials", "withCredentials-", "lock-");
    }

    @Test
    void validateIgnoresStepTargetsAndRunsInDir() {
        jenkins.teeflow(config("command", "validate", "steps", List.of("app.checker.build"), "dir", "pipelines",
                "file", "email checker.yml"), null);
        assertThat(jenkins.sh).singleElement().satisfies(call -> {
            assertThat(call.script()).isEqualTo("'teeflow' 'validate' '--no-color' '--file' 'email checker.yml'");
            assertThat(call.dir()).isEqualTo("pipelines");
        });
    }

    @Test
    void settingsAreCheckedByName() {
        assertThatThrownBy(() -> jenkins.teeflow(config("comand", "apply"), null)).hasMessageContaining("unknown setting(s) comand");
        assertThatThrownBy(() -> jenkins.teeflow(config("command", "destroy"), null)).hasMessageContaining("command must be one of plan, apply, validate");
        assertThatThrownBy(() -> jenkins.teeflow(config("credentials", List.of(config("id", "x", "variable", "BAD NAME"))), null))
                .hasMessageContaining("variable must be an environment variable name");
        assertThatThrownBy(() -> jenkins.teeflow(config("params", config("keystore", config("env", "$(id)"))), null))
                .hasMessageContaining("params.keystore.env must be an environment variable name");
        assertThat(jenkins.sh).isEmpty();
    }

    /** The generated line, run by a real shell: every argument arrives exactly as written, nothing expands. */
    @Test
    void shellLineKeepsEveryArgumentLiteral(@TempDir Path tmp) throws Exception {
        Path argsFile = tmp.resolve("args");
        Path launcher = tmp.resolve("fake-teeflow");
        Files.writeString(launcher, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" + argsFile + "'\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        String tricky = "it's $(touch pwned) `touch pwned2` ${HOME} \"quoted\" ; rm -rf /";
        jenkins.teeflow(config("command", "apply", "launcher", launcher.toString(), "file", "my pipeline.yml",
                "params", config("greeting", tricky, "keystore", config("env", "KEYSTORE_FILE")),
                "steps", List.of("app.checker.deploy"), "extraArgs", List.of("--parallelism", "2")), null);
        String script = jenkins.sh.get(0).script();
        ProcessBuilder pb = new ProcessBuilder("sh", "-ec", script).directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().put("KEYSTORE_FILE", "/run/secrets/key store.json");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        List<String> args = new ArrayList<>(Files.readAllLines(argsFile));
        assertThat(args).containsExactly("apply", "--no-color", "--file", "my pipeline.yml",
                "--param", "greeting=" + tricky, "--param", "keystore=/run/secrets/key store.json",
                "--target", "app.checker.deploy", "--parallelism", "2");
        assertThat(tmp.resolve("pwned")).doesNotExist();
        assertThat(tmp.resolve("pwned2")).doesNotExist();
    }
}
