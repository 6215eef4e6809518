package dev.teeflow.state.postgres;

import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.engine.state.StateBackendContract;
import org.junit.jupiter.api.AfterEach;

/** The postgres backend keeps the contract against a real PostgreSQL 15 on loopback. */
class PostgresStateBackendTest extends StateBackendContract {
    private static final PostgresServer SERVER = PostgresServer.start();
    private final String schema = PostgresServer.newSchema();

    @Override
    protected StateBackend newBackend() {
        return SERVER.open(schema, "contract");
    }

    @Override
    protected StateBackend sameStoreAgain() {
        return SERVER.open(schema, "contract");
    }

    @AfterEach
    void dropSchema() {
        SERVER.drop(schema);
    }
}
