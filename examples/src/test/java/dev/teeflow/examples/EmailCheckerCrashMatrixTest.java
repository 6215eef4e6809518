package dev.teeflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeflow.engine.CrashPoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.http.HttpService;

/**
 * The email-checker pipeline on its own devnet, stopped dead (as by {@code kill -9}) at one crash point,
 * then applied again: the second apply must finish the job with the same answer, and the chain must show
 * exactly one app, one dataset and one deal, the SMS exactly one copy of each secret — nothing paid,
 * deployed or pushed twice.
 *
 * <p>The build runs the riskiest points (below); the full matrix — every step boundary and every
 * external step's intent and broadcast — is {@code ./mvnw -B -pl examples -am verify
 * -Dtest=EmailCheckerCrashMatrixTest -Dcrash.points=all -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class EmailCheckerCrashMatrixTest {
    static final String MINT_TOPIC = Hash.sha3String("Transfer(address,address,uint256)");
    static final String ZERO_TOPIC = "0x" + "0".repeat(64);
    static final String DEAL_TOPIC = Hash.sha3String("OrdersMatched(bytes32,bytes32,bytes32,bytes32,bytes32,uint256)");

    /** Steps of the example in order, and which of them act on the outside world. */
    static final List<String> STEPS = List.of("emails-xlsx", "app.checker.build", "app.checker.tee", "app.checker.push",
            "app.checker.deploy", "dataset.emails.encrypt", "dataset.emails.publish", "dataset.emails.deploy",
            "dataset.emails.push-secret", "requester.secret.my_email", "result.encryption-key", "run.check.deal",
            "run.check.wait", "run.check.fetch");
    static final List<String> EXTERNAL = List.of("app.checker.push", "app.checker.deploy", "dataset.emails.publish",
            "dataset.emails.deploy", "dataset.emails.push-secret", "requester.secret.my_email", "result.encryption-key",
            "run.check.deal");
    static final List<String> SENDING = List.of("app.checker.deploy", "dataset.emails.deploy", "run.check.deal");

    /** The riskiest points, run by every build: a sent-but-unrecorded deploy and deal, an SMS push, step edges. */
    static final List<String> IN_THE_BUILD = List.of(
            "after-broadcast:app.checker.deploy",
            "after-record:dataset.emails.publish",
            "after-intent:requester.secret.my_email",
            "after-broadcast:run.check.deal",
            "before-record:run.check.wait");

    @TempDir
    Path work;

    @BeforeAll
    static void dockerParts() throws Exception {
        ExampleRuns.checkDockerParts();
    }

    /** {@code -Dcrash.points=all}, or a comma-separated list of points, or (default) {@link #IN_THE_BUILD}. */
    static Stream<String> points() {
        String chosen = System.getProperty("crash.points", "");
        if (chosen.isBlank()) {
            return IN_THE_BUILD.stream();
        }
        if (!chosen.equals("all")) {
            return Stream.of(chosen.split("\\s*,\\s*"));
        }
        List<String> all = new ArrayList<>();
        for (String step : STEPS) {
            all.add("before-record:" + step);
            all.add("after-record:" + step);
        }
        EXTERNAL.forEach(s -> all.add("after-intent:" + s));
        SENDING.forEach(s -> all.add("after-broadcast:" + s));
        all.add("after-intent:run.check.deal#2");
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("points")
    void aRunStoppedDeadFinishesOnTheNextApplyWithoutDoingAnythingTwice(String point) throws Exception {
        Path home = Files.createDirectories(work.resolve("home"));
        ExampleRuns runs = new ExampleRuns(home);
        JsonNode devnet = runs.devnetUp();
        try {
            Path project = ExampleRuns.copyOfTheExample(work);
            Map<String, String> env = Map.of("TEEFLOW_GIT_HOST", devnet.path("gitHost").asText(), "MY_EMAIL", "alice@example.org");

            ExampleRuns.Run crashed = runs.teeflow(project, withCrash(env, point), "apply", "--no-color");
            assertThat(crashed.code()).as(crashed.text()).isEqualTo(CrashPoints.EXIT_STATUS);
            assertThat(crashed.text()).contains("crash point '" + point.replaceAll("#\\d+$", "") + "' reached");

            ExampleRuns.Run resumed = runs.teeflow(project, env, "apply", "--no-color");
            assertThat(resumed.code()).as(resumed.text()).isZero();
            assertThat(resumed.text()).contains("run.check: This email is compromised!");

            try (Web3jClient chain = new Web3jClient(devnet.path("rpc").asText())) {
                assertThat(chain.count(devnet.path("appRegistry").asText(), MINT_TOPIC, ZERO_TOPIC)).as("apps deployed").isEqualTo(1);
                assertThat(chain.count(devnet.path("datasetRegistry").asText(), MINT_TOPIC, ZERO_TOPIC)).as("datasets deployed").isEqualTo(1);
                assertThat(chain.count(devnet.path("hub").asText(), DEAL_TOPIC, null)).as("deals made").isEqualTo(1);
            }
            Path secrets = home.resolve("devnet/default/data/sms/secrets");
            assertThat(files(secrets.resolve("web3"))).as("dataset keys in the SMS").isEqualTo(1);
            assertThat(files(secrets.resolve("requester"))).as("requester secrets in the SMS").isEqualTo(1);
            assertThat(files(secrets.resolve("web2"))).as("result keys in the SMS").isEqualTo(1);
        } finally {
            runs.teeflow(home, Map.of(), "devnet", "down");
        }
    }

    private static Map<String, String> withCrash(Map<String, String> env, String point) {
        java.util.HashMap<String, String> e = new java.util.HashMap<>(env);
        e.put(CrashPoints.ENV, point);
        return e;
    }

    private static long files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }

    /** Counts logs on the devnet's chain. */
    static final class Web3jClient implements AutoCloseable {
        private final Web3j web3j;

        Web3jClient(String rpc) {
            this.web3j = Web3j.build(new HttpService(rpc));
        }

        long count(String address, String topic0, String topic1) throws IOException {
            EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, address)
                    .addSingleTopic(topic0);
            if (topic1 != null) {
                filter.addSingleTopic(topic1);
            }
            return web3j.ethGetLogs(filter).send().getLogs().size();
        }

        @Override
        public void close() {
            web3j.shutdown();
        }
    }
}
