package dev.teeflow.dsl.groovy;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Diagnostic;
import dev.teeflow.engine.config.InvalidPipelineException;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.config.SourceLocation;
import groovy.lang.Binding;
import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovyCodeSource;
import groovy.lang.MissingMethodException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;

/**
 * Reads a {@code teeflow.groovy} pipeline into the same {@link ConfigNode} tree the YAML front-end
 * builds, so both give the same model. The script is compiled under {@link Sandbox} (an allowlist of
 * the DSL's shapes, with a bound on what it builds) and compiled and run on its own thread with a
 * time limit.
 */
public final class GroovyFrontEnd {
    public static final long MAX_FILE_BYTES = 1L << 20;
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** The compiler recurses on nesting; the checker's depth limit keeps within this stack. */
    private static final long STACK_BYTES = 64L << 20;
    private static final Duration COMPILE_TIMEOUT = Duration.ofSeconds(60);

    private final Duration timeout;

    public GroovyFrontEnd() {
        this(TIMEOUT);
    }

    /** A front-end with another time limit for evaluating a script. */
    public GroovyFrontEnd(Duration timeout) {
        this.timeout = timeout;
    }

    public ConfigNode parse(Path file) {
        Problems problems = new Problems();
        ConfigNode root = parse(file, problems);
        problems.throwIfAny();
        return root;
    }

    public ConfigNode parse(Path file, Problems problems) {
        String text = read(file);
        TextGuard.check(text).ifPresent(p -> {
            throw new InvalidPipelineException(new Diagnostic(new SourceLocation(file, p.line(), p.column()), "", p.message()));
        });
        String className = "TeeflowPipeline" + COUNTER.incrementAndGet();
        DslChecker shapes = DslChecker.shapes();
        DslChecker namesAndSizes = DslChecker.namesAndSizes();
        CallSiteLocator locator = new CallSiteLocator(file, className, namesAndSizes);
        PipelineScript script = withinLimits(file, locator, compiled -> {
            PipelineScript s = compile(file, text, className, shapes, namesAndSizes);
            compiled.run();
            s.setBinding(new Binding());
            s.prepare(problems, locator);
            s.run();
            return s;
        });
        if (script.root() == null) {
            problems.throwIfAny();
            throw fatal(file, 1, "the script defines no pipeline; write pipeline { apiVersion 'teeflow/v1' ... }");
        }
        return script.root();
    }

    /** Compiles the script, says so, then runs it. */
    private interface Work {
        PipelineScript call(Runnable compiled) throws Exception;
    }

    private static PipelineScript compile(Path file, String text, String className, DslChecker shapes,
            DslChecker namesAndSizes) {
        ClassLoader parent = GroovyFrontEnd.class.getClassLoader();
        try (GroovyClassLoader loader = new GroovyClassLoader(parent, Sandbox.configuration(shapes, namesAndSizes, parent))) {
            Class<?> type = loader.parseClass(new GroovyCodeSource(text, className + ".groovy", "/teeflow/pipeline"), false);
            return (PipelineScript) type.getDeclaredConstructor().newInstance();
        } catch (MultipleCompilationErrorsException e) {
            throw new InvalidPipelineException(compileErrors(file, e));
        } catch (StackOverflowError e) {
            throw fatal(file, 0, "the script nests too deeply to be read; flatten it");
        } catch (ReflectiveOperationException | IOException e) {
            throw fatal(file, 0, "cannot load the pipeline script: " + e.getMessage());
        }
    }

    /**
     * Compiles and runs the script on its own thread (with a deep stack for the compiler) so a runaway
     * script is stopped, not waited for. The checker bounds what a script can build; the time limit
     * stands behind it.
     */
    private PipelineScript withinLimits(Path file, CallSiteLocator locator, Work work) {
        AtomicReference<PipelineScript> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch compiledOrFailed = new CountDownLatch(1);
        Thread thread = Thread.ofPlatform().daemon().name("teeflow-groovy-pipeline").stackSize(STACK_BYTES).unstarted(() -> {
            try {
                result.set(work.call(compiledOrFailed::countDown));
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                compiledOrFailed.countDown();
            }
        });
        thread.start();
        try {
            // Compiling is bounded by the file size and the text guard; its limit is only for a very slow
            // machine (the first Groovy compile in a JVM loads much of Groovy). The script's run has its own.
            if (!compiledOrFailed.await(COMPILE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                thread.interrupt();
                throw fatal(file, 0, "the pipeline script could not be compiled within " + COMPILE_TIMEOUT.toSeconds() + " s");
            }
            thread.join(timeout);
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw fatal(file, 0, "interrupted while evaluating the pipeline script");
        }
        if (thread.isAlive()) {
            thread.interrupt();
            throw fatal(file, 0, "the pipeline script did not finish within " + timeout.toSeconds() + " s");
        }
        Throwable t = failure.get();
        if (t instanceof InvalidPipelineException invalid) {
            throw invalid;
        }
        if (t != null) {
            int line = locator.lineOf(t).orElse(0);
            String message = t instanceof StackOverflowError ? "the script nests too deeply"
                    : t instanceof OutOfMemoryError ? "the script needs too much memory"
                    : t instanceof MissingMethodException m && m.getMethod().equals("plus") ? "'+' cannot join these values"
                    : t.getMessage();
            throw fatal(file, line, "the pipeline script failed: " + message);
        }
        return result.get();
    }

    private static List<Diagnostic> compileErrors(Path file, MultipleCompilationErrorsException e) {
        List<Diagnostic> out = new ArrayList<>();
        for (Message m : e.getErrorCollector().getErrors()) {
            if (m instanceof SyntaxErrorMessage s) {
                SyntaxException cause = s.getCause();
                out.add(new Diagnostic(new SourceLocation(file, Math.max(cause.getLine(), 0), Math.max(cause.getStartColumn(), 0)),
                        "", cause.getOriginalMessage()));
            } else if (m instanceof ExceptionMessage x) {
                out.add(new Diagnostic(new SourceLocation(file, 0, 0), "", "not allowed in a pipeline script: "
                        + x.getCause().getMessage()));
            } else {
                out.add(new Diagnostic(new SourceLocation(file, 0, 0), "", m.toString()));
            }
        }
        return out;
    }

    private static String read(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw fatal(file, 0, "the file is " + size + " bytes; a pipeline file may be at most " + MAX_FILE_BYTES + " bytes");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw fatal(file, 0, "cannot read the pipeline file: " + e);
        }
    }

    private static InvalidPipelineException fatal(Path file, int line, String message) {
        return new InvalidPipelineException(new Diagnostic(new SourceLocation(file, line, line > 0 ? 1 : 0), "", message));
    }
}
