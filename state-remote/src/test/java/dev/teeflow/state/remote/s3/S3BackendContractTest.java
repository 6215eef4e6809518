package dev.teeflow.state.remote.s3;

import dev.teeflow.engine.state.StateBackend;
import dev.teeflow.engine.state.StateBackendContract;
import dev.teeflow.state.remote.LockMode;
import org.junit.jupiter.api.AfterEach;

/** The s3 backend keeps the state backend contract, on a store that honours conditional writes (a test double). */
class S3BackendContractTest extends StateBackendContract {
    private LoopbackS3 s3;

    @Override
    protected StateBackend newBackend() throws Exception {
        s3 = new LoopbackS3("contract");
        return sameStoreAgain();
    }

    @Override
    protected StateBackend sameStoreAgain() {
        return new S3StateBackend(S3TestSettings.of(s3.endpoint(), "contract", "p/", LockMode.STORE), n -> { });
    }

    @AfterEach
    void stopStore() {
        s3.close();
    }
}
