package dev.teeflow.actions.deploy;

import dev.teeflow.engine.run.Report;
import dev.teeflow.engine.spi.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code teeflow apply} in a separate JVM (default step types and timeouts), for crash tests that kill it. */
public final class ApplyInChildProcess {
    private ApplyInChildProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path project = Path.of(args[0]);
        String yaml = Files.readString(project.resolve("teeflow.yml"));
        var steps = ChainLab.expand(project, yaml, s -> s);
        List<String> logs = new ArrayList<>();
        Report report = ChainLab.engine(project, steps, System.getenv(), logs, Registry.load()).apply(List.of(), List.of());
        System.out.println(report);
        System.exit(report.succeeded() ? 0 : 1);
    }
}
