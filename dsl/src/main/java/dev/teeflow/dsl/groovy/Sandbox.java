package dev.teeflow.dsl.groovy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import org.codehaus.groovy.control.CompilerConfiguration;

/**
 * The compiler configuration pipeline scripts are compiled under: the script base class that sends
 * every call to the DSL builder, {@link DslChecker}'s allowlist right after parsing and again once
 * names are resolved, and no global AST transformation (they run while the file is compiled;
 * {@code @Grab} would download and load code).
 */
final class Sandbox {
    private static final String GLOBAL_TRANSFORMS = "META-INF/services/org.codehaus.groovy.transform.ASTTransformation";

    private Sandbox() {
    }

    static CompilerConfiguration configuration(DslChecker shapes, DslChecker namesAndSizes, ClassLoader loader) {
        CompilerConfiguration cc = new CompilerConfiguration();
        cc.setScriptBaseClass(PipelineScript.class.getName());
        cc.setDisabledGlobalASTTransformations(globalTransforms(loader));
        cc.addCompilationCustomizers(shapes, namesAndSizes);
        return cc;
    }

    /** Every global AST transformation the class path declares, so that all can be disabled. */
    static Set<String> globalTransforms(ClassLoader loader) {
        Set<String> names = new HashSet<>(Set.of("groovy.grape.GrabAnnotationTransformation"));
        try {
            for (URL url : Collections.list(loader.getResources(GLOBAL_TRANSFORMS))) {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
                    in.lines().map(l -> l.replaceAll("#.*", "").trim()).filter(l -> !l.isEmpty()).forEach(names::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}
