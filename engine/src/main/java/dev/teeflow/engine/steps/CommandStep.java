package dev.teeflow.engine.steps;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.spi.Field;
import dev.teeflow.engine.spi.FieldKind;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepOutput;
import dev.teeflow.engine.spi.StepSchema;
import dev.teeflow.engine.spi.StepType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Runs a process, like a CI {@code run:} step but cached: it runs again only when its command, its
 * environment, or the content of its declared {@code inputs} change, or when a declared output file
 * is gone.
 *
 * <pre>
 * steps:
 *   site:
 *     type: command
 *     with:
 *       run: ./build.sh > dist/index.html     # or command: [./build.sh, --fast]
 *       inputs: [src, build.sh]
 *       outputs: { page: dist/index.html }
 *       env: { TOKEN: { secret: env:TOKEN } }
 * </pre>
 *
 * Outputs: each declared output file by its name, and {@code stdout} (the last 4 KiB, trimmed).
 */
public final class CommandStep implements StepType {
    static final int STDOUT_KEPT = 4096;
    private static final int TAIL_LINES = 20;

    @Override
    public String id() {
        return "command";
    }

    @Override
    public Effect effect() {
        return Effect.PURE;
    }

    @Override
    public Effect effectOf(StepSpec spec) {
        return "external".equals(String.valueOf(spec.inputs().get("effect"))) ? Effect.EXTERNAL : Effect.PURE;
    }

    static final StepSchema SCHEMA = StepSchema.builder("Runs a process, cached: it runs again only when its command,"
                    + " its environment or the content of its declared inputs change, or when a declared output file is gone.")
            .field(Field.text("run").doc("a shell line, run with sh -c"))
            .field(Field.list("command", FieldKind.TEXT).doc("the program and its arguments, run without a shell"))
            .field(Field.list("inputs", FieldKind.PATH).contentInKey()
                    .doc("files and folders whose content enters the cache key"))
            .field(Field.map("outputs", FieldKind.PATH).namesOutputs()
                    .doc("output files by name; each name is also an output of the step"))
            .field(Field.map("env", FieldKind.ANY).doc("environment variables: plain values or {secret: env:NAME}"))
            .field(Field.text("effect").oneOf("pure", "external").withDefault("pure")
                    .doc("external: it acts outside the project (a deploy), so it runs only after every pure step"))
            .field(Field.path("workdir").doc("the folder it runs in (default: the project folder)"))
            .exactlyOne("run", "command")
            .output(StepOutput.text("stdout", "the last 4 KiB of what it printed, trimmed and masked"))
            .build();

    @Override
    public StepSchema schema() {
        return SCHEMA;
    }

    /** Output names become step addresses' last part: they must be usable in references. */
    @Override
    public void validate(StepSpec spec, Problems problems) {
        if (!(spec.inputs().get("outputs") instanceof Map<?, ?> outputs)) {
            return;
        }
        ConfigNode written = spec.source() == null ? null : spec.source().get("outputs");
        outputs.keySet().stream().map(String::valueOf).filter(k -> !k.matches("[A-Za-z][A-Za-z0-9_-]*")).forEach(k -> {
            ConfigNode at = written != null && written.get(k) != null ? written.get(k) : null;
            String message = "output name '" + k + "' must be letters, digits, '-' or '_'";
            if (at != null) {
                problems.error(at, message);
            } else {
                problems.error(spec.location(), spec.address() + ".outputs." + k, message);
            }
        });
    }

    @Override
    public Outputs run(StepContext ctx) throws Exception {
        Inputs in = ctx.inputs();
        List<String> argv = in.has("run") ? List.of("sh", "-c", in.string("run")) : in.strings("command");
        if (argv.isEmpty()) {
            throw new TeeflowException(ctx.address() + ": nothing to run");
        }
        Path workdir = in.optionalPath("workdir").orElse(ctx.projectDir());
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workdir.toFile()).redirectErrorStream(true);
        for (Map.Entry<String, Object> e : in.child("env").asMap().entrySet()) {
            Object v = e.getValue();
            pb.environment().put(e.getKey(), v instanceof Secret s ? s.text() : String.valueOf(v));
        }
        Map<String, Path> declared = new java.util.LinkedHashMap<>();
        in.child("outputs").asMap().forEach((name, p) -> declared.put(name, in.resolvePath("outputs." + name, String.valueOf(p))));
        for (Path p : declared.values()) {
            Files.createDirectories(p.toAbsolutePath().getParent());
        }

        ctx.log().info("$ " + String.join(" ", argv));
        Process process;
        try {
            process = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new TeeflowException(ctx.address() + ": cannot start '" + argv.get(0) + "': " + e.getMessage());
        }
        StringBuilder stdout = new StringBuilder();
        Deque<String> tail = new ArrayDeque<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                ctx.log().output(line);
                stdout.append(ctx.redactor().redact(line)).append('\n'); // masked before the cut below can split a secret
                if (stdout.length() > 2 * STDOUT_KEPT) {
                    stdout.delete(0, stdout.length() - STDOUT_KEPT);
                }
                tail.addLast(line);
                if (tail.size() > TAIL_LINES) {
                    tail.removeFirst();
                }
            }
        } finally {
            if (ctx.isCancelled()) {
                process.destroy();
            }
        }
        int code = process.waitFor();
        if (code != 0) {
            throw new TeeflowException(ctx.address() + ": command exited with code " + code
                    + (tail.isEmpty() ? "" : "; last lines:\n  " + ctx.redactor().redact(String.join("\n  ", tail))));
        }
        Outputs.Builder out = Outputs.builder();
        String kept = stdout.length() > STDOUT_KEPT ? stdout.substring(stdout.length() - STDOUT_KEPT) : stdout.toString();
        out.put("stdout", ctx.redactor().redact(kept.strip()));
        for (Map.Entry<String, Path> e : declared.entrySet()) {
            if (!Files.isRegularFile(e.getValue())) {
                throw new TeeflowException(ctx.address() + ": the command succeeded but did not write output '"
                        + e.getKey() + "' (" + ctx.projectDir().relativize(e.getValue()) + ")");
            }
            out.file(e.getKey(), e.getValue());
        }
        return out.build();
    }
}
