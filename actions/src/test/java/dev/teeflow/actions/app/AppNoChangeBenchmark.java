package dev.teeflow.actions.app;

import dev.teeflow.actions.docker.BuildContext;
import dev.teeflow.engine.spi.InputFile;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.testing.FakeStepContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark (not a test; run with bench/app/run.sh): the parts of a no-change re-run of the app steps
 * that this module owns, on a 10,000-file context: .dockerignore parsing + context walk + filter, and
 * the push step's verify() (one manifest request to the local registry). Hashing file contents is
 * the engine's job; a naive full re-read is measured only for comparison.
 */
class AppNoChangeBenchmark {
    @TempDir
    Path project;

    private static final int KEPT = 8_000;
    private static final int IGNORED = 2_000;

    private void makeContext(String dockerignore) throws IOException {
        for (int i = 0; i < KEPT; i++) {
            Path p = project.resolve("src/pkg" + (i / 100) + "/mod" + i + (i % 10 == 0 ? ".pyc" : ".py"));
            Files.createDirectories(p.getParent());
            Files.writeString(p, "# module " + i + "\n" + "x = 1\n".repeat(50));
        }
        for (int i = 0; i < IGNORED; i++) {
            Path p = project.resolve("node_modules/lib" + (i / 100) + "/f" + i + ".js");
            Files.createDirectories(p.getParent());
            Files.writeString(p, "module.exports = " + i + ";\n");
        }
        Files.writeString(project.resolve("Dockerfile"), "FROM teeflow-test/busybox\nCOPY src /app\n");
        Files.writeString(project.resolve(".dockerignore"), dockerignore);
    }

    /** What the engine does with our InputFile: walk the folder and ask the filter about every file. */
    private static int engineStyleWalk(List<InputFile> files) throws IOException {
        int kept = 0;
        for (InputFile f : files) {
            try (Stream<Path> walk = Files.walk(f.path())) {
                for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                    if (f.include().test(f.path().relativize(p).toString())) {
                        kept++;
                    }
                }
            }
        }
        return kept;
    }

    private static double medianMillis(int runs, ThrowingRunnable r) throws Exception {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            r.run();
            times.add(System.nanoTime() - t);
        }
        Collections.sort(times);
        return times.get(times.size() / 2) / 1e6;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void noChangeDecisionOnTenThousandFiles() throws Exception {
        StringBuilder report = new StringBuilder();
        for (String ignore : List.of("node_modules\n**/*.pyc\n*.md\n.git\n",
                "node_modules\n**/*.pyc\n*.md\n!README.md\n.git\n")) {
            Files.walk(project).sorted(Comparator.reverseOrder()).filter(p -> !p.equals(project)).forEach(p -> p.toFile().delete());
            makeContext(ignore);
            Inputs in = Inputs.of("app.bench.build", project, Map.of("context", ".", "dockerfile", "Dockerfile"));
            AppBuildStep step = new AppBuildStep();
            int[] entries = new int[1];
            double first = medianMillis(1, () -> entries[0] = BuildContext.of(project).entries().size());
            double walk = medianMillis(15, () -> entries[0] = BuildContext.of(project).entries().size());
            int[] kept = new int[1];
            double engineWalk = medianMillis(15, () -> kept[0] = engineStyleWalk(step.inputFiles(in)));
            List<String> paths = new ArrayList<>();
            try (Stream<Path> all = Files.walk(project)) {
                all.filter(Files::isRegularFile).forEach(p -> paths.add(project.relativize(p).toString()));
            }
            var matcher = dev.teeflow.actions.docker.DockerIgnore.forContext(project);
            int[] excluded = new int[1];
            double matchOnly = medianMillis(15, () -> {
                excluded[0] = 0;
                for (String p : paths) {
                    if (matcher.isExcluded(p)) {
                        excluded[0]++;
                    }
                }
            });
            double fullHash = medianMillis(5, () -> {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                for (String rel : BuildContext.of(project).entries()) {
                    Path p = project.resolve(rel);
                    if (Files.isRegularFile(p)) {
                        md.update(Files.readAllBytes(p));
                    }
                }
            });
            report.append(String.format("dockerignore %s%n", ignore.replace("\n", " | ")));
            report.append(String.format("  files: %d of %d kept (Dockerfile and .dockerignore included)%n", kept[0], KEPT + IGNORED + 2));
            report.append(String.format("  matcher only, %d paths, median of 15:      %.1f ms%n", paths.size(), matchOnly));
            report.append(String.format("  BuildContext.entries() first run (cold JIT): %.1f ms%n", first));
            report.append(String.format("  BuildContext.entries() median of 15:        %.1f ms%n", walk));
            report.append(String.format("  engine-style walk + inputFiles() filter:    %.1f ms%n", engineWalk));
            report.append(String.format("  (comparison) full re-read + sha256:         %.1f ms%n", fullHash));
        }
        report.append(String.format("app.push verify() (one manifest GET to 127.0.0.1:5000): %s%n", pushVerify()));
        System.out.print(report);
        Path out = Path.of(System.getProperty("bench.out", "target/bench-app.txt"));
        Files.writeString(out, report.toString());
    }

    private String pushVerify() {
        try {
            DockerTestSupport.requireRegistry();
            var engine = DockerTestSupport.engine();
            engine.close();
            Files.writeString(project.resolve("Dockerfile"), "FROM teeflow-test/busybox\n");
            Files.writeString(project.resolve(".dockerignore"), "*\n");
            Outputs build = new AppBuildStep().run(new FakeStepContext("app.bench.build", project, Map.of("tag", "teeflow-app/bench:b")));
            Map<String, Object> in = Map.of("image", build.get("image"), "repository", "127.0.0.1:5000/teeflow-test/bench", "tag", "1");
            FakeStepContext ctx = new FakeStepContext("app.bench.push", project, in);
            Outputs pushed = new AppPushStep().run(ctx);
            double ms = medianMillis(15, () -> new AppPushStep().verify(ctx, pushed));
            return String.format("%.1f ms median of 15", ms);
        } catch (Throwable e) {
            return "not measured (" + e.getMessage() + ")";
        }
    }
}
