package dev.teeflow.dsl;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.dsl.fixtures.TestSections;
import dev.teeflow.engine.config.Diagnostic;
import dev.teeflow.engine.config.InvalidPipelineException;
import dev.teeflow.engine.model.Pipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes a pipeline file into a temp folder and loads it. */
final class LoaderFixture {
    private final Path dir;

    LoaderFixture(Path dir) {
        this.dir = dir;
    }

    Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Pipeline load(String name, String text, Map<String, String> params, Map<String, String> env) {
        return new PipelineLoader().load(write(name, text), params, env, TestSections.registry());
    }

    Pipeline load(String name, String text) {
        return load(name, text, Map.of(), Map.of());
    }

    List<Diagnostic> errors(String name, String text, Map<String, String> params, Map<String, String> env) {
        Path file = write(name, text);
        InvalidPipelineException[] caught = new InvalidPipelineException[1];
        assertThatThrownBy(() -> new PipelineLoader().load(file, params, env, TestSections.registry()))
                .isInstanceOfSatisfying(InvalidPipelineException.class, e -> caught[0] = e);
        return caught[0].diagnostics();
    }

    List<Diagnostic> errors(String name, String text) {
        return errors(name, text, Map.of(), Map.of());
    }
}
