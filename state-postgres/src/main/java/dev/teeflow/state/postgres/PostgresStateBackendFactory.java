package dev.teeflow.state.postgres;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.engine.state.StateBackendConfig;
import dev.teeflow.engine.state.StateBackendFactory;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * {@code state: { backend: postgres, url: postgresql://HOST:PORT/DB, user: NAME, password: env:NAME }}:
 * connects with PostgreSQL's JDBC driver. Credentials never go in the URL.
 */
public final class PostgresStateBackendFactory implements StateBackendFactory {
    private static final Map<String, String> SETTINGS = Map.of(
            "url", "the database, postgresql://HOST:PORT/DATABASE (no user or password in it)",
            "user", "the database role",
            "password", "secret reference (env:NAME or file:PATH) to the role's password",
            "schema", "the schema of teeflow's tables (default: teeflow)",
            "name", "this state's name among the database's states (default: the pipeline's name)",
            "sslmode", "disable, require, verify-ca or verify-full (PostgreSQL's sslmode; default: the driver's prefer)");

    @Override
    public String kind() {
        return "postgres";
    }

    @Override
    public Map<String, String> settings() {
        return SETTINGS;
    }

    @Override
    public Set<String> required() {
        return Set.of("url");
    }

    @Override
    public Set<String> secretSettings() {
        return Set.of("password");
    }

    @Override
    public StateBackend open(StateBackendConfig config) {
        String url = jdbcUrl(config.required("url"));
        String schema = config.get("schema").orElse("teeflow");
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new TeeflowException("state.schema '" + schema + "' must be lower-case letters, digits and _");
        }
        String name = config.get("name").orElse(config.pipelineName());
        Properties props = new Properties();
        config.get("user").ifPresent(u -> props.setProperty("user", u));
        Optional<Secret> password = config.secret("password");
        password.ifPresent(p -> props.setProperty("password", p.text()));
        config.get("sslmode").ifPresent(m -> props.setProperty("sslmode", m));
        props.setProperty("ApplicationName", "teeflow");
        props.setProperty("connectTimeout", "15");
        props.setProperty("tcpKeepAlive", "true");
        // PostgreSQL 10 or later: the session settings go in the start-up packet, not in queries after it
        props.setProperty("assumeMinServerVersion", "10");
        String location = url.substring("jdbc:".length());
        return new PostgresStateBackend(() -> connect(url, location, props), location, schema, name);
    }

    private static Connection connect(String url, String location, Properties props) {
        try {
            return new org.postgresql.Driver().connect(url, props);
        } catch (SQLException e) {
            throw new TeeflowException("cannot connect to the postgres state at " + location + ": " + firstLine(e.getMessage())
                    + " (check state.url, state.user and the password reference)", e);
        }
    }

    /** {@code postgresql://host:port/db} or its {@code jdbc:} form, checked to carry no credentials. */
    static String jdbcUrl(String url) {
        String u = url.startsWith("jdbc:") ? url.substring(5) : url;
        URI parsed;
        try {
            parsed = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw new TeeflowException("state.url is not a URL; expected postgresql://HOST:PORT/DATABASE");
        }
        if (!"postgresql".equals(parsed.getScheme()) || parsed.getHost() == null) {
            throw new TeeflowException("state.url must be postgresql://HOST:PORT/DATABASE");
        }
        if (parsed.getRawUserInfo() != null || (parsed.getRawQuery() != null && parsed.getRawQuery().toLowerCase().contains("password"))) {
            throw new TeeflowException("state.url must not hold credentials: give state.user, and state.password as a secret "
                    + "reference (env:NAME or file:PATH)");
        }
        return "jdbc:" + u;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
