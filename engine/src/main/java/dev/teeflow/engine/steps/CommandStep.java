package dev.teeflow.engine.steps;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.MapReader;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.spi.InputFile;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    @Override
    public Set<String> outputNames(StepSpec spec) {
        Set<String> names = new LinkedHashSet<>();
        names.add("stdout");
        if (spec.inputs().get("outputs") instanceof Map<?, ?> m) {
            m.keySet().forEach(k -> names.add(String.valueOf(k)));
        }
        return names;
    }

    @Override
    public void validate(StepSpec spec, Problems problems) {
        if (spec.source() == null) {
            return;
        }
        MapReader r = new MapReader(spec.source(), problems);
        boolean shell = r.has("run");
        boolean argv = r.has("command");
        if (shell == argv) {
            problems.error(spec.source(), "give either 'run' (a shell line) or 'command' (a list of arguments)");
        }
        r.node("outputs").ifPresent(o -> {
            if (!o.isMap()) {
                problems.error(o, "expected a map of output name to file path, such as { page: dist/index.html }");
            } else {
                o.entries().keySet().stream().filter(k -> !k.matches("[A-Za-z][A-Za-z0-9_-]*"))
                        .forEach(k -> problems.error(o.get(k), "output name '" + k + "' must be letters, digits, '-' or '_'"));
            }
        });
        r.node("env").filter(e -> !e.isMap()).ifPresent(e -> problems.error(e, "expected a map of variable to value"));
        r.optionalString("effect").filter(e -> !e.equals("pure") && !e.equals("external"))
                .ifPresent(e -> problems.error(spec.source().get("effect"), "effect must be 'pure' or 'external'"));
        r.strings("inputs");
        r.allow("workdir");
        r.rejectUnknownKeys();
    }

    @Override
    public List<InputFile> inputFiles(Inputs inputs) {
        List<InputFile> files = new ArrayList<>();
        for (String written : inputs.strings("inputs")) {
            files.add(InputFile.of(written, inputs.resolvePath("inputs", written)));
        }
        return files;
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
