package dev.teeflow.devnet.worker;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A devnet task as an iExec workerpool's scheduler (iexec-core) shows it at {@code GET /tasks/<taskid>}: its
 * TaskModel with the one replicate of the devnet's one worker. The fields and their order are iexec-core's
 * (TaskModel, ReplicateModel, ReplicateStatusUpdateModel, TaskStatusChange); statuses are its enum names, dates
 * are written as Spring Boot writes a {@code java.util.Date}. What the devnet cannot know (consensus,
 * callback data, initialization block) is left empty, as iexec-core leaves it for such tasks.
 */
final class IexecTaskView {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'+00:00'")
            .withZone(ZoneOffset.UTC);

    /** What the chain says about a task's deal (null fields when the chain could not be read). */
    record DealFacts(String tag, Integer trust, String appMultiaddr, String commandLine, Long maxExecutionMillis,
                     Instant contributionDeadline, Instant finalDeadline) {
    }

    private IexecTaskView() {
    }

    static Map<String, Object> task(TaskReport r, List<TaskBoard.StatusChange> history, DealFacts deal,
                                    String worker, String apiUrl) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chainTaskId", r.taskId());
        List<Map<String, Object>> replicates = replicate(r, history, worker, apiUrl).map(List::of).orElse(null);
        m.put("replicates", replicates);
        m.put("maxExecutionTime", deal.maxExecutionMillis() == null ? 0 : deal.maxExecutionMillis());
        m.put("tag", deal.tag());
        m.put("dappType", "DOCKER");
        m.put("dappName", deal.appMultiaddr());
        m.put("commandLine", deal.commandLine());
        m.put("initializationBlockNumber", 0);
        m.put("currentStatus", taskStatus(r.status()));
        m.put("trust", deal.trust() == null ? 0 : deal.trust());
        m.put("uploadingWorkerWalletAddress", r.resultLocation() == null ? null : worker);
        m.put("consensus", null);
        m.put("contributionDeadline", date(deal.contributionDeadline()));
        m.put("revealDeadline", null);
        m.put("finalDeadline", date(deal.finalDeadline()));
        m.put("resultLink", r.resultLocation());
        m.put("chainCallbackData", null);
        List<Map<String, Object>> changes = new ArrayList<>();
        String last = null;
        for (TaskBoard.StatusChange c : history) {
            String status = taskStatus(c.status());
            if (!status.equals(last)) {
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("date", date(c.date()));
                change.put("status", status);
                changes.add(change);
                last = status;
            }
        }
        m.put("dateStatusList", changes);
        return m;
    }

    /** The worker's replicate, once the task was handed to the worker (INITIALIZED); empty before. */
    static java.util.Optional<Map<String, Object>> replicate(TaskReport r, List<TaskBoard.StatusChange> history,
                                                            String worker, String apiUrl) {
        List<Map<String, Object>> updates = new ArrayList<>();
        boolean handedOut = false;
        boolean appRan = false;
        for (TaskBoard.StatusChange c : history) {
            switch (c.status()) {
                case "INITIALIZED" -> {
                    handedOut = true;
                    updates.add(update("CREATED", c.date(), null));
                }
                case "RUNNING" -> {
                    appRan = true;
                    updates.add(update("COMPUTING", c.date(), null));
                }
                case "UPLOADING" -> {
                    updates.add(update("COMPUTED", c.date(), null));
                    updates.add(update("RESULT_UPLOADING", c.date(), null));
                }
                case "COMPLETED" -> {
                    if (handedOut) {
                        updates.add(update("CONTRIBUTE_AND_FINALIZE_DONE", c.date(), null));
                        updates.add(update("COMPLETED", c.date(), null));
                    }
                }
                case "FAILING" -> updates.add(update("COMPUTE_FAILED", c.date(), failureCause(r, appRan)));
                case "FAILED" -> {
                    if (handedOut) {
                        updates.add(update("FAILED", c.date(), null));
                    }
                }
                default -> {
                    // RECEIVED, NOT_INITIALIZED and on-chain statuses: no replicate work
                }
            }
        }
        if (!handedOut) {
            return java.util.Optional.empty();
        }
        String self = apiUrl + "/tasks/" + r.taskId() + "/replicates/" + worker;
        Map<String, Object> m = new LinkedHashMap<>(); // NON_EMPTY in iexec-core: absent fields are left out
        m.put("self", self);
        m.put("chainTaskId", r.taskId());
        m.put("walletAddress", worker);
        m.put("currentStatus", updates.get(updates.size() - 1).get("status"));
        m.put("statusUpdateList", updates);
        if (r.resultLocation() != null) {
            m.put("resultLink", r.resultLocation());
        }
        if (appRan) {
            m.put("appLogs", self + "/logs");
        }
        if (r.exitCode() != null) {
            m.put("appExitCode", r.exitCode());
        }
        return java.util.Optional.of(m);
    }

    /** iexec-common's ReplicateStatusCause for a devnet failure. */
    private static String failureCause(TaskReport r, boolean appRan) {
        if (!appRan) {
            return "PRE_COMPUTE_FAILED_UNKNOWN_ISSUE";
        }
        if (r.exitCode() == null) {
            return "APP_COMPUTE_TIMEOUT";
        }
        return r.exitCode() != 0 ? "APP_COMPUTE_FAILED" : "POST_COMPUTE_FAILED_UNKNOWN_ISSUE";
    }

    private static Map<String, Object> update(String status, Instant date, String cause) {
        Map<String, Object> m = new LinkedHashMap<>(); // NON_NULL in iexec-core
        m.put("status", status);
        m.put("date", date(date));
        if (cause != null) {
            m.put("cause", cause);
        }
        return m;
    }

    /** iexec-core's TaskStatus for a devnet status. */
    static String taskStatus(String devnetStatus) {
        return switch (devnetStatus) {
            case "RECEIVED", "UNSET" -> "RECEIVED";
            case "INITIALIZED" -> "INITIALIZED";
            case "RUNNING", "ACTIVE" -> "RUNNING";
            case "UPLOADING" -> "RESULT_UPLOADING";
            case "REVEALING" -> "AT_LEAST_ONE_REVEALED";
            case "COMPLETED" -> "COMPLETED";
            case "FAILING" -> "RUNNING_FAILED";
            case "NOT_INITIALIZED" -> "INITIALIZE_FAILED";
            case "FAILED", "TIMEOUT" -> "FAILED";
            default -> devnetStatus;
        };
    }

    /** The compute logs of the worker (iexec-common's ComputeLogs: NON_EMPTY, so empty streams are left out). */
    static Map<String, Object> computeLogs(String worker, TaskBoard.AppLogs logs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("walletAddress", worker);
        if (logs.stdout() != null && !logs.stdout().isEmpty()) {
            m.put("stdout", logs.stdout());
        }
        if (logs.stderr() != null && !logs.stderr().isEmpty()) {
            m.put("stderr", logs.stderr());
        }
        return m;
    }

    static String date(Instant instant) {
        return instant == null ? null : DATE.format(instant);
    }
}
