package dev.teeflow.devnet.worker;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** The workerpool's in-memory record of the tasks it saw, read by the task API. */
final class TaskBoard {
    private final Map<String, TaskReport> tasks = new ConcurrentHashMap<>();

    void put(TaskReport report) {
        tasks.put(report.taskId().toLowerCase(java.util.Locale.ROOT), report);
    }

    void update(String taskId, UnaryOperator<TaskReport> change) {
        tasks.computeIfPresent(taskId.toLowerCase(java.util.Locale.ROOT), (k, v) -> change.apply(v));
    }

    Optional<TaskReport> get(String taskId) {
        return Optional.ofNullable(tasks.get(taskId.toLowerCase(java.util.Locale.ROOT)));
    }

    List<TaskReport> all() {
        return List.copyOf(tasks.values());
    }
}
