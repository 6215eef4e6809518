package dev.teeflow.engine.state;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The local directory keeps the backend contract (its kernel lock never expires while its holder lives). */
class LocalStateBackendTest extends StateBackendContract {
    @TempDir
    Path dir;

    @Override
    protected StateBackend newBackend() {
        return new LocalStateBackend(dir);
    }

    @Override
    protected StateBackend sameStoreAgain() {
        return new LocalStateBackend(dir);
    }

    @Override
    protected boolean leasesExpire() {
        return false;
    }
}
