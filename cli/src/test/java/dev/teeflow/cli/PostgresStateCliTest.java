package dev.teeflow.cli;

import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.state.postgres.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** The shared state contract on a postgres state: the project's PostgreSQL on loopback, a schema per test. */
class PostgresStateCliTest extends SharedStateCliContract {
    private static final PostgresServer SERVER = PostgresServer.start();
    private final String schema = PostgresServer.newSchema();

    @AfterEach
    void dropSchema() {
        SERVER.drop(schema);
    }

    @Override
    String stateBlock() {
        return "state:\n  backend: postgres\n  url: " + SERVER.url + "\n  user: " + SERVER.user
                + "\n  password: file:" + SERVER.passwordFile + "\n  key: env:STATE_KEY\n  lease: 5s\n";
    }

    /** The schema through the environment's config override, as a CI job would give it. */
    @Override
    Map<String, String> backendEnv() {
        return Map.of("TEEFLOW_STATE_CONFIG_SCHEMA", schema);
    }

    /** The checkout that migrates has no postgres state: no config override, the schema is in the target. */
    @Override
    Map<String, String> migrateEnv() {
        return Map.of("STATE_KEY", key);
    }

    @Override
    String migrateTarget(String password) {
        return "backend=postgres,url=" + SERVER.url + ",user=" + SERVER.user + ",password=" + password
                + ",key=env:STATE_KEY,schema=" + schema;
    }

    @Override
    String credentialReference() {
        return "file:" + SERVER.passwordFile;
    }

    @Override
    String credentialField() {
        return "password";
    }

    @Override
    String credentialValue() throws IOException {
        return Files.readString(SERVER.passwordFile).strip();
    }

    @Override
    StateBackend otherClient() {
        return SERVER.open(schema, "shared");
    }
}
