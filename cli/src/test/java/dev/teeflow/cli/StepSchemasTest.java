package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.dsl.PipelineLoader;
import dev.teeflow.engine.config.Diagnostic;
import dev.teeflow.engine.config.InvalidPipelineException;
import dev.teeflow.engine.spi.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every step type is checked against its declared schema, written under {@code steps:}: a value of the wrong
 * kind, a missing required field and an unknown field each give an error at the field's file:line:column that
 * names the field.
 */
class StepSchemasTest {
    private static final String HEADER = "apiVersion: teeflow/v1\nkind: Pipeline\nname: t\n";
    private static final Registry REGISTRY = Registry.load();

    /**
     * One step type: a valid {@code with:} block (YAML flow map entries), a field to give a value of the wrong
     * kind (and that value), and a required field.
     */
    record Case(String type, String valid, String wrongField, String wrongValue, String requiredField) {
        @Override
        public String toString() {
            return type;
        }
    }

    static final String CHAIN = "chain: {name: devnet}, wallet: {kind: devnet, devnet: default, account: 0}";

    static Stream<Case> cases() {
        return Stream.of(
                new Case("file", "path: out.txt, content: hi", "content", "[a, b]", "path"),
                new Case("command", "command: [echo, hi], inputs: [src]", "outputs", "[a]", null),
                new Case("dataset.encrypt", "file: data.txt, iexec-layout: false", "iexec-layout", "maybe", "file"),
                new Case("dataset.publish", "ciphertext: d.enc, checksum: '0x00', file: {dir: pub}", "checksum", "{a: 1}",
                        "ciphertext"),
                new Case("app.build", "context: ., args: {PY: '3.11'}", "args", "[a]", null),
                new Case("app.tee", "image-id: 'sha256:00', repository: r, framework: scone, entrypoint: x, binary: y",
                        "framework", "sgx", "image-id"),
                new Case("app.push", "image: r:1, repository: 127.0.0.1:5000/a, tag: '1', username: u, password: {secret: env:P}",
                        "password", "plain", "repository"),
                new Case("app.deploy", "name: a, multiaddr: m, checksum: '0x00', " + CHAIN, "deployed-json", "maybe", "name"),
                new Case("dataset.deploy", "name: d, multiaddr: m, checksum: '0x00', " + CHAIN, "name", "{a: 1}", "multiaddr"),
                new Case("workerpool.deploy", "description: p, " + CHAIN, "description", "[a]", "description"),
                new Case("sms.app-secret", "app: '0x" + "1".repeat(40) + "', value: {secret: env:S}, " + CHAIN, "value", "plain",
                        "app"),
                new Case("sms.dataset-key", "dataset: '0x" + "1".repeat(40) + "', key: {secret: env:K}, " + CHAIN, "key", "[a]",
                        "dataset"),
                new Case("sms.requester-secret", "name: token, value: {secret: env:S}, versioned: true, " + CHAIN, "versioned",
                        "maybe", "value"),
                new Case("sms.result-encryption-key", "key-files: true, " + CHAIN, "key-files", "maybe", "chain"),
                new Case("order.publish", "kind: app, resource: '0x" + "1".repeat(40) + "', price: 0, " + CHAIN, "price", "free",
                        "resource"),
                new Case("run.deal", "app: '0x" + "1".repeat(40) + "', volume: 1, args: [a], " + CHAIN, "volume", "[1]", "app"),
                new Case("run.wait", "deal-id: '0x00', task-ids: ['0x01'], timeout-seconds: 60, chain: {name: devnet}",
                        "timeout-seconds", "soon", "deal-id"),
                new Case("run.fetch", "to: out, location: '/ipfs/x', encrypted: false, chain: {name: devnet}", "encrypted",
                        "maybe", "chain"));
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("cases")
    void aValidStepLoads(Case c) throws Exception {
        Path file = write(c.type(), c.valid());
        assertThatCode(() -> new PipelineLoader().load(file, Map.of(), Map.of(), REGISTRY)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aValueOfTheWrongKindIsAnErrorAtTheField(Case c) throws Exception {
        String with = replace(c.valid(), c.wrongField(), c.wrongValue());
        Diagnostic d = only(errors(c.type(), with));
        assertThat(d.path()).isEqualTo("steps.s.with." + c.wrongField());
        assertThat(d.message()).contains("'" + c.wrongField() + "' must be");
        assertThat(d.location().line()).isEqualTo(8);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aMissingRequiredFieldIsAnErrorNamingIt(Case c) throws Exception {
        if (c.requiredField() == null) {
            return; // every field optional (rules between fields are tested with the type)
        }
        String with = remove(c.valid(), c.requiredField());
        List<Diagnostic> all = errors(c.type(), with);
        assertThat(all).anySatisfy(d -> {
            assertThat(d.path()).isEqualTo("steps.s.with." + c.requiredField());
            assertThat(d.message()).startsWith("missing required field '" + c.requiredField() + "'");
            assertThat(d.location().line()).isEqualTo(7); // the with: block that lacks it
        });
    }

    @ParameterizedTest
    @MethodSource("cases")
    void anUnknownFieldIsAnErrorWithASuggestion(Case c) throws Exception {
        String typo = c.wrongField().substring(0, c.wrongField().length() - 1) + "x" ;
        Diagnostic d = only(errors(c.type(), c.valid() + ", " + typo + ": 1"));
        assertThat(d.path()).isEqualTo("steps.s.with." + typo);
        assertThat(d.message()).startsWith("unknown field '" + typo + "' (did you mean '" + c.wrongField() + "'?)");
        assertThat(d.location().file()).isEqualTo(dir.resolve("teeflow.yml"));
        assertThat(d.location().line()).isEqualTo(8);
    }

    @Test
    void everyShippedStepTypeDeclaresItsSchemaAndIsTestedHere() {
        var shipped = REGISTRY.stepTypes().values().stream().filter(t -> !t.id().startsWith("test.")).toList();
        assertThat(shipped).allSatisfy(t -> assertThat(t.schema().isDeclared()).as(t.id() + " declares a schema").isTrue());
        assertThat(cases().map(Case::type).toList()).containsExactlyInAnyOrderElementsOf(shipped.stream().map(t -> t.id()).toList());
    }

    @Test
    void fileGivesOneOfContentOrFrom() throws Exception {
        Diagnostic d = only(errors("file", "path: out.txt"));
        assertThat(d.message()).isEqualTo("give one of 'content', 'from'");
        assertThat(only(errors("file", "path: out.txt, content: a, from: b")).path()).isEqualTo("steps.s.with.from");
    }

    @Test
    void publishChecksTheFieldsInsideItsTargetBlock() throws Exception {
        Diagnostic d = only(errors("dataset.publish", "ciphertext: d.enc, checksum: '0x00',"
                + " git: {remote: 'https://github.com/me/d.git', branh: main}"));
        assertThat(d.path()).isEqualTo("steps.s.with.git.branh");
        assertThat(d.message()).startsWith("unknown field 'branh' (did you mean 'branch'?)");
        d = only(errors("dataset.publish", "ciphertext: d.enc, checksum: '0x00', http: {verify: true}"));
        assertThat(d.path()).isEqualTo("steps.s.with.http.url");
        assertThat(d.message()).startsWith("missing required field 'url'");
        assertThat(only(errors("dataset.publish", "ciphertext: d.enc, checksum: '0x00', http: {url: u, method: GET}"))
                .message()).isEqualTo("'method' must be one of PUT, POST, not 'GET'");
    }

    private Path write(String type, String with) throws Exception {
        Files.createDirectories(dir.resolve("src"));
        return Files.writeString(dir.resolve("teeflow.yml"), HEADER + "steps:\n  s:\n    type: " + type + "\n    with:\n"
                + "      {" + with + "}\n");
    }

    private List<Diagnostic> errors(String type, String with) throws Exception {
        Path file = write(type, with);
        InvalidPipelineException[] caught = new InvalidPipelineException[1];
        assertThatThrownBy(() -> new PipelineLoader().load(file, Map.of(), Map.of(), REGISTRY))
                .isInstanceOfSatisfying(InvalidPipelineException.class, e -> caught[0] = e);
        return caught[0].diagnostics();
    }

    private static Diagnostic only(List<Diagnostic> all) {
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    /** The with-entries with {@code field}'s value replaced (or the field added). */
    static String replace(String with, String field, String value) {
        String removed = remove(with, field);
        return (removed.isEmpty() ? "" : removed + ", ") + field + ": " + value;
    }

    /** The with-entries without {@code field}: splits on top-level commas only. */
    static String remove(String with, String field) {
        StringBuilder out = new StringBuilder();
        for (String entry : topLevel(with)) {
            if (!entry.strip().startsWith(field + ":")) {
                out.append(out.length() == 0 ? "" : ", ").append(entry.strip());
            }
        }
        return out.toString();
    }

    private static List<String> topLevel(String with) {
        List<String> parts = new java.util.ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < with.length(); i++) {
            char ch = with.charAt(i);
            if (ch == '{' || ch == '[') {
                depth++;
            } else if (ch == '}' || ch == ']') {
                depth--;
            } else if (ch == ',' && depth == 0) {
                parts.add(with.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(with.substring(start));
        return parts;
    }
}
