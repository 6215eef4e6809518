package dev.teeflow.state.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.engine.testing.FaultyProxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The postgres backend through a proxy that fails the way networks do: a dropped connection is retried, a write
 * whose commit landed but whose answer was lost is recognised (not written twice, not taken for a conflict), and
 * a database that stays unreachable is one error naming the store and the attempts.
 */
class PostgresTransientFaultsTest {
    private static final PostgresServer SERVER = PostgresServer.start();
    private final String schema = PostgresServer.newSchema();
    private FaultyProxy proxy;
    private StateBackend backend;

    @BeforeEach
    void open() throws Exception {
        URI direct = URI.create(SERVER.url);
        proxy = FaultyProxy.to(direct.getHost(), direct.getPort());
        // prepareThreshold=0: every statement goes as text, so the proxy sees each COMMIT (else the driver names it once)
        backend = SERVER.openAt("postgresql://127.0.0.1:" + proxy.port() + direct.getPath() + "?prepareThreshold=0", schema, "faults");
    }

    @AfterEach
    void close() {
        backend.close();
        proxy.close();
        SERVER.drop(schema);
    }

    @Test
    void aDroppedConnectionIsRetriedForReadsAndWrites() {
        backend.put("state/a.json", bytes("one"), StateBackend.ABSENT);
        proxy.cutAll();
        proxy.refuseNext(1);
        assertThat(backend.get("state/a.json")).hasValueSatisfying(b -> assertThat(b.bytes()).isEqualTo(bytes("one")));
        proxy.cutAll();
        String v2 = backend.put("state/a.json", bytes("two"), "1");
        assertThat(v2).isEqualTo("2");
        assertThat(backend.history("state/a.json")).hasSize(2);
    }

    @Test
    void aWriteWhoseAnswerWasLostIsRecognisedNotRepeated() throws Exception {
        backend.get("state/b.json"); // connected
        proxy.loseTheAnswerTo("COMMIT");
        String version = backend.put("state/b.json", bytes("only once"), StateBackend.ABSENT);
        assertThat(proxy.answersLost()).as("the commit's answer was lost").isEqualTo(1);
        assertThat(version).isEqualTo("1");
        assertThat(historyRows("state/b.json")).as("one write, one history row").isEqualTo(1);

        proxy.loseTheAnswerTo("COMMIT");
        assertThat(backend.put("state/b.json", bytes("second"), StateBackend.ANY)).isEqualTo("2");
        assertThat(historyRows("state/b.json")).isEqualTo(2);
    }

    @Test
    void anUnreachableDatabaseIsOneErrorAfterTheLastAttempt() {
        backend.get("state/c.json");
        proxy.refuseNext(1000);
        proxy.cutAll();
        int before = proxy.connections();
        assertThatThrownBy(() -> backend.get("state/c.json")).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("postgres state at postgresql://127.0.0.1:" + proxy.port())
                .hasMessageContaining("(after 4 attempts)");
        assertThat(proxy.connections() - before).as("a new connection tried at each attempt after the first").isGreaterThanOrEqualTo(3);
    }

    private long historyRows(String key) throws Exception {
        try (Connection c = SERVER.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM \"" + schema + "\".history WHERE state = 'faults' AND key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
