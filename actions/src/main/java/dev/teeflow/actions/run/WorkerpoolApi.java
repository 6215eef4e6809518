package dev.teeflow.actions.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.actions.chain.Targets;
import dev.teeflow.protocol.devnet.DevnetInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The devnet workerpool's own task report ({@code GET <workerpoolApi>/devnet/tasks/<taskid>} ->
 * {@code {taskId, status, exitCode, reason, logTail}}), which says in words why a task failed. Real iExec
 * workerpools have no such report; there the statuses and the app's logs come from their iExec API
 * ({@code teeflow logs}).
 */
final class WorkerpoolApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** What the worker says about one task. */
    record Report(String status, Integer exitCode, String reason, String logTail) {
        String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append(reason == null || reason.isBlank() ? "no reason given" : reason.strip());
            if (exitCode != null) {
                sb.append(" (exit code ").append(exitCode).append(')');
            }
            if (logTail != null && !logTail.isBlank()) {
                sb.append("; the app's last lines:\n").append(logTail.strip());
            }
            return sb.toString();
        }
    }

    private final URI base;

    WorkerpoolApi(URI base) {
        this.base = base;
    }

    /** The API of the devnet behind a chain input name ({@code devnet}, {@code devnet:ci}), when it has one. */
    static Optional<WorkerpoolApi> forTarget(String targetName, Path teeflowHome) {
        Optional<String> devnet = Targets.devnetName(targetName);
        if (devnet.isEmpty()) {
            return Optional.empty();
        }
        try {
            String api = DevnetInfo.read(DevnetInfo.file(teeflowHome, devnet.get())).workerpoolApi();
            return api == null || api.isBlank() ? Optional.empty() : Optional.of(new WorkerpoolApi(URI.create(api)));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The worker's report of a task; empty when the API does not answer or does not know the task. */
    Optional<Report> task(String taskId) {
        try {
            String b = base.toString().endsWith("/") ? base.toString() : base + "/";
            HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(b + "devnet/tasks/" + taskId))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode n = JSON.readTree(res.body());
            return Optional.of(new Report(n.path("status").asText(""),
                    n.hasNonNull("exitCode") ? n.get("exitCode").asInt() : null,
                    n.hasNonNull("reason") ? n.get("reason").asText() : null,
                    n.hasNonNull("logTail") ? n.get("logTail").asText() : null));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
