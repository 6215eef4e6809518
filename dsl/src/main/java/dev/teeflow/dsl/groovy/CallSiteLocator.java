package dev.teeflow.dsl.groovy;

import dev.teeflow.engine.config.SourceLocation;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the script line a DSL call comes from by walking the stack to the first frame of the
 * compiled script (or one of its closures); the column comes from the compiler's record of calls.
 */
final class CallSiteLocator {
    private final Path file;
    private final String scriptClass;
    private final DslChecker checker;

    CallSiteLocator(Path file, String scriptClass, DslChecker checker) {
        this.file = file;
        this.scriptClass = scriptClass;
        this.checker = checker;
    }

    SourceLocation here(String name) {
        int line = StackWalker.getInstance().walk(frames -> frames
                .filter(f -> isScript(f.getClassName()) && f.getLineNumber() > 0)
                .map(StackWalker.StackFrame::getLineNumber)
                .findFirst()).orElse(0);
        return at(line, name);
    }

    SourceLocation at(int line, String name) {
        return line > 0 ? new SourceLocation(file, line, checker.column(line, name)) : new SourceLocation(file, 0, 0);
    }

    /** The script line of a failure thrown while the script ran. */
    Optional<Integer> lineOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            for (StackTraceElement e : c.getStackTrace()) {
                if (isScript(e.getClassName()) && e.getLineNumber() > 0) {
                    return Optional.of(e.getLineNumber());
                }
            }
        }
        return Optional.empty();
    }

    private boolean isScript(String className) {
        return className.equals(scriptClass) || className.startsWith(scriptClass + "$");
    }
}
