package dev.teeflow.state.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.state.Backoff;
import dev.teeflow.engine.state.ConflictException;
import dev.teeflow.engine.state.LockInfo;
import dev.teeflow.engine.state.StateBackend;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The state in a PostgreSQL database, in the spirit of Terraform's {@code pg} backend. Three tables in one
 * schema (default {@code teeflow}), shared by every state of the database and told apart by the state's name:
 *
 * <pre>
 * blobs    (state, key, version, value bytea, updated_at)        the current value of each key
 * history  (id, state, key, version, value bytea, written_at)    every value ever written (null: deleted)
 * locks    (state, id, holder json, lease_until)                 one row while the state is locked
 * </pre>
 *
 * Values are the engine's encrypted blobs; the lock row's holder is plain (who, where, since when). A put
 * is one transaction (value + history row), acknowledged once committed (synchronous commit), so a
 * written intent survives the writer. Compare-and-swap compares {@code version}. The lock's lease is judged by
 * the database's clock ({@code now()}), so runners' clocks may differ.
 */
final class PostgresStateBackend implements StateBackend {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<Connection> connect;
    private final String location;
    private final String schema;
    private final String state;
    private Connection connection;

    PostgresStateBackend(Supplier<Connection> connect, String location, String schema, String state) {
        this.connect = connect;
        this.location = location;
        this.schema = schema;
        this.state = state;
        this.connection = connect.get();
        createTables();
    }

    @Override
    public String kind() {
        return "postgres";
    }

    @Override
    public String location() {
        return location + " (schema " + schema + ", state '" + state + "')";
    }

    @Override
    public String where(String key) {
        return "postgres state '" + state + "' " + key;
    }

    @Override
    public boolean isRemote() {
        return true;
    }

    private String t(String table) {
        return "\"" + schema + "\"." + table;
    }

    /** Tables made once per database; an advisory lock keeps two first runs from racing on them. */
    private void createTables() {
        run("create the state tables", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                ps.setString(1, "\"" + schema + "\".locks");
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return null; // made by an earlier run: no DDL (and no lock) on every start
                    }
                }
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(hashtext('teeflow-state-schema'))");
                s.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
                s.execute("CREATE TABLE IF NOT EXISTS " + t("blobs") + " (state text NOT NULL, key text NOT NULL, "
                        + "version bigint NOT NULL, value bytea NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(), "
                        + "PRIMARY KEY (state, key))");
                s.execute("CREATE TABLE IF NOT EXISTS " + t("history") + " (id bigserial PRIMARY KEY, state text NOT NULL, "
                        + "key text NOT NULL, version bigint NOT NULL, value bytea, written_at timestamptz NOT NULL DEFAULT now())");
                s.execute("CREATE INDEX IF NOT EXISTS history_state_key ON " + t("history") + " (state, key, id)");
                s.execute("CREATE TABLE IF NOT EXISTS " + t("locks") + " (state text PRIMARY KEY, id text NOT NULL, "
                        + "holder text NOT NULL, lease_until timestamptz NOT NULL)");
                c.commit();
            } catch (SQLException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                autoCommitQuietly(c);
            }
            return null;
        });
    }

    @Override
    public synchronized Optional<Blob> get(String key) {
        return run("read " + key, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value, version FROM " + t("blobs") + " WHERE state = ? AND key = ?")) {
                ps.setString(1, state);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Blob(rs.getBytes(1), Long.toString(rs.getLong(2)))) : Optional.<Blob>empty();
                }
            }
        });
    }

    @Override
    public synchronized String put(String key, byte[] bytes, String expected) {
        return run("write " + key, c -> putOnce(c, key, bytes, expected), c -> landed(c, key, bytes));
    }

    /** The version holding exactly {@code bytes} (each blob is sealed with a fresh nonce: only this write has them), if any. */
    private String landed(Connection c, String key, byte[] bytes) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value, version FROM " + t("blobs") + " WHERE state = ? AND key = ?")) {
            ps.setString(1, state);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && java.util.Arrays.equals(rs.getBytes(1), bytes) ? Long.toString(rs.getLong(2)) : null;
            }
        }
    }

    private String putOnce(Connection c, String key, byte[] bytes, String expected) throws SQLException {
        c.setAutoCommit(false);
        try {
            Long version = write(c, key, bytes, expected);
            if (version == null) {
                c.rollback();
                throw new ConflictException(where(key) + " changed since it was read (another run wrote it)");
            }
            try (PreparedStatement h = c.prepareStatement("INSERT INTO " + t("history")
                    + " (state, key, version, value) VALUES (?, ?, ?, ?)")) {
                h.setString(1, state);
                h.setString(2, key);
                h.setLong(3, version);
                h.setBytes(4, bytes);
                h.executeUpdate();
            }
            c.commit();
            return Long.toString(version);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        } finally {
            autoCommitQuietly(c);
        }
    }

    /** A rollback on a connection that broke fails too: the transaction is gone with it, so that is no error of its own. */
    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException gone) {
            // the server rolls back a transaction whose connection dropped
        }
    }

    private static void autoCommitQuietly(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException gone) {
            // a broken connection is replaced at the next call
        }
    }

    /** The new version, or null when the stored one is not {@code expected}. */
    private Long write(Connection c, String key, byte[] bytes, String expected) throws SQLException {
        String sql;
        if (ANY.equals(expected)) {
            sql = "INSERT INTO " + t("blobs") + " AS b (state, key, version, value) VALUES (?, ?, 1, ?) "
                    + "ON CONFLICT (state, key) DO UPDATE SET value = excluded.value, version = b.version + 1, "
                    + "updated_at = now() RETURNING version";
        } else if (ABSENT.equals(expected)) {
            sql = "INSERT INTO " + t("blobs") + " (state, key, version, value) VALUES (?, ?, 1, ?) "
                    + "ON CONFLICT (state, key) DO NOTHING RETURNING version";
        } else {
            sql = "UPDATE " + t("blobs") + " SET value = ?, version = version + 1, updated_at = now() "
                    + "WHERE state = ? AND key = ? AND version = ? RETURNING version";
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (ANY.equals(expected) || ABSENT.equals(expected)) {
                ps.setString(1, state);
                ps.setString(2, key);
                ps.setBytes(3, bytes);
            } else {
                long v;
                try {
                    v = Long.parseLong(expected);
                } catch (NumberFormatException e) {
                    return null;
                }
                ps.setBytes(1, bytes);
                ps.setString(2, state);
                ps.setString(3, key);
                ps.setLong(4, v);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    @Override
    public synchronized void delete(String key) {
        run("delete " + key, c -> {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t("blobs")
                        + " WHERE state = ? AND key = ? RETURNING version")) {
                    ps.setString(1, state);
                    ps.setString(2, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            try (PreparedStatement h = c.prepareStatement("INSERT INTO " + t("history")
                                    + " (state, key, version, value) VALUES (?, ?, ?, NULL)")) {
                                h.setString(1, state);
                                h.setString(2, key);
                                h.setLong(3, rs.getLong(1) + 1);
                                h.executeUpdate();
                            }
                        }
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                autoCommitQuietly(c);
            }
            return null;
        });
    }

    @Override
    public synchronized List<String> list(String prefix) {
        return run("list " + prefix, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT key FROM " + t("blobs")
                    + " WHERE state = ? AND starts_with(key, ?) ORDER BY key COLLATE \"C\"")) {
                ps.setString(1, state);
                ps.setString(2, prefix);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public synchronized java.util.Map<String, Blob> getAll(String prefix) {
        return run("read the state", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT key, value, version FROM " + t("blobs")
                    + " WHERE state = ? AND starts_with(key, ?)")) {
                ps.setString(1, state);
                ps.setString(2, prefix);
                java.util.Map<String, Blob> out = new java.util.TreeMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), new Blob(rs.getBytes(2), Long.toString(rs.getLong(3))));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public synchronized List<Revision> history(String key) {
        return run("read the history of " + key, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT version, written_at, value FROM " + t("history")
                    + " WHERE state = ? AND key = ? ORDER BY id DESC")) {
                ps.setString(1, state);
                ps.setString(2, key);
                List<Revision> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Revision(Long.toString(rs.getLong(1)), rs.getObject(2, java.time.OffsetDateTime.class)
                                .toInstant().toString(), rs.getBytes(3)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public synchronized LockAttempt tryLock(LockInfo me, Duration lease) {
        return run("take the lock", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("locks") + " AS l (state, id, holder, lease_until) "
                    + "VALUES (?, ?, ?, now() + make_interval(secs => ?)) ON CONFLICT (state) DO UPDATE "
                    + "SET id = excluded.id, holder = excluded.holder, lease_until = excluded.lease_until "
                    + "WHERE l.lease_until < now() OR l.id = excluded.id RETURNING lease_until")) {
                ps.setString(1, state);
                ps.setString(2, me.id());
                ps.setString(3, JSON.writeValueAsString(me));
                ps.setDouble(4, lease.toMillis() / 1000.0);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return LockAttempt.taken(me.withLeaseUntil(rs.getObject(1, java.time.OffsetDateTime.class).toInstant().toString()));
                    }
                }
            } catch (IOException e) {
                throw new SQLException(e);
            }
            return LockAttempt.heldBy(holder(c).orElse(null));
        });
    }

    @Override
    public synchronized boolean renewLock(LockInfo me, Duration lease) {
        return run("renew the lock", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t("locks")
                    + " SET lease_until = now() + make_interval(secs => ?) WHERE state = ? AND id = ?")) {
                ps.setDouble(1, lease.toMillis() / 1000.0);
                ps.setString(2, state);
                ps.setString(3, me.id());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public synchronized void releaseLock(LockInfo me) {
        run("release the lock", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t("locks") + " WHERE state = ? AND id = ?")) {
                ps.setString(1, state);
                ps.setString(2, me.id());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public synchronized Optional<LockInfo> lockHolder() {
        return run("read the lock", this::holder);
    }

    private Optional<LockInfo> holder(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT holder, lease_until FROM " + t("locks") + " WHERE state = ?")) {
            ps.setString(1, state);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                LockInfo info;
                try {
                    info = JSON.readValue(rs.getString(1), LockInfo.class);
                } catch (IOException e) {
                    info = new LockInfo("unknown", "unknown", -1, "unknown (unreadable lock row)", "unknown");
                }
                return Optional.of(info.withLeaseUntil(rs.getObject(2, java.time.OffsetDateTime.class).toInstant().toString()));
            }
        }
    }

    @Override
    public synchronized Optional<LockInfo> forceUnlock(String lockId) {
        return run("force the lock open", c -> {
            Optional<LockInfo> holder = holder(c);
            if (holder.isPresent() && lockId != null && !lockId.equals(holder.get().id())) {
                throw new TeeflowException("the lock of " + location() + " has id " + holder.get().id() + ", not " + lockId
                        + "; it is held by " + holder.get().describe());
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t("locks") + " WHERE state = ?"
                    + (lockId == null ? "" : " AND id = ?"))) {
                ps.setString(1, state);
                if (lockId != null) {
                    ps.setString(2, lockId);
                }
                ps.executeUpdate();
            }
            return holder;
        });
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing: nothing left to do with it
            }
            connection = null;
        }
    }

    private interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    /** Runs on the connection, reconnecting first if it broke; a database error is one message naming the store. */
    private <T> T run(String what, Work<T> work) {
        return run(what, work, null);
    }

    /**
     * As {@link #run(String, Work)}, retrying a lost connection with {@link Backoff}. Before a retry, {@code landed}
     * (for a write) looks whether the first attempt was committed although its answer was lost, and returns its
     * result if so: a write is never made twice.
     */
    private synchronized <T> T run(String what, Work<T> work, Work<T> landed) {
        for (int attempt = 1; ; attempt++) {
            try {
                if (connection == null || connection.isClosed()) {
                    connection = connect.get();
                }
                if (attempt > 1 && landed != null) {
                    T done = landed.on(connection);
                    if (done != null) {
                        return done;
                    }
                }
                return work.on(connection);
            } catch (SQLException e) {
                boolean lost = isTransient(e);
                if (lost) {
                    close(); // connection lost: the next attempt connects again
                }
                if (!lost || attempt == Backoff.ATTEMPTS) {
                    throw new TeeflowException("cannot " + what + " in the postgres state at " + location + ": "
                            + PostgresStateBackendFactory.firstLine(e.getMessage()) + Backoff.attempts(attempt), e);
                }
            } catch (TeeflowException e) {
                if (!Backoff.isConnectionFailure(e) || attempt == Backoff.ATTEMPTS) {
                    throw attempt == 1 ? e : new TeeflowException(e.getMessage() + Backoff.attempts(attempt), e);
                }
            }
            Backoff.pauseBefore(attempt + 1);
        }
    }

    /**
     * A connection that broke or could not be made (class 08), a server shutting down or restarting (57P01-57P03),
     * too many connections (53300): worth another attempt. Anything else is the database's answer.
     */
    private static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return state == null ? Backoff.isConnectionFailure(e)
                : state.startsWith("08") || state.startsWith("57P0") || state.equals("53300");
    }
}
