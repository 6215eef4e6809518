package dev.teeflow.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the CLI in this JVM in a given folder and keeps what it printed. */
record CliRun(int exitCode, String out, String err) {
    static CliRun in(Path dir, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> fullEnv = new HashMap<>(System.getenv());
        fullEnv.putAll(env);
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--file");
        all.add(dir.resolve("teeflow.yml").toString());
        int code = Main.run(all.toArray(String[]::new), fullEnv,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
