package dev.teeflow.cli.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the CLI in-process with a simulated GitHub Actions runner: the env vars and the files. */
class GitHubModeTest {
    static final String SECRET = "hunter2-Sup3r-s3cret";

    @TempDir
    Path workspace;
    Path project;
    Path outputFile;
    Path summaryFile;
    final Map<String, String> env = new HashMap<>();
    String stdout;
    String stderr;

    @BeforeEach
    void runner() throws Exception {
        project = Files.createDirectories(workspace.resolve("repo/pipelines"));
        outputFile = Files.createFile(workspace.resolve("github_output"));
        summaryFile = Files.createFile(workspace.resolve("step_summary"));
        env.put("GITHUB_ACTIONS", "true");
        env.put("GITHUB_WORKSPACE", workspace.resolve("repo").toString());
        env.put("GITHUB_OUTPUT", outputFile.toString());
        env.put("GITHUB_STEP_SUMMARY", summaryFile.toString());
        env.put("MY_TOKEN", SECRET);
    }

    int teeflow(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        stdout = out.toString(StandardCharsets.UTF_8);
        stderr = err.toString(StandardCharsets.UTF_8);
        return code;
    }

    Path pipeline(String steps) throws Exception {
        Path file = project.resolve("teeflow.yml");
        Files.writeString(file, "apiVersion: teeflow/v1\nkind: Pipeline\nname: gh\nsteps:\n" + steps);
        return file;
    }

    static final String LEAKY_STEPS = """
              leak:
                type: command
                with:
                  run: 'echo "token=$TOKEN"; printf %s "$TOKEN" | base64; printf %s "$TOKEN" | od -An -tx1 | tr -d " \\n"; echo; echo "::warning::pwned"; echo "::add-mask::x"'
                  env: { TOKEN: { secret: env:MY_TOKEN } }
              after:
                type: command
                with:
                  command: [sh, -c, 'printf "line one\\nline two\\n" > two.txt; echo done']
                  inputs: ["${{ leak.stdout }}"]
                  outputs: { lines: two.txt }
            """;

    @Test
    void masksComeBeforeAnyOtherLineAndCoverEncodedForms() throws Exception {
        Path file = pipeline(LEAKY_STEPS);
        assertThat(teeflow("apply", "-f", file.toString())).isEqualTo(0);
        List<String> lines = stdout.lines().toList();
        List<String> masks = new ArrayList<>();
        for (String l : lines) {
            if (!l.startsWith("::add-mask::")) {
                break;
            }
            masks.add(l.substring("::add-mask::".length()));
        }
        byte[] bytes = SECRET.getBytes(StandardCharsets.UTF_8);
        assertThat(masks).contains(SECRET, Base64.getEncoder().encodeToString(bytes), HexFormat.of().formatHex(bytes));
        // The only later add-mask line is the step's own fake one, printed while commands are stopped.
        assertThat(lines.stream().skip(masks.size()).filter(l -> l.startsWith("::add-mask::")).toList())
                .containsExactly("::add-mask::x");
    }

    @Test
    void secretFromEnvNeverAppearsOutsideMaskAnnouncements() throws Exception {
        Path file = pipeline(LEAKY_STEPS);
        teeflow("apply", "-f", file.toString());
        teeflow("plan", "-f", file.toString());
        byte[] bytes = SECRET.getBytes(StandardCharsets.UTF_8);
        List<String> forms = List.of(SECRET, Base64.getEncoder().encodeToString(bytes), HexFormat.of().formatHex(bytes));
        String visible = String.join("\n", stdout.lines().filter(l -> !l.startsWith("::add-mask::")).toList());
        String outputs = Files.readString(outputFile);
        String summary = Files.readString(summaryFile);
        for (String form : forms) {
            assertThat(visible).doesNotContain(form);
            assertThat(stderr).doesNotContain(form);
            assertThat(outputs).doesNotContain(form);
            assertThat(summary).doesNotContain(form);
        }
        assertThat(outputs).contains("token=***");
    }

    @Test
    void eachStepHasItsGroup() throws Exception {
        Path file = pipeline(LEAKY_STEPS);
        teeflow("apply", "-f", file.toString());
        List<String> lines = stdout.lines().toList();
        assertThat(lines).contains("::group::leak", "::group::after");
        assertThat(lines.stream().filter(l -> l.equals("::endgroup::")).count()).isEqualTo(2);
        int open = lines.indexOf("::group::leak");
        assertThat(lines.subList(open, lines.indexOf("::endgroup::"))).anyMatch(l -> l.equals("token=***"));
    }

    @Test
    void parallelStepsNeverInterleaveTheirGroups() throws Exception {
        StringBuilder steps = new StringBuilder();
        for (String name : List.of("alpha", "beta", "gamma")) {
            steps.append("  ").append(name).append(":\n    type: command\n    with:\n      run: 'for i in 1 2 3; do echo ")
                    .append(name).append("-$i; sleep 0.2; done'\n");
        }
        Path file = pipeline(steps.toString());
        assertThat(teeflow("apply", "-f", file.toString(), "--parallelism", "3")).isEqualTo(0);
        String group = null;
        List<String> seen = new ArrayList<>();
        for (String line : stdout.lines().toList()) {
            if (line.startsWith("::group::")) {
                assertThat(group).as("groups do not nest").isNull();
                group = line.substring("::group::".length());
                seen.add(group);
            } else if (line.equals("::endgroup::")) {
                group = null;
            } else if (line.matches("(alpha|beta|gamma)-\\d")) {
                assertThat(line).as("inside group " + group).startsWith(group + "-");
            }
        }
        assertThat(seen).containsExactlyInAnyOrder("alpha", "beta", "gamma");
        assertThat(stdout.lines().filter(l -> l.matches("(alpha|beta|gamma)-\\d")).count()).isEqualTo(9);
    }

    @Test
    void workflowCommandsInStepOutputAreNeutralised() throws Exception {
        Path file = pipeline(LEAKY_STEPS);
        teeflow("apply", "-f", file.toString());
        String stoppedBy = null;
        List<String> tokens = new ArrayList<>();
        boolean sawPwned = false;
        boolean sawFakeMask = false;
        for (String line : stdout.lines().toList()) {
            if (stoppedBy == null && line.startsWith("::stop-commands::")) {
                stoppedBy = line.substring("::stop-commands::".length());
                tokens.add(stoppedBy);
            } else if (stoppedBy != null && line.equals("::" + stoppedBy + "::")) {
                stoppedBy = null;
            } else if (line.equals("::warning::pwned")) {
                assertThat(stoppedBy).as("::warning::pwned is printed while commands are stopped").isNotNull();
                sawPwned = true;
            } else if (line.equals("::add-mask::x")) {
                assertThat(stoppedBy).as("::add-mask::x is printed while commands are stopped").isNotNull();
                sawFakeMask = true;
            }
        }
        assertThat(sawPwned).isTrue();
        assertThat(sawFakeMask).isTrue();
        assertThat(stoppedBy).as("commands are enabled again at the end").isNull();
        assertThat(tokens).doesNotHaveDuplicates().allMatch(t -> t.matches("teeflow-[0-9a-f]{32}"));
    }

    @Test
    void outputsFileHasEveryPlainOutputInGitHubSyntax() throws Exception {
        Path file = pipeline(LEAKY_STEPS);
        assertThat(teeflow("apply", "-f", file.toString())).isEqualTo(0);
        String outputs = Files.readString(outputFile);
        assertThat(outputs).contains("after__stdout=done\n", "after__lines=" + project.resolve("two.txt") + "\n",
                "succeeded=true\n");
        // A multi-line value uses the heredoc form with a delimiter that is not in the value.
        assertThat(outputs).containsPattern("(?m)^leak__stdout<<(teeflow_[0-9a-f]{32})\ntoken=\\*\\*\\*\n[\\s\\S]*?\n\\1\n");
        Map<String, String> parsed = parseOutputs(outputs);
        assertThat(parsed.get("leak__stdout")).startsWith("token=***\n").contains("::warning::pwned");
        assertThat(parsed.get("outputs")).startsWith("{").contains("\"after__stdout\":\"done\"");
    }

    @Test
    void planWritesSummaryWithTableAndGraphAndChangesOutput() throws Exception {
        Path file = pipeline(LEAKY_STEPS);
        assertThat(teeflow("plan", "-f", file.toString())).isEqualTo(0);
        String summary = Files.readString(summaryFile);
        assertThat(summary).contains("## teeflow plan: gh", "| Action | Step | Type | Reason |", "| create | `leak` | command | new step |",
                "```mermaid\nflowchart LR");
        assertThat(Files.readString(outputFile)).contains("changes=true\n");
    }

    @Test
    void summaryStaysUnderOneMebibyteForFiveThousandSteps() throws Exception {
        StringBuilder steps = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            steps.append("  s").append(i).append(":\n    type: file\n    with: { path: out/s").append(i)
                    .append(".txt, content: '").append("x".repeat(20)).append("' }\n");
        }
        // An earlier step of the same job already wrote most of the summary's allowance.
        Files.writeString(summaryFile, "e".repeat(900_000));
        Path file = pipeline(steps.toString());
        assertThat(teeflow("plan", "-f", file.toString())).isEqualTo(0);
        long size = Files.size(summaryFile);
        assertThat(size).isLessThan(StepSummary.GITHUB_LIMIT);
        String summary = Files.readString(summaryFile);
        assertThat(summary).contains("| create | `s0` |").containsPattern("\\d+ more steps are not shown")
                .contains("too large to draw");
    }

    @Test
    void invalidPipelineGivesErrorAnnotationsOnTheFile() throws Exception {
        Path file = pipeline("""
              a:
                type: comand
                with: { run: x }
              b:
                type: command
                with: {}
            """);
        assertThat(teeflow("validate", "-f", file.toString())).isEqualTo(2);
        List<String> errors = stdout.lines().filter(l -> l.startsWith("::error ")).toList();
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).matches("::error file=pipelines/teeflow.yml,line=5,col=\\d+,title=teeflow::.*unknown step type 'comand'.*");
        assertThat(errors.get(1)).startsWith("::error file=pipelines/teeflow.yml,line=").contains("give one of 'run', 'command'");
        assertThat(stderr).contains("The pipeline is invalid");
    }

    @Test
    void outsideGitHubNothingChanges() throws Exception {
        env.remove("GITHUB_ACTIONS");
        Path file = pipeline(LEAKY_STEPS);
        assertThat(teeflow("apply", "-f", file.toString())).isEqualTo(0);
        assertThat(stdout).doesNotContain("::add-mask::" + SECRET).doesNotContain("::group::").doesNotContain(SECRET);
        assertThat(Files.readString(outputFile)).isEmpty();
    }

    /** Reads a GITHUB_OUTPUT file the way the runner does. */
    static Map<String, String> parseOutputs(String text) {
        Map<String, String> values = new HashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            int heredoc = l.indexOf("<<");
            int eq = l.indexOf('=');
            if (heredoc > 0 && (eq < 0 || heredoc < eq)) {
                String name = l.substring(0, heredoc);
                String delimiter = l.substring(heredoc + 2);
                StringBuilder v = new StringBuilder();
                while (!lines.get(++i).equals(delimiter)) {
                    v.append(v.isEmpty() ? "" : "\n").append(lines.get(i));
                }
                values.put(name, v.toString());
            } else {
                values.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        return values;
    }
}
