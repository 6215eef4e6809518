package dev.teeflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.engine.config.Diagnostic;
import dev.teeflow.engine.model.Pipeline;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file's state block: read as given, and every mistake named with its line and field. */
class StateBlockTest {
    private static final String HEADER = "apiVersion: teeflow/v1\nkind: Pipeline\nname: demo\n";
    @TempDir
    Path dir;
    LoaderFixture f;

    @BeforeEach
    void setUp() {
        f = new LoaderFixture(dir);
    }

    @Test
    void noStateBlockMeansTheLocalDirectory() {
        Pipeline p = f.load("teeflow.yml", HEADER);
        assertThat(p.state().isLocal()).isTrue();
        assertThat(p.state().passphrase()).isNull();
    }

    @Test
    void aLocalStateTakesAPassphraseReference() {
        Pipeline p = f.load("teeflow.yml", HEADER + "state:\n  backend: local\n  passphrase: env:STATE_PW\n");
        assertThat(p.state().isLocal()).isTrue();
        assertThat(p.state().passphrase()).isEqualTo("env:STATE_PW");
    }

    @Test
    void anUnknownBackendIsNamedWithItsLine() {
        List<Diagnostic> errors = f.errors("teeflow.yml", HEADER + "state:\n  backend: postgress\n  passphrase: env:PW\n");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).location().line()).isEqualTo(5);
        assertThat(errors.get(0).path()).isEqualTo("state.backend");
        assertThat(errors.get(0).message()).contains("unknown state backend 'postgress'").contains("local");
    }

    @Test
    void aLiteralPassphraseAndAnUnknownSettingAreRefusedWithTheirLines() {
        List<Diagnostic> errors = f.errors("teeflow.yml", HEADER
                + "state:\n  passphrase: hunter2-literal\n  bucket: b\n");
        assertThat(errors).extracting(Diagnostic::path).containsExactlyInAnyOrder("state.passphrase", "state.bucket");
        assertThat(errors).filteredOn(d -> d.path().equals("state.passphrase")).singleElement()
                .satisfies(d -> {
                    assertThat(d.location().line()).isEqualTo(5);
                    assertThat(d.message()).contains("secret reference").doesNotContain("hunter2");
                });
    }
}
