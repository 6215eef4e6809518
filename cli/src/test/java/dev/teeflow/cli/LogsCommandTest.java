package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.teeflow.engine.run.CacheKey;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.state.OutputCodec;
import dev.teeflow.engine.state.StateStore;
import dev.teeflow.engine.state.StepRecord;
import dev.teeflow.protocol.sign.WorkerpoolChallenge;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * {@code teeflow logs} against a workerpool API on loopback with iexec-core's paths and JSON (a test double of a
 * real workerpool, which, unlike the devnet's, does not mask the requester's secrets itself).
 */
class LogsCommandTest {
    static final long CHAIN = 65535;
    static final String REQUESTER_KEY = "0x" + "11".repeat(32);
    static final String OTHER_KEY = "0x" + "22".repeat(32);
    static final String REQUESTER = Credentials.create(REQUESTER_KEY).getAddress();
    static final String WORKERPOOL = "0x00000000000000000000000000000000000000b2";
    static final String WORKER = "0x00000000000000000000000000000000000000c3";
    static final String TASK = "0x" + "ab".repeat(32);
    static final String DEAL = "0x" + "cd".repeat(32);
    static final String EMAIL = "alice@example.org";
    static final String CHALLENGE = "dGhlIGNoYWxsZW5nZQ==";

    @TempDir
    Path project;

    HttpServer api;
    String apiUrl;

    @BeforeEach
    void startWorkerpoolApi() throws IOException {
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        apiUrl = "http://127.0.0.1:" + api.getAddress().getPort();
        api.createContext("/", this::answer);
        api.start();
        Files.writeString(project.resolve("teeflow.yml"), """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: logs
                target: faraway
                chains:
                  faraway: { id: 65535, rpc: "http://127.0.0.1:9", hub: "0x00000000000000000000000000000000000000a0",
                             sms: "http://127.0.0.1:9", compass: "%s" }
                wallet: { private-key: env:TEST_KEY }
                secrets:
                  my_email: env:MY_EMAIL
                run:
                  check:
                    app: "0x00000000000000000000000000000000000000a1"
                    workerpool: "%s"
                    secrets: { 1: my_email }
                  check-other:             # made no deal: 'logs run.check' must not take it for a variant of check
                    app: "0x00000000000000000000000000000000000000a1"
                    workerpool: "%s"
                """.formatted(apiUrl, WORKERPOOL, WORKERPOOL));
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("deal-id", DEAL);
        outputs.put("task-ids", List.of(TASK));
        outputs.put("task-id", TASK);
        outputs.put("workerpool", WORKERPOOL);
        outputs.put("requester", REQUESTER);
        new StateStore(project.resolve(".teeflow")).write(new StepRecord(StepRecord.SCHEMA, CacheKey.SCHEME, "run.check.deal", "run.deal",
                1, "k", Map.of(), OutputCodec.encode(Outputs.of(outputs), project), Map.of(), "2026-12-04T12:00:00Z"));
    }

    @AfterEach
    void stop() {
        api.stop(0);
    }

    @Test
    void showsTheAppsOutputAndTheWorkersStatusesWithTheRequestersSecretMasked() {
        CliRun r = CliRun.in(project, Map.of("TEST_KEY", REQUESTER_KEY, "MY_EMAIL", EMAIL), "logs", "run.check", "--no-color");

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("run.check: deal " + DEAL + ", 1 task(s), workerpool " + WORKERPOOL + " (API " + apiUrl + ")")
                .contains("task " + TASK + ": COMPLETED")
                .contains("statuses: RECEIVED 12:00:01 > RUNNING 12:00:02 > COMPLETED 12:00:05")
                .contains("worker " + WORKER + ": COMPLETED, app exit code 0")
                .contains("CREATED 12:00:01 > COMPUTING 12:00:02 > COMPLETED 12:00:05")
                .contains("--- stdout (" + WORKER + ") ---\n  checked 3 row(s) of the dataset\n  looking for ***\n")
                .contains("--- stderr (" + WORKER + ") ---\n  as base64: ***\n");
        String all = r.out() + r.err();
        assertThat(all).doesNotContain(EMAIL)
                .doesNotContain(Base64.getEncoder().encodeToString(EMAIL.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aTaskIdFindsItsRunAndAnUnknownOneIsNamed() {
        CliRun r = CliRun.in(project, Map.of("TEST_KEY", REQUESTER_KEY, "MY_EMAIL", EMAIL), "logs", TASK);
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("checked 3 row(s) of the dataset");

        CliRun unknown = CliRun.in(project, Map.of("TEST_KEY", REQUESTER_KEY, "MY_EMAIL", EMAIL), "logs", "0x" + "ef".repeat(32));
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("is not a task of a deal this pipeline made").contains(TASK);
    }

    @Test
    void anotherWalletSeesTheStatusesButNotTheLogs() {
        CliRun r = CliRun.in(project, Map.of("TEST_KEY", OTHER_KEY, "MY_EMAIL", EMAIL), "logs", "check", "--no-color");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("task " + TASK + ": COMPLETED").doesNotContain("checked 3 row(s)");
        assertThat(r.err()).contains("shows the logs of task " + TASK + " only to its requester")
                .contains(Credentials.create(OTHER_KEY).getAddress());
    }

    @Test
    void withoutCompassTheApiIsGivenOrTheErrorSaysHow() throws IOException {
        Path file = project.resolve("teeflow.yml");
        Files.writeString(file, Files.readString(file).replace(", compass: \"" + apiUrl + "\"", ""));
        Map<String, String> env = Map.of("TEST_KEY", REQUESTER_KEY, "MY_EMAIL", EMAIL);

        CliRun none = CliRun.in(project, env, "logs", "run.check");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).contains("faraway (chain 65535) has no Compass URL")
                .contains("compass: https://...").contains("--workerpool-api URL");

        CliRun given = CliRun.in(project, env, "logs", "run.check", "--workerpool-api", apiUrl);
        assertThat(given.exitCode()).as(given.out() + given.err()).isZero();
        assertThat(given.out()).contains("checked 3 row(s) of the dataset");
    }

    @Test
    void aRunWithoutADealSaysToApplyFirstAndAnUnknownRunIsNamed() throws IOException {
        new StateStore(project.resolve(".teeflow")).delete("run.check.deal");
        CliRun r = CliRun.in(project, Map.of("TEST_KEY", REQUESTER_KEY, "MY_EMAIL", EMAIL), "logs", "run.check");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("run.check.deal has made no deal yet").contains("teeflow apply");

        CliRun unknown = CliRun.in(project, Map.of("TEST_KEY", REQUESTER_KEY, "MY_EMAIL", EMAIL), "logs", "run.chek");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no run 'run.chek' in the pipeline").contains("run.check");
    }

    @Test
    void helpExplainsTheCommand() {
        CliRun r = CliRun.in(project, Map.of(), "logs", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: teeflow logs").contains("RUN|TASK").contains("Compass");
    }

    /** iexec-core's Compass, task view, logs challenge and requester-only logs, with fixed data. */
    private void answer(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (path.equals("/" + CHAIN + "/workerpools/" + WORKERPOOL)) {
            send(ex, 200, "{\"apiUrl\":\"" + apiUrl + "\"}");
        } else if (path.equals("/tasks/" + TASK)) {
            send(ex, 200, """
                    {"chainTaskId":"%1$s","replicates":[{"self":"x","chainTaskId":"%1$s","walletAddress":"%2$s",
                    "currentStatus":"COMPLETED","statusUpdateList":[
                    {"status":"CREATED","date":"2026-12-04T12:00:01.000+00:00"},
                    {"status":"COMPUTING","date":"2026-12-04T12:00:02.000+00:00"},
                    {"status":"COMPLETED","date":"2026-12-04T12:00:05.000+00:00"}],"appExitCode":0}],
                    "currentStatus":"COMPLETED","dateStatusList":[
                    {"date":"2026-12-04T12:00:01.000+00:00","status":"RECEIVED"},
                    {"date":"2026-12-04T12:00:02.000+00:00","status":"RUNNING"},
                    {"date":"2026-12-04T12:00:05.000+00:00","status":"COMPLETED"}]}
                    """.formatted(TASK, WORKER));
        } else if (path.equals("/tasks/logs/challenge")) {
            send(ex, 200, "{\"types\":{\"EIP712Domain\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"version\","
                    + "\"type\":\"string\"},{\"name\":\"chainId\",\"type\":\"uint256\"}],\"Challenge\":[{\"name\":\"challenge\","
                    + "\"type\":\"string\"}]},\"primaryType\":\"Challenge\",\"domain\":{\"name\":\"iExec Core\",\"version\":\"1\","
                    + "\"chainId\":" + CHAIN + "},\"message\":{\"challenge\":\"" + CHALLENGE + "\"}}");
        } else if (path.equals("/tasks/" + TASK + "/logs")) {
            String header = ex.getRequestHeaders().getFirst("Authorization");
            String claimed = WorkerpoolChallenge.addressOf(header).orElse("");
            if (!claimed.equalsIgnoreCase(REQUESTER)) {
                send(ex, 403, null);
            } else if (WorkerpoolChallenge.verify(CHAIN, CHALLENGE, header).isEmpty()) {
                send(ex, 401, null);
            } else {
                String b64 = Base64.getEncoder().encodeToString(EMAIL.getBytes(StandardCharsets.UTF_8));
                send(ex, 200, "{\"chainTaskId\":\"" + TASK + "\",\"computeLogsList\":[{\"walletAddress\":\"" + WORKER
                        + "\",\"stdout\":\"checked 3 row(s) of the dataset\\nlooking for " + EMAIL + "\\n\","
                        + "\"stderr\":\"as base64: " + b64 + "\\n\"}]}");
            }
        } else {
            send(ex, 404, null);
        }
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        if (json != null) {
            ex.getResponseHeaders().set("Content-Type", "application/json");
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }
}
