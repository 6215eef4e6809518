package dev.teeflow.actions.run;

import dev.teeflow.actions.chain.ChainConfig;
import dev.teeflow.actions.chain.Wallet;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.protocol.workerpool.ComputeLogs;
import dev.teeflow.protocol.workerpool.TaskView;
import dev.teeflow.protocol.workerpool.WorkerpoolApiClient;
import dev.teeflow.protocol.workerpool.WorkerpoolApiException;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What {@code teeflow logs} reads about a task, the way {@code iexec task debug --logs} does: the workerpool's
 * API is found through the chain's Compass, its task view gives the statuses, and the app's stdout and
 * stderr come with the requester's signature of the API's challenge.
 */
public final class TaskLogs {

    /**
     * One task as the workerpool sees it. {@code view} and {@code logs} are empty when the workerpool does not
     * have them (yet); {@code problem} says why something could not be read, null when all went well.
     */
    public record Entry(String taskId, Optional<TaskView> view, Optional<List<ComputeLogs>> logs, String problem) {
    }

    private TaskLogs() {
    }

    /** The workerpool's API URL, through the chain's Compass. */
    public static URI workerpoolApi(ChainConfig chain, String workerpool) {
        if (chain.compass() == null || chain.compass().isBlank()) {
            throw new TeeflowException(chain.describe() + " has no Compass URL, so the API of workerpool " + workerpool
                    + " cannot be found" + (chain.devnet()
                    ? "; this devnet was started by an older teeflow: restart it (teeflow devnet down, teeflow devnet up)"
                    : "; add 'compass: https://...' under chains: { " + chain.name() + ": ... } in the pipeline,"
                    + " or give the API with --workerpool-api URL"));
        }
        try {
            return WorkerpoolApiClient.resolve(URI.create(chain.compass()), chain.chainId(), workerpool)
                    .orElseThrow(() -> new TeeflowException("Compass at " + chain.compass() + " does not know workerpool "
                            + workerpool + " on " + chain.describe() + ", so its task API cannot be found"));
        } catch (WorkerpoolApiException e) {
            throw new TeeflowException(e.getMessage() + " while looking up workerpool " + workerpool, e);
        }
    }

    /** Reads the task's view and, signing with the requester's wallet, its logs. */
    public static Entry read(URI api, ChainConfig chain, String taskId, Wallet requester) {
        WorkerpoolApiClient client = new WorkerpoolApiClient(api);
        Optional<TaskView> view;
        try {
            view = client.task(taskId);
        } catch (WorkerpoolApiException e) {
            return new Entry(taskId, Optional.empty(), Optional.empty(), e.getMessage());
        }
        try {
            return new Entry(taskId, view, client.logs(taskId, chain.chainId(), requester.keyPair()), null);
        } catch (WorkerpoolApiException e) {
            return new Entry(taskId, view, Optional.empty(), e.getMessage()
                    + (e.status() == 403 ? " (the pipeline's wallet: " + requester.source() + ")" : ""));
        }
    }
}
