package dev.teeflow.dsl;

import dev.teeflow.dsl.groovy.GroovyFrontEnd;
import dev.teeflow.dsl.yaml.YamlFrontEnd;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Diagnostic;
import dev.teeflow.engine.config.InvalidPipelineException;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.config.SourceLocation;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.spi.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a pipeline file into the engine's model. The file's extension picks the front-end:
 * {@code .yml}/{@code .yaml} for YAML, {@code .groovy} for the Groovy DSL; both produce the same tree
 * and so the same model.
 */
public final class PipelineLoader {
    private final YamlFrontEnd yaml = new YamlFrontEnd();
    private final GroovyFrontEnd groovy = new GroovyFrontEnd();

    /**
     * Loads {@code file}.
     *
     * @param params values given with {@code -p name=value}
     * @param env the environment {@code ${{ env.NAME }}} reads (normally {@link System#getenv()})
     * @throws InvalidPipelineException carrying every problem found, each with file:line:column
     */
    public Pipeline load(Path file, Map<String, String> params, Map<String, String> env, Registry registry) {
        Problems problems = new Problems();
        ConfigNode tree = parse(file, problems);
        return new PipelineAssembler(registry).assemble(file, tree, params, env, problems);
    }

    /** The tree of {@code file} before parameters and sections, for tools and tests. */
    public ConfigNode parse(Path file) {
        Problems problems = new Problems();
        ConfigNode tree = parse(file, problems);
        problems.throwIfAny();
        return tree;
    }

    private ConfigNode parse(Path file, Problems problems) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidPipelineException(new Diagnostic(new SourceLocation(file, 0, 0), "",
                    "pipeline file not found; give its path with --file"));
        }
        return frontEnd(file).parse(file, problems);
    }

    private FrontEnd frontEnd(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".yml") || name.endsWith(".yaml")) {
            return yaml::parse;
        }
        if (name.endsWith(".groovy")) {
            return groovy::parse;
        }
        throw new InvalidPipelineException(new Diagnostic(new SourceLocation(file, 0, 0), "",
                "unknown pipeline file type; name it *.yml, *.yaml or *.groovy"));
    }
}
