package dev.teeflow.devnet.worker;

import dev.teeflow.devnet.DevnetComponent;
import dev.teeflow.devnet.DevnetContext;

/**
 * Plugs the workerpool into {@code teeflow devnet up}: started after the chain and services, before the
 * devnet's workerpool orders are published, so that every deal matched on the devnet gets run.
 */
public final class WorkerpoolComponent implements DevnetComponent {
    private Workerpool pool;

    @Override
    public String name() {
        return WORKERPOOL;
    }

    @Override
    public void start(DevnetContext context) {
        pool = new Workerpool(WorkerpoolConfig.forDevnet(context.chain(), context.secrets(), context.storage(),
                        context.dataDir())
                .withApiPort(context.workerpoolApiPort())
                .withLog(context.log()))
                .start();
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
