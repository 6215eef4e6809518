package dev.teeflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What {@code plan} says is what {@code apply} does, step by step: each example is applied, then one input
 * of each kind is changed (the app's code, the dataset, a secret's value, a run setting, a parameter, a
 * source file) and the plan's "will run" / "up to date" is compared with what the next apply did. A plan
 * that says a deal will be paid must mean it, and a plan that says nothing runs must mean that too.
 * Each command runs as its own process against this test's devnet, as a user runs them.
 */
class PlanMatchesApplyTest extends OneDevnetPerClass {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern OUTCOME = Pattern.compile("^([+=x-]) (\\S+) (done|up-to-date|failed|not run)");

    /** address -> "run" or "up-to-date", as the plan says. */
    private static Map<String, String> planned(ExampleRuns.Run plan) throws Exception {
        assertThat(plan.code()).as(plan.text()).isZero();
        String text = plan.text();
        JsonNode doc = JSON.readTree(text.substring(text.indexOf('{')));
        Map<String, String> out = new TreeMap<>();
        for (JsonNode s : doc.path("steps")) {
            String action = s.path("action").asText();
            assertThat(action).as(s.path("address").asText() + ": " + s.path("reason").asText()).isNotEqualTo("blocked");
            out.put(s.path("address").asText(), action.equals("up-to-date") ? "up-to-date" : "run");
        }
        return out;
    }

    /** address -> "run" or "up-to-date", as apply did it. */
    private static Map<String, String> applied(ExampleRuns.Run apply) {
        assertThat(apply.code()).as(apply.text()).isZero();
        Map<String, String> out = new TreeMap<>();
        for (String line : apply.text().lines().toList()) {
            Matcher m = OUTCOME.matcher(line);
            if (m.find()) {
                out.put(m.group(2), m.group(3).equals("done") ? "run" : m.group(3));
            }
        }
        return out;
    }

    /** How a command is run: its own process, or (for examples without a devnet) the CLI in this JVM. */
    private interface Teeflow {
        ExampleRuns.Run run(Path project, Map<String, String> env, String... args) throws Exception;
    }

    private static ExampleRuns.Run inThisJvm(Path project, Map<String, String> env, String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream print = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
        String[] all = Stream.concat(Stream.of(args), Stream.of("--file", project.resolve("teeflow.yml").toString()))
                .toArray(String[]::new);
        int code = dev.teeflow.cli.Main.run(all, env, print, print);
        return new ExampleRuns.Run(code, out.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static List<String> planThenApply(String change, Path project, Map<String, String> env, String... extra)
            throws Exception {
        return planThenApply(runs::teeflow, change, project, env, extra);
    }

    /** Plans, applies, and checks they agree; returns the steps that ran. */
    private static List<String> planThenApply(Teeflow teeflow, String change, Path project, Map<String, String> env,
                                              String... extra) throws Exception {
        String[] planArgs = Stream.concat(Stream.of("plan", "--json", "--no-color"), Stream.of(extra)).toArray(String[]::new);
        String[] applyArgs = Stream.concat(Stream.of("apply", "--no-color"), Stream.of(extra)).toArray(String[]::new);
        Map<String, String> plan = planned(teeflow.run(project, env, planArgs));
        ExampleRuns.Run apply = teeflow.run(project, env, applyArgs);
        Map<String, String> did = applied(apply);
        assertThat(did).as("after " + change + ": the plan said " + plan + "\n" + apply.text()).isEqualTo(plan);
        return did.entrySet().stream().filter(e -> e.getValue().equals("run")).map(Map.Entry::getKey).toList();
    }

    private static void edit(Path file, String from, String to) throws Exception {
        String text = Files.readString(file);
        assertThat(text).as(file.toString()).contains(from);
        Files.writeString(file, text.replace(from, to));
    }

    @Test
    void theEmailCheckerDoesWhatItsPlanSaysAfterEveryKindOfChange() throws Exception {
        Path project = ExampleRuns.copyOfTheExample(work);
        Map<String, String> env = new LinkedHashMap<>(Map.of("TEEFLOW_GIT_HOST", devnet.path("gitHost").asText(),
                "MY_EMAIL", "alice@example.org"));
        assertThat(planThenApply("the first apply", project, env)).contains("run.check.deal");
        assertThat(planThenApply("nothing", project, env)).isEmpty();

        edit(project.resolve("src/app.py"), "verbose = ", "# edited\nverbose = ");
        assertThat(planThenApply("an edit of the app", project, env))
                .contains("app.checker.build", "app.checker.push", "app.checker.deploy", "run.check.deal")
                .doesNotContain("dataset.emails.encrypt");

        edit(project.resolve("tools/make_emails.py"), "\"Example Org\"", "\"Example Org Two\"");
        assertThat(planThenApply("a change of the dataset", project, env))
                .contains("dataset.emails.encrypt", "dataset.emails.deploy", "run.check.deal")
                .doesNotContain("app.checker.build");

        env.put("MY_EMAIL", "nobody@example.org");
        assertThat(planThenApply("another secret value", project, env))
                .contains("requester.secret.my_email", "run.check.deal").doesNotContain("app.checker.build");

        edit(project.resolve("teeflow.yml"), "args: [--verbose]", "args: [--verbose, again]");
        assertThat(planThenApply("a run setting", project, env)).contains("run.check.deal", "run.check.fetch")
                .doesNotContain("app.checker.build", "dataset.emails.encrypt");

        assertThat(planThenApply("nothing", project, env)).isEmpty();
    }

    @Test
    void theHelloExampleDoesWhatItsPlanSaysAfterEveryKindOfChange() throws Exception {
        Path source = Files.isDirectory(Path.of("hello")) ? Path.of("hello") : Path.of("examples", "hello");
        Path project = work.resolve("hello");
        Files.createDirectories(project.resolve("src"));
        Files.copy(source.resolve("teeflow.yml"), project.resolve("teeflow.yml"));
        Files.copy(source.resolve("src/words.txt"), project.resolve("src/words.txt"));
        Map<String, String> env = System.getenv();
        assertThat(planThenApply(PlanMatchesApplyTest::inThisJvm, "the first apply", project, env)).isNotEmpty();
        assertThat(planThenApply(PlanMatchesApplyTest::inThisJvm, "nothing", project, env)).isEmpty();

        Files.writeString(project.resolve("src/words.txt"), Files.readString(project.resolve("src/words.txt")) + "more\n");
        assertThat(planThenApply(PlanMatchesApplyTest::inThisJvm, "a source file", project, env)).contains("words", "count", "greet", "page");

        assertThat(planThenApply(PlanMatchesApplyTest::inThisJvm, "a parameter", project, env, "-p", "greeting=Hi")).contains("greet", "page")
                .doesNotContain("words");
        assertThat(planThenApply(PlanMatchesApplyTest::inThisJvm, "nothing", project, env, "-p", "greeting=Hi")).isEmpty();
    }
}
