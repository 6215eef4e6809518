package dev.teeflow.devnet.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.teeflow.devnet.sms.LoopbackHttp;
import dev.teeflow.protocol.chain.Deal;
import dev.teeflow.protocol.chain.Task;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workerpool's HTTP API on 127.0.0.1 (devnet.json {@code workerpoolApi}, and {@code compass} too: the devnet's
 * Compass is served here). The iExec part has iexec-core's paths and JSON, which the iExec SDK's
 * {@code task debug} reads:
 * <ul>
 * <li>{@code GET /<chainId>/workerpools/<address>}: Compass, {@code {"apiUrl": ...}} for this workerpool, 404 otherwise</li>
 * <li>{@code GET /tasks/<taskid>}: the TaskModel with its replicate and statuses, 404 when unknown</li>
 * <li>{@code GET /tasks/<taskid>/replicates/<worker>}: one replicate</li>
 * <li>{@code GET /tasks/logs/challenge?address=}: the EIP-712 challenge to sign for the logs</li>
 * <li>{@code GET /tasks/<taskid>/logs} and {@code /tasks/<taskid>/replicates/<worker>/logs} with
 *     {@code Authorization: <hash>_<signature>_<address>}: the app's stdout/stderr, for the task's requester only
 *     (401 bad signature, 403 not the requester, 404 no logs)</li>
 * </ul>
 * The devnet's own report (the failure reason in words, exit code, log tail) is at {@code GET /devnet/tasks/<taskid>}
 * and {@code GET /devnet/tasks}; {@code GET /actuator/health} answers {@code {"status":"UP"}}.
 * Everything the app printed has every secret the task received masked.
 */
final class TaskApiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COMPASS = Pattern.compile("/(\\d+)/workerpools/([^/]+)/?");
    private static final Pattern TASK = Pattern.compile("/tasks/(0x[0-9a-fA-F]{64})(/replicates/([^/]+))?(/logs)?/?");
    private static final String ZERO = "0x0000000000000000000000000000000000000000";

    private final HttpServer server;
    private final TaskBoard board;
    private final PoolChain chain;
    private final String workerpool;
    private final LogsChallenges challenges;
    private final Map<String, Deal> deals = new ConcurrentHashMap<>();

    TaskApiServer(int port, TaskBoard board, PoolChain chain, String workerpool) {
        this.board = board;
        this.chain = chain;
        this.workerpool = workerpool;
        this.challenges = new LogsChallenges(chain.chainId());
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
            Matcher compass = COMPASS.matcher(path);
            Matcher task = TASK.matcher(path);
            if (path.equals("/actuator/health")) {
                LoopbackHttp.sendJson(ex, 200, "{\"status\":\"UP\"}");
            } else if (compass.matches()) {
                compass(ex, Long.parseLong(compass.group(1)), compass.group(2));
            } else if (path.equals("/tasks/logs/challenge")) {
                String address = LoopbackHttp.query(ex).get("address");
                if (address == null || address.isBlank()) {
                    badRequest(ex, "Required parameter 'address' is not present.");
                } else {
                    LoopbackHttp.sendJson(ex, 200, write(challenges.typedData(address)));
                }
            } else if (task.matches()) {
                String taskId = task.group(1);
                String replicate = task.group(3);
                if (task.group(4) != null) {
                    logs(ex, taskId, replicate);
                } else {
                    view(ex, taskId, replicate);
                }
            } else if (path.equals("/devnet/tasks") || path.equals("/devnet/tasks/")) {
                List<Map<String, Object>> all = board.all().stream().map(TaskApiServer::devnetReport).toList();
                LoopbackHttp.sendJson(ex, 200, write(all));
            } else if (path.startsWith("/devnet/tasks/")) {
                String id = path.substring("/devnet/tasks/".length());
                var report = board.get(id);
                if (report.isPresent()) {
                    LoopbackHttp.sendJson(ex, 200, write(devnetReport(report.get())));
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

    private void compass(HttpExchange ex, long chainId, String address) throws IOException {
        if (chainId == chain.chainId() && address.equalsIgnoreCase(workerpool)) {
            LoopbackHttp.sendJson(ex, 200, write(Map.of("apiUrl", url().toString())));
        } else {
            LoopbackHttp.sendJson(ex, 404, write(Map.of("error", "workerpool " + address + " is unknown on chain " + chainId)));
        }
    }

    private void view(HttpExchange ex, String taskId, String replicate) throws IOException {
        Optional<TaskReport> report = board.get(taskId);
        if (report.isEmpty()) {
            LoopbackHttp.sendEmpty(ex, 404);
            return;
        }
        String worker = chain.worker().address();
        List<TaskBoard.StatusChange> history = board.history(taskId);
        if (replicate == null) {
            LoopbackHttp.sendJson(ex, 200, write(IexecTaskView.task(report.get(), history, facts(report.get()), worker,
                    url().toString())));
            return;
        }
        Optional<Map<String, Object>> r = replicate.equalsIgnoreCase(worker)
                ? IexecTaskView.replicate(report.get(), history, worker, url().toString()) : Optional.empty();
        if (r.isPresent()) {
            LoopbackHttp.sendJson(ex, 200, write(r.get()));
        } else {
            LoopbackHttp.sendEmpty(ex, 404);
        }
    }

    /** iexec-core's order: a malformed header is 401, another wallet than the requester 403, a bad signature 401. */
    private void logs(HttpExchange ex, String taskId, String replicate) throws IOException {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null) {
            badRequest(ex, "Required request header 'Authorization' for method parameter type String is not present");
            return;
        }
        if (header.trim().split("_").length != 3) {
            LoopbackHttp.sendEmpty(ex, 401);
            return;
        }
        String claimed = header.trim().split("_")[2];
        Optional<String> requester = board.get(taskId).flatMap(r -> deal(r.dealId())).map(Deal::requester);
        if (requester.isEmpty() || !requester.get().equalsIgnoreCase(claimed)) {
            LoopbackHttp.sendEmpty(ex, 403);
            return;
        }
        if (challenges.verify(header).isEmpty()) {
            LoopbackHttp.sendEmpty(ex, 401);
            return;
        }
        String worker = chain.worker().address();
        Optional<TaskBoard.AppLogs> logs = board.logs(taskId);
        if (logs.isEmpty() || (replicate != null && !replicate.equalsIgnoreCase(worker))) {
            LoopbackHttp.sendEmpty(ex, 404);
            return;
        }
        Map<String, Object> computeLogs = IexecTaskView.computeLogs(worker, logs.get());
        if (replicate != null) {
            LoopbackHttp.sendJson(ex, 200, write(computeLogs));
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chainTaskId", board.get(taskId).map(TaskReport::taskId).orElse(taskId));
        m.put("computeLogsList", List.of(computeLogs));
        LoopbackHttp.sendJson(ex, 200, write(m));
    }

    private IexecTaskView.DealFacts facts(TaskReport report) {
        Optional<Deal> deal = deal(report.dealId());
        if (deal.isEmpty()) {
            return new IexecTaskView.DealFacts(null, null, null, null, null, null, null);
        }
        Deal d = deal.get();
        String image = null;
        Long maxMillis = null;
        Instant contribution = null;
        Instant end = null;
        try {
            image = chain.app(d.app().pointer()).multiaddr();
            maxMillis = chain.hub().viewCategory(d.category().longValueExact()).workClockTimeRef() * 1000;
            Task t = chain.hub().viewTask(report.taskId());
            contribution = instant(t.contributionDeadline());
            end = instant(t.finalDeadline());
        } catch (RuntimeException e) {
            // the chain did not answer: those fields stay empty
        }
        String args = null;
        try {
            JsonNode params = JSON.readTree(d.params());
            args = params != null && params.hasNonNull("iexec_args") ? params.get("iexec_args").asText() : null;
        } catch (JsonProcessingException e) {
            // params that are not JSON have no arguments
        }
        return new IexecTaskView.DealFacts(d.tag(), d.trust().intValue(), image, args, maxMillis, contribution, end);
    }

    private Optional<Deal> deal(String dealId) {
        String key = dealId.toLowerCase(Locale.ROOT);
        Deal cached = deals.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        try {
            Deal d = chain.hub().viewDeal(dealId);
            if (d.isEmpty() || ZERO.equals(d.requester())) {
                return Optional.empty();
            }
            deals.put(key, d);
            return Optional.of(d);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Instant instant(BigInteger seconds) {
        return seconds == null || seconds.signum() == 0 ? null : Instant.ofEpochSecond(seconds.longValueExact());
    }

    private static void badRequest(HttpExchange ex, String message) throws IOException {
        LoopbackHttp.sendJson(ex, 400, write(Map.of("status", 400, "error", "Bad Request", "message", message)));
    }

    /** The devnet's own view of a task: the failure reason in words, with the masked log tail. */
    static Map<String, Object> devnetReport(TaskReport r) {
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
