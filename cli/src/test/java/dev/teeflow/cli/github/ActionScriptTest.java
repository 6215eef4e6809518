package dev.teeflow.cli.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Runs the action's script (github/run.sh) the way the runner does: inputs as environment variables,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as files, and this build's CLI behind the launcher.
 */
class ActionScriptTest {
    static final Path REPO = Path.of("").toAbsolutePath().getParent();
    static final String SECRET = "act10n-s3cret-Value";

    @TempDir
    Path tmp;
    Path workspace;
    Path outputFile;
    Path summaryFile;
    Path launcher;
    final Map<String, String> env = new HashMap<>();
    String stdout;

    @BeforeEach
    void runner() throws Exception {
        assertThat(REPO.resolve("action.yml")).exists();
        workspace = Files.createDirectories(tmp.resolve("workspace"));
        outputFile = Files.createFile(tmp.resolve("github_output"));
        summaryFile = Files.createFile(tmp.resolve("step_summary"));
        // The launcher, minus the build: this JVM's java and the test class path (the CLI just compiled).
        launcher = tmp.resolve("teeflow");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(launcher, "#!/bin/sh\nexec '" + java + "' -cp '" + System.getProperty("java.class.path")
                + "' dev.teeflow.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        env.put("GITHUB_ACTIONS", "true");
        env.put("GITHUB_WORKSPACE", workspace.toString());
        env.put("GITHUB_OUTPUT", outputFile.toString());
        env.put("GITHUB_STEP_SUMMARY", summaryFile.toString());
        env.put("TEEFLOW_BIN", launcher.toString());
        env.put("MY_TOKEN", SECRET);
        Files.createDirectories(workspace.resolve("deploy"));
        Files.writeString(workspace.resolve("deploy/teeflow.yml"), """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: action-test
                params:
                  greeting: Hello
                steps:
                  secret-user:
                    type: command
                    with:
                      run: 'echo "using $TOKEN"; echo "::set-output name=x::y"'
                      env: { TOKEN: { secret: env:MY_TOKEN } }
                  page:
                    type: file
                    with:
                      path: out/page.txt
                      content: "${{ params.greeting }}"
                """);
    }

    int runScript() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", REPO.resolve("github/run.sh").toString())
                .directory(workspace.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("GITHUB_") || k.startsWith("TEEFLOW_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void applyPassesInputsLiterallyAndWritesOutputs() throws Exception {
        env.put("TEEFLOW_COMMAND", "apply");
        env.put("TEEFLOW_WORKING_DIRECTORY", "deploy");
        env.put("TEEFLOW_PARAMS", "# a comment\n\ngreeting=hi there $(touch pwned) `touch pwned2`\n");
        env.put("TEEFLOW_EXTRA_ARGS", "--parallelism 2  --lock-timeout 5s");
        assertThat(runScript()).as(stdout).isEqualTo(0);
        Path page = workspace.resolve("deploy/out/page.txt");
        assertThat(page).hasContent("hi there $(touch pwned) `touch pwned2`");
        assertThat(workspace.resolve("deploy/pwned")).doesNotExist();
        assertThat(workspace.resolve("pwned2")).doesNotExist();
        String outputs = Files.readString(outputFile);
        assertThat(outputs).contains("page__path=" + page + "\n", "secret-user__stdout<<", "succeeded=true\n", "exit-code=0\n");
        assertThat(outputs).doesNotContain(SECRET);
        assertThat(stdout).startsWith("::add-mask::");
        assertThat(stdout.lines().takeWhile(l -> l.startsWith("::add-mask::")).toList()).contains("::add-mask::" + SECRET);
        assertThat(stdout.lines().filter(l -> !l.startsWith("::add-mask::")).toList()).noneMatch(l -> l.contains(SECRET));
        assertThat(stdout).contains("::group::secret-user", "using ***");
        assertThat(Files.readString(summaryFile)).contains("## teeflow apply: action-test succeeded");
    }

    @Test
    void planIsTheDefaultAndReportsChanges() throws Exception {
        env.put("TEEFLOW_FILE", "deploy/teeflow.yml");
        env.put("TEEFLOW_TARGET", "page");
        assertThat(runScript()).as(stdout).isEqualTo(0);
        assertThat(Files.readString(outputFile)).contains("changes=true\n", "exit-code=0\n");
        String summary = Files.readString(summaryFile);
        assertThat(summary).contains("## teeflow plan: action-test", "| create | `page` |", "```mermaid")
                .doesNotContain("`secret-user`");
    }

    @Test
    void aSavedPlanIsWrittenByPlanAndAppliedAsIsByApply() throws Exception {
        env.put("TEEFLOW_WORKING_DIRECTORY", "deploy");
        env.put("TEEFLOW_INPUT_SAVED_PLAN", "teeflow.plan");
        assertThat(runScript()).as(stdout).isEqualTo(0);
        assertThat(Files.readString(workspace.resolve("deploy/teeflow.plan"))).contains("teeflow.saved-plan/v1").doesNotContain(SECRET);
        env.put("TEEFLOW_COMMAND", "apply");
        assertThat(runScript()).as(stdout).isEqualTo(0);
        assertThat(stdout).contains("The saved plan teeflow.plan still holds; applying it.");
        assertThat(Files.readString(outputFile)).contains("succeeded=true");
        // applied, the plan no longer holds: the state moved
        assertThat(runScript()).as(stdout).isEqualTo(1);
        assertThat(stdout).contains("the saved plan teeflow.plan no longer holds: the state of");
        env.put("TEEFLOW_COMMAND", "validate");
        assertThat(runScript()).isEqualTo(2);
        assertThat(stdout).contains("input 'saved-plan' goes with plan (writes it) or apply (applies it), not validate");
    }

    @Test
    void invalidPipelineBecomesAnnotationsAndExitTwo() throws Exception {
        Files.writeString(workspace.resolve("deploy/teeflow.yml"), """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: broken
                steps:
                  a:
                    type: command
                    with: { run: echo, colour: blue }
                """);
        env.put("TEEFLOW_COMMAND", "validate");
        env.put("TEEFLOW_WORKING_DIRECTORY", "deploy");
        assertThat(runScript()).isEqualTo(2);
        assertThat(stdout).containsPattern("(?m)^::error file=deploy/teeflow.yml,line=7,col=\\d+,title=teeflow::.*colour");
        assertThat(Files.readString(outputFile)).contains("exit-code=2\n");
    }

    @Test
    void badInputsAreRejectedWithAnAnnotation() throws Exception {
        env.put("TEEFLOW_COMMAND", "destroy; rm -rf /");
        assertThat(runScript()).isEqualTo(2);
        assertThat(stdout).startsWith("::error title=teeflow action::input 'command' must be plan, apply or validate");

        env.put("TEEFLOW_COMMAND", "plan");
        env.put("TEEFLOW_PARAMS", "not a pair");
        assertThat(runScript()).isEqualTo(2);
        assertThat(stdout).contains("::error title=teeflow action::input 'params'");
    }

    @Test
    @SuppressWarnings("unchecked")
    void actionPassesInputsOnlyThroughEnvAndPinsThirdPartyActions() throws Exception {
        Map<String, Object> action = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(REPO.resolve("action.yml")));
        Map<String, Object> runs = (Map<String, Object>) action.get("runs");
        assertThat(runs.get("using")).isEqualTo("composite");
        List<String> envValues = new ArrayList<>();
        for (Map<String, Object> step : (List<Map<String, Object>>) runs.get("steps")) {
            if (step.containsKey("run")) {
                assertThat((String) step.get("run")).as("run: script of " + step.get("name")).doesNotContain("${{");
                if (step.get("env") instanceof Map<?, ?> e) {
                    e.values().forEach(v -> envValues.add(String.valueOf(v)));
                }
            }
            if (step.containsKey("uses")) {
                assertThat((String) step.get("uses")).matches("actions/(setup-java|cache)@[0-9a-f]{40}");
            }
        }
        Map<String, Object> inputs = (Map<String, Object>) action.get("inputs");
        for (String input : inputs.keySet()) {
            if (!input.equals("java-version")) {
                assertThat(envValues).as("input " + input + " reaches a script through env").contains("${{ inputs." + input + " }}");
            }
        }
        Map<String, Object> outputs = (Map<String, Object>) action.get("outputs");
        assertThat(outputs).containsKeys("app-address", "dataset-address", "task-id", "result-path", "changes", "succeeded",
                "outputs", "exit-code");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"examples/github/teeflow.yml", "examples/email-checker/github-workflow.yml"})
    @SuppressWarnings("unchecked")
    void exampleWorkflowPlansOnPullRequestsAndNeverRacesTwoApplies(String workflow) throws Exception {
        Map<String, Object> wf = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(REPO.resolve(workflow)));
        Map<String, Object> concurrency = (Map<String, Object>) wf.get("concurrency");
        assertThat(concurrency).containsEntry("group", "teeflow-${{ github.ref }}").containsEntry("cancel-in-progress", false);
        Map<String, Object> on = (Map<String, Object>) wf.get("on");
        assertThat(on).containsKeys("pull_request", "push");
        Map<String, Map<String, Object>> jobs = (Map<String, Map<String, Object>>) wf.get("jobs");
        assertThat(String.valueOf(jobs.get("plan").get("if"))).contains("pull_request");
        assertThat(String.valueOf(jobs.get("apply").get("if"))).contains("refs/heads/main");
        for (Map<String, Object> job : jobs.values()) {
            for (Map<String, Object> step : (List<Map<String, Object>>) job.get("steps")) {
                if (step.containsKey("run")) {
                    assertThat((String) step.get("run")).doesNotContain("${{");
                }
                if ("./".equals(step.get("uses"))) {
                    Map<String, Object> stepEnv = (Map<String, Object>) step.get("env");
                    assertThat(stepEnv).isNotEmpty();
                    stepEnv.forEach((name, value) -> assertThat(String.valueOf(value))
                            .as("secret %s is passed from the repository's secrets", name).isEqualTo("${{ secrets." + name + " }}"));
                }
                if (step.get("uses") instanceof String uses && !uses.equals("./")) {
                    assertThat(uses).as("third-party actions are pinned to a commit").matches(".+@[0-9a-f]{40}");
                }
            }
        }
    }
}
