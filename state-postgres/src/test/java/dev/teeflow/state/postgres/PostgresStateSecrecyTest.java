package dev.teeflow.state.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.state.Intent;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.engine.state.StateEncryption;
import dev.teeflow.engine.state.StateStore;
import dev.teeflow.engine.state.StepRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the database holds: encrypted blobs only, no canary in any row; nothing written without encryption or with a wrong passphrase. */
class PostgresStateSecrecyTest {
    private static final PostgresServer SERVER = PostgresServer.start();
    private static final String CANARY = "canary-pg-8d21-do-not-leak";
    private final String schema = PostgresServer.newSchema();

    @TempDir
    Path cache;

    @AfterEach
    void dropSchema() {
        SERVER.drop(schema);
    }

    private StateStore store(StateBackend backend, String passphrase) {
        return new StateStore(cache, backend, new StateEncryption(passphrase.toCharArray(), 1000));
    }

    private static StepRecord record(String value) {
        return new StepRecord(StepRecord.SCHEMA, "a.b", "t", 1, "key", Map.of("in:x", "d"), Map.of("value", value), Map.of(), "now");
    }

    /** Every row of every table of the schema, each column as text and (for bytea) as its raw bytes. */
    private List<String> rows() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = SERVER.connect(); Statement s = c.createStatement()) {
            for (String table : List.of("blobs", "history", "locks")) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + schema + "." + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder(table).append(':');
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            Object v = rs.getObject(i);
                            row.append(v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) + "|" + HexFormat.of().formatHex(b)
                                    : String.valueOf(v)).append('|');
                        }
                        out.add(row.toString());
                    }
                }
            }
        }
        return out;
    }

    @Test
    void aCanaryIsInNoRowInPlainBase64OrHex() throws Exception {
        try (StateBackend backend = SERVER.open(schema, "secrecy")) {
            StateStore store = store(backend, "correct horse");
            store.write(record(CANARY));
            store.write(record(CANARY + "-2")); // a history row too
            store.writeIntent(new Intent("a.b", "key", "now", Map.of("tx", CANARY)));
            store.writeSecret("a.b", "key", CANARY.getBytes(StandardCharsets.UTF_8));
            store.clearIntent("a.b");
            byte[] projectKey = store.projectKey();

            byte[] canary = CANARY.getBytes(StandardCharsets.UTF_8);
            List<String> forms = List.of(CANARY, Base64.getEncoder().encodeToString(canary), HexFormat.of().formatHex(canary),
                    Base64.getEncoder().encodeToString(projectKey), HexFormat.of().formatHex(projectKey));
            List<String> rows = rows();
            assertThat(rows).hasSizeGreaterThan(6);
            for (String row : rows) {
                assertThat(forms).as(row.substring(0, Math.min(60, row.length()))).noneMatch(row::contains);
            }
            try (StateBackend other = SERVER.open(schema, "secrecy")) {
                StateStore again = store(other, "correct horse");
                assertThat(again.read("a.b").record()).isEqualTo(record(CANARY + "-2"));
                assertThat(again.readSecret("a.b", "key")).hasValueSatisfying(v -> assertThat(v).isEqualTo(canary));
                assertThat(again.projectKey()).isEqualTo(projectKey);
                assertThat(other.history(StateStore.recordKey("a.b"))).hasSize(2);
            }
        }
    }

    @Test
    void withoutEncryptionOrWithAWrongPassphraseNothingIsWritten() throws Exception {
        try (StateBackend backend = SERVER.open(schema, "secrecy")) {
            assertThatThrownBy(() -> new StateStore(cache, backend, null)).hasMessageContaining("needs client-side encryption");
            assertThat(rows()).isEmpty();

            store(backend, "correct horse").write(record("v"));
            List<String> before = rows();
            assertThatThrownBy(() -> store(backend, "battery staple")).isInstanceOf(TeeflowException.class)
                    .hasMessageStartingWith("wrong state passphrase").hasMessageNotContaining("battery");
            assertThat(rows()).isEqualTo(before);
        }
    }

    @Test
    void credentialsInTheUrlAreRefused() {
        assertThatThrownBy(() -> PostgresStateBackendFactory.jdbcUrl("postgresql://teeflow:hunter2@127.0.0.1:5432/db"))
                .hasMessageContaining("must not hold credentials").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> PostgresStateBackendFactory.jdbcUrl("postgresql://127.0.0.1/db?password=hunter2"))
                .hasMessageContaining("must not hold credentials");
    }
}
