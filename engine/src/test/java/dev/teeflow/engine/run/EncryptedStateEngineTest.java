package dev.teeflow.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.Pipeline;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.state.StateEncryption;
import dev.teeflow.engine.testing.RecordingStep;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole apply on an encrypted state directory: cached as usual, unreadable on disk, locked to its passphrase. */
class EncryptedStateEngineTest {
    @TempDir
    Path project;

    private final Registry registry = Registry.of(List.of(new RecordingStep("pure", Effect.PURE)), List.of());

    @BeforeEach
    void reset() {
        RecordingStep.runs.clear();
    }

    private Engine engine(String passphrase) {
        Map<String, StepSpec> steps = new LinkedHashMap<>();
        steps.put("a", StepSpec.of("a", "pure", Map.of("value", "output-canary-51d2")));
        steps.put("b", StepSpec.of("b", "pure", Map.of("value", new Ref("a", "value"))));
        EngineOptions options = EngineOptions.defaults(project.resolve(".teeflow")).withEnv(Map.of())
                .withStateEncryption(new StateEncryption(passphrase.toCharArray(), 1000));
        return Engine.open(new Pipeline("test", null, project, steps), registry, options);
    }

    @Test
    void anEncryptedStateCachesLikeAPlainOneAndHidesOutputs() throws IOException {
        assertThat(engine("pw").apply(List.of(), List.of()).succeeded()).isTrue();
        assertThat(RecordingStep.runs).containsExactly("a", "b");
        RecordingStep.runs.clear();

        Engine again = engine("pw");
        assertThat(again.plan(List.of(), List.of()).hasChanges()).isFalse();
        assertThat(again.apply(List.of(), List.of()).count(StepOutcome.Status.UP_TO_DATE)).isEqualTo(2);
        assertThat(RecordingStep.runs).isEmpty();
        assertThat(again.recordedOutputs("b").get("value")).isEqualTo("output-canary-51d2");

        try (Stream<Path> files = Files.walk(project.resolve(".teeflow"))) {
            assertThat(files.filter(Files::isRegularFile).toList()).isNotEmpty()
                    .allSatisfy(f -> assertThat(Files.readString(f, StandardCharsets.ISO_8859_1))
                            .as(f.toString()).doesNotContain("output-canary-51d2"));
        }
    }

    @Test
    void aWrongPassphraseStopsThePlanWithOneClearError() {
        engine("pw").apply(List.of(), List.of());
        RecordingStep.runs.clear();
        assertThatThrownBy(() -> engine("not-it").plan(List.of(), List.of()))
                .isInstanceOf(TeeflowException.class).hasMessageStartingWith("wrong state passphrase");
        assertThatThrownBy(() -> engine("not-it").apply(List.of(), List.of()))
                .isInstanceOf(TeeflowException.class).hasMessageStartingWith("wrong state passphrase");
        assertThat(RecordingStep.runs).isEmpty();
    }
}
