package dev.teeflow.protocol.dataset;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external tool in a test and returns its output, failing the test with its stderr. */
final class Processes {
    record Result(int exit, String stdout, String stderr) {
    }

    private Processes() {
    }

    static Result run(Path workDir, List<String> command) throws Exception {
        File err = File.createTempFile("teeflow-test", ".err");
        try {
            Process p = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(err).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command.get(0) + " did not finish in 120 s");
            }
            return new Result(p.exitValue(), out, java.nio.file.Files.readString(err.toPath()));
        } finally {
            err.delete();
        }
    }

    static Result ok(Path workDir, List<String> command) throws Exception {
        Result r = run(workDir, command);
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", command.subList(0, 1)) + " failed (exit " + r.exit() + "): "
                    + r.stderr() + r.stdout());
        }
        return r;
    }
}
