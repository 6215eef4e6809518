package dev.teeflow.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.jenkins.DeclarativePipeline.Build;
import dev.teeflow.jenkins.DeclarativePipeline.StageRun;
import dev.teeflow.jenkins.PipelineMock.ShCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Runs the example Jenkinsfiles as Jenkins would: a declarative pipeline whose {@code @Library('teeflow')}
 * is this working tree's vars/ and src/, with mock plugin steps. Each run is also checked against the
 * pipeline file it drives (every --param declared, every env: secret bound, the lock named after its
 * target and wallet) and for secrets pasted into scripts, so an example cannot drift from the library or
 * from the pipeline it runs.
 */
class ExampleJenkinsfileTest {
    static final Path LIBRARY = Path.of("").toAbsolutePath();
    static final Path REPO = LIBRARY.getParent();
    static final String WORKSPACE = "/var/lib/jenkins/workspace/teeflow";
    static final String LAUNCHER = WORKSPACE + "/bin/teeflow";

    final PipelineMock jenkins = new PipelineMock(REPO, LIBRARY);
    final DeclarativePipeline declarative = new DeclarativePipeline(jenkins);
    /** The teeflow command the scripts under test run. */
    String launcher = LAUNCHER;

    ExampleJenkinsfileTest() {
        jenkins.env.put("WORKSPACE", WORKSPACE);
    }

    Build run(String jenkinsfile, String branch) {
        jenkins.env.put("BRANCH_NAME", branch);
        Build build = declarative.run(jenkinsfile);
        checkEverySecretStaysInTheEnvironment();
        checkTeeflowCommandsAgainstTheirPipelineFiles();
        return build;
    }

    // ---- examples/jenkins/Jenkinsfile: plan everywhere, apply on main ----

    @Test
    void helloOnMainValidatesPlansAndAppliesUnderTheLock() {
        Build build = run("examples/jenkins/Jenkinsfile", "main");
        assertThat(build.result()).as(build.errorMessages()).isEqualTo("SUCCESS");
        assertThat(build.stages()).containsExactly(new StageRun("Validate", "ran"), new StageRun("Plan", "ran"),
                new StageRun("Apply", "ran"));
        assertThat(build.options()).containsExactly("disableConcurrentBuilds", "timestamps");

        String teeflow = "'" + LAUNCHER + "' ";
        assertThat(jenkins.sh).extracting(ShCall::stage, ShCall::script).containsExactly(
                tuple("Validate", teeflow + "'validate' '--no-color' '--file' 'teeflow.yml'"),
                tuple("Plan", "status=0; " + teeflow + "'plan' '--no-color' '--file' 'teeflow.yml' '--param' 'greeting=Hello from Jenkins'"
                        + " > teeflow-plan.txt 2>&1 || status=$?; cat teeflow-plan.txt; exit $status"),
                tuple("Plan", teeflow + "'plan' '--no-color' '--file' 'teeflow.yml' '--param' 'greeting=Hello from Jenkins' '--json' > teeflow-plan.json"),
                tuple("Apply", teeflow + "'apply' '--no-color' '--file' 'teeflow.yml' '--param' 'greeting=Hello from Jenkins'"));
        assertThat(jenkins.sh).allSatisfy(call -> assertThat(call.dir()).isEqualTo("examples/hello"));
        assertThat(jenkins.sh.get(0).credentialVariables()).isEmpty();
        assertThat(jenkins.sh.get(1).credentialVariables()).containsExactly("WALLET_PASSWORD");
        assertThat(jenkins.sh.get(3).credentialVariables()).containsExactlyInAnyOrder("WALLET_PASSWORD", "WALLET_KEYSTORE");

        // Only apply is locked, per chain and wallet.
        assertThat(jenkins.locks).containsExactly("teeflow-bellecour-ci-wallet");
        assertThat(jenkins.sh).extracting(ShCall::lock).containsExactly(null, null, null, "teeflow-bellecour-ci-wallet");
        // The plan is archived in Plan; the block's build/** after apply, still inside the lock.
        assertThat(jenkins.archived).extracting(PipelineMock.Archive::artifacts, PipelineMock.Archive::stage,
                PipelineMock.Archive::dir, PipelineMock.Archive::lock).containsExactly(
                tuple("teeflow-plan.json,teeflow-plan.txt", "Plan", "examples/hello", null),
                tuple("build/**", "Apply", "examples/hello", "teeflow-bellecour-ci-wallet"));
        assertThat(jenkins.events).containsSubsequence("stage:Apply", "lock+", "withCredentials+", "sh", "archive",
                "withCredentials-", "lock-");
    }

    @Test
    void helloOnABranchPlansButDoesNotApply() {
        Build build = run("examples/jenkins/Jenkinsfile", "feature/x");
        assertThat(build.result()).as(build.errorMessages()).isEqualTo("SUCCESS");
        assertThat(build.stages()).extracting(StageRun::status).containsExactly("ran", "ran", "skipped (when)");
        assertThat(commands()).containsExactly("validate", "plan", "plan");
        assertThat(jenkins.locks).isEmpty();
        assertThat(jenkins.archived).extracting(PipelineMock.Archive::artifacts).containsExactly("teeflow-plan.json,teeflow-plan.txt");
    }

    @Test
    void helloFailingApplyFailsTheBuildAndReleasesTheLock() {
        jenkins.failScripts(script -> script.contains("'apply'"), 3);
        Build build = run("examples/jenkins/Jenkinsfile", "main");
        assertThat(build.result()).isEqualTo("FAILURE");
        assertThat(build.errorMessages()).contains("script returned exit code 3");
        assertThat(build.stages()).extracting(StageRun::status).containsExactly("ran", "ran", "failed");
        // The block after apply does not run: nothing from a failed apply is archived.
        assertThat(jenkins.archived).extracting(PipelineMock.Archive::stage).containsExactly("Plan");
        assertThat(jenkins.events).endsWith("sh", "withCredentials-", "lock-");
    }

    @Test
    void helloFailingPlanSkipsApply() {
        jenkins.failScripts(script -> script.contains("'plan'"), 1);
        Build build = run("examples/jenkins/Jenkinsfile", "main");
        assertThat(build.result()).isEqualTo("FAILURE");
        assertThat(build.stages()).extracting(StageRun::status).containsExactly("ran", "failed", "skipped (earlier failure)");
        assertThat(commands()).containsExactly("validate", "plan");
        assertThat(jenkins.locks).isEmpty();
    }

    // ---- examples/email-checker/Jenkinsfile: the whole app on a devnet on the agent ----

    @Test
    void emailCheckerStartsTheDevnetPlansAppliesAndStopsIt() {
        Build build = run("examples/email-checker/Jenkinsfile", "main");
        assertThat(build.result()).as(build.errorMessages()).isEqualTo("SUCCESS");
        assertThat(build.stages()).containsExactly(new StageRun("Devnet", "ran"), new StageRun("Plan", "ran"),
                new StageRun("Apply", "ran"));
        assertThat(build.post()).containsExactly("always");

        String teeflow = "'" + LAUNCHER + "' ";
        assertThat(jenkins.sh).extracting(ShCall::stage, ShCall::script).containsExactly(
                tuple("Devnet", "sudo scripts/ensure-packages.sh && sudo scripts/docker-up.sh && sudo scripts/base-images.sh"),
                tuple("Devnet", "bin/teeflow devnet up"),
                tuple("Plan", "status=0; " + teeflow + "'plan' '--no-color' '--file' 'teeflow.yml' > teeflow-plan.txt 2>&1"
                        + " || status=$?; cat teeflow-plan.txt; exit $status"),
                tuple("Plan", teeflow + "'plan' '--no-color' '--file' 'teeflow.yml' '--json' > teeflow-plan.json"),
                tuple("Apply", teeflow + "'apply' '--no-color' '--file' 'teeflow.yml' '--lock-timeout' '15m'"),
                tuple("post always", "bin/teeflow devnet down || true"));
        // The devnet commands run at the workspace root, teeflow in the example's folder.
        assertThat(jenkins.sh).extracting(ShCall::dir)
                .containsExactly(null, null, "examples/email-checker", "examples/email-checker", "examples/email-checker", null);
        // MY_EMAIL (the pipeline's env:MY_EMAIL secret) is bound for plan and apply, and only for them.
        assertThat(jenkins.sh).extracting(ShCall::credentialVariables).containsExactly(List.of(), List.of(),
                List.of("MY_EMAIL"), List.of("MY_EMAIL"), List.of("MY_EMAIL"), List.of());
        assertThat(jenkins.locks).containsExactly("teeflow-devnet-devnet");
        assertThat(jenkins.archived).extracting(PipelineMock.Archive::artifacts, PipelineMock.Archive::stage,
                PipelineMock.Archive::dir, PipelineMock.Archive::lock).containsExactly(
                tuple("teeflow-plan.json,teeflow-plan.txt", "Plan", "examples/email-checker", null),
                tuple("out/**", "Apply", "examples/email-checker", "teeflow-devnet-devnet"));
        assertThat(jenkins.archived.get(1).args().get("allowEmptyArchive")).isEqualTo(false);
    }

    @Test
    void emailCheckerFailingApplyFailsTheBuildAndStillStopsTheDevnet() {
        jenkins.failScripts(script -> script.contains("'apply'"), 1);
        Build build = run("examples/email-checker/Jenkinsfile", "main");
        assertThat(build.result()).isEqualTo("FAILURE");
        assertThat(build.errorMessages()).contains("script returned exit code 1");
        assertThat(build.stages()).extracting(StageRun::status).containsExactly("ran", "ran", "failed");
        assertThat(build.post()).containsExactly("always");
        assertThat(jenkins.sh.get(jenkins.sh.size() - 1).script()).isEqualTo("bin/teeflow devnet down || true");
        assertThat(jenkins.archived).extracting(PipelineMock.Archive::artifacts).containsExactly("teeflow-plan.json,teeflow-plan.txt");
        assertThat(jenkins.events).containsSubsequence("lock+", "sh", "withCredentials-", "lock-", "stage:post always");
    }

    @Test
    void emailCheckerWithoutADevnetRunsNoTeeflowCommand() {
        jenkins.failScripts(script -> script.equals("bin/teeflow devnet up"), 1);
        Build build = run("examples/email-checker/Jenkinsfile", "main");
        assertThat(build.result()).isEqualTo("FAILURE");
        assertThat(build.stages()).extracting(StageRun::status)
                .containsExactly("failed", "skipped (earlier failure)", "skipped (earlier failure)");
        assertThat(commands()).isEmpty();
        assertThat(build.post()).containsExactly("always");
    }

    // ---- drift: an example that uses a setting, step or directive that does not exist fails ----

    @Test
    void aMistypedSettingInAnExampleFailsTheBuildNamingIt(@TempDir Path tmp) throws IOException {
        Build build = declarative.run(mutated(tmp, "examples/jenkins/Jenkinsfile", "launcher:", "launchr:"));
        assertThat(build.result()).isEqualTo("FAILURE");
        assertThat(build.errorMessages()).contains("unknown setting(s) launchr");
        assertThat(commands()).isEmpty();
    }

    @Test
    void aMistypedStepOrDirectiveInAnExampleFailsTheBuild(@TempDir Path tmp) throws IOException {
        Build step = declarative.run(mutated(tmp, "examples/email-checker/Jenkinsfile", "archiveArtifacts", "archiveArtifact"));
        assertThat(step.result()).isEqualTo("FAILURE");
        assertThat(step.errorMessages()).contains("archiveArtifact()");

        PipelineMock other = new PipelineMock(REPO, LIBRARY);
        other.env.put("WORKSPACE", WORKSPACE);
        Build library = new DeclarativePipeline(other).run(mutated(tmp, "examples/jenkins/Jenkinsfile", "teeflow(command: 'validate'",
                "teeflw(command: 'validate'"));
        assertThat(library.result()).isEqualTo("FAILURE");
        assertThat(library.errorMessages()).contains("teeflw()");

        PipelineMock third = new PipelineMock(REPO, LIBRARY);
        Build directive = new DeclarativePipeline(third).run(mutated(tmp, "examples/jenkins/Jenkinsfile", "when { branch", "when { brnch"));
        assertThat(directive.result()).isEqualTo("FAILURE");
        assertThat(directive.errorMessages()).contains("brnch()");
    }

    @Test
    void aParameterThePipelineDoesNotDeclareIsCaught() {
        PipelineMock.ShCall call = new PipelineMock.ShCall("'" + LAUNCHER + "' 'plan' '--no-color' '--file' 'teeflow.yml' '--param' 'greting=hi'",
                null, null, List.of(), "examples/hello", "Plan");
        assertThat(problemsWith(TeeflowInvocation.find(call, LAUNCHER))).singleElement().asString()
                .contains("--param greting", "examples/hello/teeflow.yml declares [greeting]");
    }

    @Test
    void theCommandReaderTellsLiteralDollarsFromEnvironmentReferences() {
        PipelineMock.ShCall call = new PipelineMock.ShCall("status=0; 'teeflow' 'apply' '--param' 'price=$5 it'\"'\"'s' "
                + "'--param' 'keystore='\"$WALLET_KEYSTORE\" '--target' 'app.x.build' > out.txt || status=$?", null, null,
                List.of(), null, null);
        TeeflowInvocation teeflow = TeeflowInvocation.find(call, "teeflow");
        assertThat(teeflow.command()).isEqualTo("apply");
        assertThat(teeflow.params()).containsExactly(Map.entry("price", "$5 it's"), Map.entry("keystore", "$WALLET_KEYSTORE"));
        assertThat(teeflow.targets()).containsExactly("app.x.build");
        assertThat(teeflow.environmentReferences()).containsExactly("WALLET_KEYSTORE");
    }

    // ---- the documented examples run as written ----

    @Test
    void theExampleInDocsJenkinsMdRuns(@TempDir Path tmp) throws IOException {
        String doc = Files.readString(REPO.resolve("docs/jenkins.md"));
        String example = doc.substring(doc.indexOf("```groovy\n") + 10, doc.indexOf("```", doc.indexOf("```groovy\n") + 10));
        assertThat(example).contains("@Library('teeflow') _");
        runDocumentedExample(tmp, "JenkinsMdExample.groovy", example);
    }

    @Test
    void theExampleInTheStepHelpRuns(@TempDir Path tmp) throws IOException {
        String help = Files.readString(LIBRARY.resolve("vars/teeflow.txt"));
        String example = help.substring(help.indexOf("<pre>") + 5, help.indexOf("</pre>"))
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        runDocumentedExample(tmp, "TeeflowTxtExample.groovy", "@Library('teeflow') _\n" + example);
    }

    /** Both documented examples plan teeflow.yml, then apply it on bellecour with a keystore credential. */
    private void runDocumentedExample(Path tmp, String name, String script) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, script);
        launcher = "teeflow";
        jenkins.runJenkinsfile(file.toString());
        checkEverySecretStaysInTheEnvironment();
        assertThat(commands()).containsExactly("plan", "plan", "apply");
        assertThat(jenkins.archived).extracting(PipelineMock.Archive::artifacts).containsExactly("teeflow-plan.json,teeflow-plan.txt");
        assertThat(jenkins.locks).containsExactly("teeflow-bellecour-ci-wallet");
        ShCall apply = jenkins.sh.get(2);
        assertThat(apply.lock()).isEqualTo("teeflow-bellecour-ci-wallet");
        assertThat(apply.script()).contains("'--param' 'keystore='\"$");
        assertThat(apply.credentialVariables()).hasSize(4);
    }

    @Test
    void theDocumentedSettingsAreTheLibrarysSettings() throws Exception {
        Class<?> command = jenkins.helper.loadScript(REPO.resolve("examples/jenkins/Jenkinsfile").toString(), jenkins.binding)
                .getClass().getClassLoader().loadClass("dev.teeflow.jenkins.Command");
        List<String> settings = new ArrayList<>(((Map<?, ?>) command.getMethod("getDEFAULTS").invoke(null)).keySet().stream()
                .map(Object::toString).toList());

        String doc = Files.readString(REPO.resolve("docs/jenkins.md"));
        String table = doc.substring(doc.indexOf("| Setting |"), doc.indexOf("\n\n", doc.indexOf("| Setting |")));
        List<String> documented = new ArrayList<>();
        table.lines().skip(2).forEach(row -> {
            String first = row.split("\\|")[1];
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("`([A-Za-z]+)`").matcher(first);
            while (m.find()) {
                documented.add(m.group(1));
            }
        });
        assertThat(documented).as("settings table of docs/jenkins.md").containsExactlyInAnyOrderElementsOf(settings);

        String help = Files.readString(LIBRARY.resolve("vars/teeflow.txt"));
        List<String> helped = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<li><code>([A-Za-z]+)</code>(?:, <code>([A-Za-z]+)</code>)?").matcher(help);
        while (m.find()) {
            helped.add(m.group(1));
            if (m.group(2) != null) {
                helped.add(m.group(2));
            }
        }
        assertThat(helped).as("settings in vars/teeflow.txt").containsExactlyInAnyOrderElementsOf(settings);
    }

    @Test
    void theReadmeLinksBothExampleJenkinsfiles() throws IOException {
        String readme = Files.readString(REPO.resolve("README.md"));
        assertThat(readme).contains("(examples/email-checker/Jenkinsfile)", "(examples/jenkins/Jenkinsfile)", "(docs/jenkins.md)");
    }

    // ---- checks made on every run ----

    /**
     * No script holds a credential's value (withCredentials put a recognisable one into env), and every
     * variable a script expands is bound by withCredentials at that moment.
     */
    private void checkEverySecretStaysInTheEnvironment() {
        assertThat(jenkins.sh).allSatisfy(call -> {
            assertThat(call.script()).doesNotContain(PipelineMock.SECRET_PREFIX);
            TeeflowInvocation teeflow = TeeflowInvocation.find(call, launcher);
            if (teeflow != null) {
                assertThat(call.credentialVariables()).as("variables bound for %s", call.script())
                        .containsAll(teeflow.environmentReferences());
            }
        });
    }

    /** Every teeflow command fits the pipeline file it runs: the file exists, params are declared, secrets bound. */
    private void checkTeeflowCommandsAgainstTheirPipelineFiles() {
        List<String> problems = new ArrayList<>();
        for (ShCall call : jenkins.sh) {
            TeeflowInvocation teeflow = TeeflowInvocation.find(call, LAUNCHER);
            if (teeflow != null) {
                problems.addAll(problemsWith(teeflow));
            }
        }
        assertThat(problems).isEmpty();
    }

    private static List<String> problemsWith(TeeflowInvocation teeflow) {
        List<String> problems = new ArrayList<>();
        String dir = teeflow.call().dir() == null ? "" : teeflow.call().dir() + "/";
        String pipelinePath = dir + (teeflow.file() == null ? "teeflow.yml" : teeflow.file());
        Path pipelineFile = REPO.resolve(pipelinePath);
        if (!Files.isRegularFile(pipelineFile)) {
            return List.of(teeflow.command() + " runs " + pipelinePath + ", which does not exist");
        }
        Map<?, ?> pipeline;
        try {
            pipeline = (Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(pipelineFile));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<?, ?> declared = pipeline.get("params") instanceof Map<?, ?> p ? p : Map.of();
        for (String param : teeflow.params().keySet()) {
            if (!declared.containsKey(param)) {
                problems.add(teeflow.command() + " passes --param " + param + " but " + pipelinePath + " declares "
                        + declared.keySet() + " (teeflow refuses unknown parameters)");
            }
        }
        if (!teeflow.command().equals("validate")) {
            for (String secret : envSecrets(pipeline, new ArrayList<>())) {
                if (!teeflow.call().credentialVariables().contains(secret)) {
                    problems.add(teeflow.command() + " of " + pipelinePath + " needs env:" + secret + " but no credential binds it");
                }
            }
        }
        if (teeflow.command().equals("apply")) {
            if (teeflow.call().lock() == null) {
                problems.add("apply of " + pipelinePath + " runs outside a lock");
            } else if (pipeline.get("target") instanceof String target && pipeline.get("wallet") instanceof String wallet
                    && !teeflow.call().lock().equals("teeflow-" + target + "-" + wallet)) {
                problems.add("apply of " + pipelinePath + " (target " + target + ", wallet " + wallet + ") holds lock "
                        + teeflow.call().lock() + ": give the Jenkinsfile target: '" + target + "', wallet: '" + wallet + "'");
            }
        }
        return problems;
    }

    /** The env:NAME secret references anywhere in a pipeline file's values. */
    private static List<String> envSecrets(Object node, List<String> found) {
        if (node instanceof Map<?, ?> map) {
            map.values().forEach(v -> envSecrets(v, found));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> envSecrets(v, found));
        } else if (node instanceof String s && s.matches("env:[A-Za-z_][A-Za-z0-9_]*")) {
            found.add(s.substring(4));
        }
        return found;
    }

    // ---- helpers ----

    private List<String> commands() {
        return jenkins.sh.stream().map(call -> TeeflowInvocation.find(call, launcher)).filter(java.util.Objects::nonNull)
                .map(TeeflowInvocation::command).toList();
    }

    /** A copy of an example with one piece of text replaced (which must be there), as an absolute path. */
    private static String mutated(Path tmp, String example, String from, String to) throws IOException {
        String text = Files.readString(REPO.resolve(example));
        assertThat(text).contains(from);
        Path dir = Files.createDirectories(tmp.resolve(example.replace('/', '_') + "-" + Integer.toHexString(to.hashCode())));
        Path file = dir.resolve("Jenkinsfile");
        Files.writeString(file, text.replace(from, to));
        return file.toString();
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }
}
