package dev.teeflow.dsl.groovy;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.config.SourceLocation;
import groovy.lang.Closure;
import groovy.lang.GroovyInterceptable;
import groovy.lang.Script;

/**
 * Base class of a compiled {@code teeflow.groovy}. Every call the script makes lands in
 * {@link #invokeMethod} (the class is interceptable), so none of {@link Script}'s own methods
 * ({@code evaluate}, {@code println}, ...) can be reached; the only one understood is
 * {@code pipeline { ... }}.
 */
public abstract class PipelineScript extends Script implements GroovyInterceptable {
    private Problems problems;
    private CallSiteLocator locator;
    private ConfigNode root;

    void prepare(Problems problems, CallSiteLocator locator) {
        this.problems = problems;
        this.locator = locator;
    }

    ConfigNode root() {
        return root;
    }

    @Override
    public Object invokeMethod(String name, Object args) {
        Object[] a = args instanceof Object[] arr ? arr : new Object[] {args};
        SourceLocation at = locator.here(name);
        if (!name.equals("pipeline")) {
            problems.error(at, "", "unexpected '" + name + "' at the top of the script; write everything inside"
                    + " pipeline { ... }");
        } else if (a.length != 1 || !(a[0] instanceof Closure<?> body)) {
            problems.error(at, "", "write pipeline { ... } with the pipeline inside the braces");
        } else if (root != null) {
            problems.error(at, "", "a script holds one pipeline { ... } block; found a second one");
        } else {
            MapBuilder builder = new MapBuilder("", at, problems, locator);
            builder.fill(body);
            root = builder.build();
        }
        return null;
    }

    @Override
    public Object getProperty(String name) {
        problems.error(locator.here(name), "", "'" + name + "' is not defined; declare it with def " + name + " = ...");
        return null;
    }

    @Override
    public void setProperty(String name, Object value) {
        problems.error(locator.here(name), "", "declare variables with def " + name + " = ...");
    }
}
