package dev.teeflow.state.postgres;

import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.engine.state.StateBackendConfig;
import dev.teeflow.engine.state.StateSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * The project's PostgreSQL for tests, as {@code scripts/postgres-up.sh} starts it (started here when it is
 * not running): its URL, role and password file. Each test gets a schema of its own.
 */
public final class PostgresServer {
    public final String url;
    public final String user;
    public final Path passwordFile;

    private PostgresServer(String url, String user, Path passwordFile) {
        this.url = url;
        this.user = user;
        this.passwordFile = passwordFile;
    }

    public static synchronized PostgresServer start() {
        Path dir = Path.of(System.getenv().getOrDefault("TEEFLOW_PG_DIR", "/tmp/teeflow-postgres"));
        try {
            Path root = projectRoot();
            Process p = new ProcessBuilder(root.resolve("scripts/postgres-up.sh").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("scripts/postgres-up.sh failed; see " + dir.resolve("server.log"));
            }
            Map<String, String> conn = new LinkedHashMap<>();
            for (String line : Files.readAllLines(dir.resolve("connection"))) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    conn.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return new PostgresServer(conn.get("url"), conn.get("user"), Path.of(conn.get("password-file")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the test PostgreSQL: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path projectRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("scripts/postgres-up.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("scripts/postgres-up.sh not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    public static String newSchema() {
        return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** The backend settings for a state in {@code schema}, its password given as {@code file:}. */
    public StateSettings settings(String schema, String name) {
        return new StateSettings("postgres", Map.of("url", url, "user", user, "password", "file:" + passwordFile,
                "schema", schema, "name", name), null, null);
    }

    public StateBackend open(String schema, String name) {
        return openAt(url, schema, name);
    }

    /** As {@link #open}, through another address (a proxy in front of this server). */
    public StateBackend openAt(String url, String schema, String name) {
        StateSettings s = new StateSettings("postgres", Map.of("url", url, "user", user, "password", "file:" + passwordFile,
                "schema", schema, "name", name), null, null);
        StateBackendConfig config = new StateBackendConfig(s, PostgresServer::resolve, Path.of("."), Path.of("."), name, Map.of());
        return new PostgresStateBackendFactory().open(config);
    }

    private static Secret resolve(SecretRef ref) {
        try {
            return Secret.ofText(ref, Files.readString(Path.of(ref.name())).strip());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A direct connection, for checks on the rows themselves. */
    public Connection connect() throws SQLException, IOException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", Files.readString(passwordFile).strip());
        return DriverManager.getConnection("jdbc:" + url, props);
    }

    public void drop(String schema) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException | IOException e) {
            // a leftover schema in a test database harms nothing
        }
    }
}
