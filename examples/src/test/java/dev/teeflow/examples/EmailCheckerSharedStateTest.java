package dev.teeflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeflow.devnet.git.GitHostServer;
import dev.teeflow.examples.EmailCheckerCrashMatrixTest.Web3jClient;
import dev.teeflow.state.postgres.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two runners of the email-checker, two separate copies of the example sharing no local file, one devnet and
 * one shared state (the project's PostgreSQL, or a git remote on the test's own git host):
 * <ol>
 *   <li>A and B start at once on a fresh state: one takes the lock, the other waits and names it (its pid),
 *   then finds everything done; the chain holds one app, one dataset and one deal.</li>
 *   <li>The runner that waited then plans nothing to do.</li>
 *   <li>A third copy with another MY_EMAIL: of the steps that act outside, only the requester secret, the deal, its wait
 *   and the fetch run; locally only what a fresh copy lacks (the spreadsheet, the ciphertext restored).</li>
 * </ol>
 * Each backend gets a devnet of its own, so the chain's counts are this scenario's alone.
 */
class EmailCheckerSharedStateTest {
    private static final String TOKEN = "shared-state-token-7e1";
    /** A step started, and not only to restore a local file from the shared state (that acts on nothing outside). */
    private static final Pattern STARTED = Pattern.compile("(?m)^> (\\S+) \\((?!re-run: restore: )");
    /** What a fresh copy of the example lacks locally and makes again without acting outside. */
    private static final Set<String> LOCAL = Set.of("emails-xlsx");

    @TempDir
    Path work;

    @BeforeAll
    static void dockerParts() throws Exception {
        ExampleRuns.checkDockerParts();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgres", "git"})
    void twoRunnersShareOneStateAndNeverDoAnythingTwice(String backend) throws Exception {
        ExampleRuns runs = new ExampleRuns(Files.createDirectories(work.resolve("home")));
        JsonNode devnet = runs.devnetUp();
        PostgresServer postgres = backend.equals("postgres") ? PostgresServer.start() : null;
        String schema = PostgresServer.newSchema();
        GitHostServer host = backend.equals("git") ? GitHostServer.start(work.resolve("state-host"), 0, "ci", TOKEN) : null;
        try {
            Map<String, String> state = stateEnv(backend, postgres, schema, host);
            Path a = ExampleRuns.copyOfTheExample(Files.createDirectories(work.resolve("a")));
            Path b = ExampleRuns.copyOfTheExample(Files.createDirectories(work.resolve("b")));
            Map<String, String> alice = with(state, "TEEFLOW_GIT_HOST", devnet.path("gitHost").asText(), "MY_EMAIL", "alice@example.org");

            // A and B at once: one holds the lock, the other waits, names it, then finds it all done
            Started runA = start(runs, a, alice, "apply", "--no-color", "--lock-timeout", "15m");
            Started runB = start(runs, b, alice, "apply", "--no-color", "--lock-timeout", "15m");
            ExampleRuns.Run doneA = runA.finish();
            ExampleRuns.Run doneB = runB.finish();
            assertThat(doneA.code()).as(doneA.text()).isZero();
            assertThat(doneB.code()).as(doneB.text()).isZero();
            boolean bWaited = doneB.text().contains("waiting up to");
            ExampleRuns.Run waited = bWaited ? doneB : doneA;
            ExampleRuns.Run held = bWaited ? doneA : doneB;
            long holderPid = bWaited ? runA.pid : runB.pid;
            assertThat(held.text()).as("only one waits").doesNotContain("waiting up to");
            assertThat(waited.text()).as("the waiting run names the holder").containsPattern(
                    "waiting up to 900s for the state lock \\(.*\\), held by 'apply' by .* \\(pid " + holderPid + "\\) since ");
            assertThat(held.text()).contains("run.check: This email is compromised!").contains("> run.check.deal");
            assertThat(outsideSteps(waited.text())).as("the waiting run acted on nothing outside: " + waited.text()).isEmpty();
            assertThat(waited.text()).contains("run.check: This email is compromised!");
            assertChain(devnet, 1);

            // the runner that waited plans nothing to do
            ExampleRuns.Run plan = runs.teeflow(bWaited ? b : a, alice, "plan", "--no-color", "--detailed-exitcode");
            assertThat(plan.code()).as(plan.text()).isZero();
            assertThat(plan.text()).contains("Nothing to do");

            // a fresh copy with another email: only the secret, the deal, its wait and the fetch act
            Path c = ExampleRuns.copyOfTheExample(Files.createDirectories(work.resolve("c")));
            ExampleRuns.Run safe = runs.teeflow(c, with(alice, "MY_EMAIL", "nobody@example.org"), "apply", "--no-color");
            assertThat(safe.code()).as(safe.text()).isZero();
            Set<String> ran = started(safe.text());
            ran.removeAll(LOCAL);
            assertThat(ran).as(safe.text()).containsExactlyInAnyOrder("requester.secret.my_email", "run.check.deal",
                    "run.check.wait", "run.check.fetch");
            assertThat(safe.text()).contains("run.check: This email is safe!").doesNotContain("nobody@example.org");
            assertThat(safe.text()).containsPattern("> dataset\\.emails\\.encrypt \\(re-run: restore: the ciphertext emails\\.xlsx\\.enc is not on this machine")
                    .containsPattern("> result\\.encryption-key \\(re-run: restore: the public key file public-key\\.pem is not on this machine");
            assertChain(devnet, 2);
        } finally {
            if (host != null) {
                host.close();
            }
            if (postgres != null) {
                postgres.drop(schema);
            }
            runs.devnetDown();
        }
    }

    /** The settings of the shared state as CI gives them: environment only, the pipeline file unchanged. */
    private static Map<String, String> stateEnv(String backend, PostgresServer postgres, String schema, GitHostServer host) {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        Map<String, String> env = new HashMap<>();
        env.put("TEEFLOW_STATE_BACKEND", backend);
        env.put("TEEFLOW_STATE_KEY_REF", "env:STATE_KEY");
        env.put("STATE_KEY", Base64.getEncoder().encodeToString(raw));
        if (postgres != null) {
            env.put("TEEFLOW_STATE_CONFIG_URL", postgres.url);
            env.put("TEEFLOW_STATE_CONFIG_USER", postgres.user);
            env.put("TEEFLOW_STATE_CONFIG_PASSWORD", "file:" + postgres.passwordFile);
            env.put("TEEFLOW_STATE_CONFIG_SCHEMA", schema);
        } else {
            env.put("TEEFLOW_STATE_CONFIG_REMOTE", host.repositoryUrl("team", "email-checker").toString());
            env.put("TEEFLOW_STATE_CONFIG_USERNAME", "ci");
            env.put("TEEFLOW_STATE_CONFIG_TOKEN", "env:GIT_TOKEN");
            env.put("GIT_TOKEN", TOKEN);
        }
        return env;
    }

    private static void assertChain(JsonNode devnet, int deals) throws Exception {
        try (Web3jClient chain = new Web3jClient(devnet.path("rpc").asText())) {
            assertThat(chain.count(devnet.path("appRegistry").asText(), EmailCheckerCrashMatrixTest.MINT_TOPIC,
                    EmailCheckerCrashMatrixTest.ZERO_TOPIC)).as("apps deployed").isEqualTo(1);
            assertThat(chain.count(devnet.path("datasetRegistry").asText(), EmailCheckerCrashMatrixTest.MINT_TOPIC,
                    EmailCheckerCrashMatrixTest.ZERO_TOPIC)).as("datasets deployed").isEqualTo(1);
            assertThat(chain.count(devnet.path("hub").asText(), EmailCheckerCrashMatrixTest.DEAL_TOPIC, null))
                    .as("deals made").isEqualTo(deals);
        }
    }

    /** The steps a run started ("> address (why)" lines), restores left out. */
    private static Set<String> started(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = STARTED.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The started steps that act outside (push, deploy, SMS, deal). */
    private static List<String> outsideSteps(String text) {
        List<String> out = new ArrayList<>(started(text));
        out.retainAll(EmailCheckerCrashMatrixTest.EXTERNAL);
        return out;
    }

    private static Map<String, String> with(Map<String, String> env, String... pairs) {
        Map<String, String> out = new HashMap<>(env);
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return out;
    }

    /** A teeflow process started now; {@link #finish} waits for it and returns what it printed. */
    private record Started(Process process, long pid, Path log) {
        ExampleRuns.Run finish() throws Exception {
            if (!process.waitFor(20, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
            return new ExampleRuns.Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    private Started start(ExampleRuns runs, Path dir, Map<String, String> env, String... args) throws Exception {
        Path log = Files.createTempFile(work, "run", ".log");
        Process p = runs.process(dir, env, args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Started(p, p.pid(), log);
    }
}
