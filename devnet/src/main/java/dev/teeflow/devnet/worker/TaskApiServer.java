package dev.teeflow.devnet.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.teeflow.devnet.sms.LoopbackHttp;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workerpool's task API on 127.0.0.1 (what the devnet writes as {@code workerpoolApi} in devnet.json):
 * <ul>
 * <li>{@code GET /tasks/<taskid>}: {@code {taskId, dealId, index, status, exitCode, reason, logTail, resultDigest, resultLocation}}, 404 when unknown</li>
 * <li>{@code GET /tasks}: every task this workerpool saw since it started</li>
 * <li>{@code GET /actuator/health}: {@code {"status":"UP"}}</li>
 * </ul>
 * Log tails have every secret the task received masked.
 */
final class TaskApiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final TaskBoard board;

    TaskApiServer(int port, TaskBoard board) {
        this.board = board;
        this.server = LoopbackHttp.bind("workerpool API", port);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                LoopbackHttp.sendJson(ex, 405, "{\"error\":\"only GET is supported\"}");
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (path.equals("/actuator/health")) {
                LoopbackHttp.sendJson(ex, 200, "{\"status\":\"UP\"}");
            } else if (path.equals("/tasks") || path.equals("/tasks/")) {
                List<Map<String, Object>> all = board.all().stream().map(TaskApiServer::json).toList();
                LoopbackHttp.sendJson(ex, 200, write(all));
            } else if (path.startsWith("/tasks/")) {
                String id = path.substring("/tasks/".length());
                var report = board.get(id);
                if (report.isPresent()) {
                    LoopbackHttp.sendJson(ex, 200, write(json(report.get())));
                } else {
                    LoopbackHttp.sendJson(ex, 404, write(Map.of("error", "task " + id + " is unknown to this workerpool")));
                }
            } else {
                LoopbackHttp.sendJson(ex, 404, "{\"error\":\"not found\"}");
            }
        } catch (RuntimeException e) {
            LoopbackHttp.sendJson(ex, 500, "{\"error\":\"internal error\"}");
        }
    }

    static Map<String, Object> json(TaskReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("taskId", r.taskId());
        m.put("dealId", r.dealId());
        m.put("index", r.index());
        m.put("status", r.status());
        m.put("exitCode", r.exitCode());
        m.put("reason", r.reason());
        m.put("logTail", r.logTail());
        m.put("resultDigest", r.resultDigest());
        m.put("resultLocation", r.resultLocation());
        m.put("tee", "simulated");
        return m;
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        LoopbackHttp.stop(server);
    }
}
