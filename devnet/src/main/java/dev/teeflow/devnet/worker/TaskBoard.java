package dev.teeflow.devnet.worker;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The workerpool's in-memory record of the tasks it saw, read by the task API: each task's latest report,
 * the time of each status it went through, and the app's stdout and stderr (secrets masked).
 */
final class TaskBoard {
    /** One status of a task and when the workerpool reached it. */
    record StatusChange(String status, Instant date) {
    }

    /** What the app printed, with every secret of its task masked. */
    record AppLogs(String stdout, String stderr) {
    }

    private final Map<String, TaskReport> tasks = new ConcurrentHashMap<>();
    private final Map<String, List<StatusChange>> history = new ConcurrentHashMap<>();
    private final Map<String, AppLogs> logs = new ConcurrentHashMap<>();

    void put(TaskReport report) {
        String key = key(report.taskId());
        tasks.put(key, report);
        history.put(key, new CopyOnWriteArrayList<>(List.of(new StatusChange(report.status(), Instant.now()))));
    }

    void update(String taskId, UnaryOperator<TaskReport> change) {
        tasks.computeIfPresent(key(taskId), (k, old) -> {
            TaskReport next = change.apply(old);
            if (!next.status().equals(old.status())) {
                List<StatusChange> h = history.get(k);
                if (h != null) {
                    h.add(new StatusChange(next.status(), Instant.now()));
                }
            }
            return next;
        });
    }

    void logs(String taskId, AppLogs appLogs) {
        logs.put(key(taskId), appLogs);
    }

    Optional<TaskReport> get(String taskId) {
        return Optional.ofNullable(tasks.get(key(taskId)));
    }

    /** The statuses the task went through, oldest first. */
    List<StatusChange> history(String taskId) {
        List<StatusChange> h = history.get(key(taskId));
        return h == null ? List.of() : List.copyOf(h);
    }

    Optional<AppLogs> logs(String taskId) {
        return Optional.ofNullable(logs.get(key(taskId)));
    }

    List<TaskReport> all() {
        return List.copyOf(tasks.values());
    }

    private static String key(String taskId) {
        return taskId.toLowerCase(Locale.ROOT);
    }
}
