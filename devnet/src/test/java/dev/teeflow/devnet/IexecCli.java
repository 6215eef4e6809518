package dev.teeflow.devnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * The official iexec CLI (npm {@code iexec} 9.x) as a subprocess in one project directory, always with
 * {@code --raw} (JSON answers, and no update check against the npm registry).
 */
final class IexecCli {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path binary;
    private final Path project;

    private IexecCli(Path binary, Path project) {
        this.binary = binary;
        this.project = project;
    }

    /** Fails the test (never skips it) when the CLI is not installed: CI installs it first. */
    static IexecCli in(Path project) {
        String override = System.getenv("IEXEC_CLI");
        String cache = System.getenv("TEEFLOW_CACHE");
        Path binary = override != null && !override.isBlank() ? Path.of(override)
                : (cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "teeflow"))
                        .resolve("iexec-cli/node_modules/.bin/iexec");
        if (!Files.isExecutable(binary)) {
            fail("the official iexec CLI is not installed at " + binary + ": run scripts/install-iexec-cli.sh "
                    + "(or set IEXEC_CLI to an iexec 9.x binary) before the devnet interop tests");
        }
        return new IexecCli(binary, project);
    }

    Path project() {
        return project;
    }

    /** Runs {@code iexec <args> --raw}; returns its JSON answer, failing the test when it is not ok. */
    JsonNode ok(String... args) {
        JsonNode answer = run(args);
        if (!answer.path("ok").asBoolean(false)) {
            fail("iexec " + String.join(" ", args) + " failed: " + answer);
        }
        return answer;
    }

    /** Runs {@code iexec <args> --quiet} (human output, no update check); returns stdout and stderr together. */
    String text(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        command.add("--quiet");
        try {
            Process p = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("iexec " + String.join(" ", args) + " did not finish in 180 s");
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + binary + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Runs {@code iexec <args> --raw}; returns its JSON answer (ok or not). */
    JsonNode run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        command.add("--raw");
        try {
            Path out = Files.createTempFile("iexec-out", ".json");
            Path err = Files.createTempFile("iexec-err", ".txt");
            Process p = new ProcessBuilder(command).directory(project.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("iexec " + String.join(" ", args) + " did not finish in 180 s");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8).strip();
            String errText = Files.readString(err, StandardCharsets.UTF_8).strip();
            Files.delete(out);
            Files.delete(err);
            // --raw prints one JSON document as the last line: answers on stdout, errors on stderr
            String answer = text.isEmpty() ? errText : text;
            String last = answer.substring(answer.lastIndexOf('\n') + 1);
            JsonNode json = null;
            try {
                json = last.isEmpty() ? null : JSON.readTree(last);
            } catch (IOException e) {
                json = null;
            }
            if (json == null || !json.isObject()) {
                throw new AssertionError("iexec " + String.join(" ", args) + " (exit " + p.exitValue()
                        + ") printed no JSON answer; stdout: " + text + "; stderr: " + errText);
            }
            return json;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + binary + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
