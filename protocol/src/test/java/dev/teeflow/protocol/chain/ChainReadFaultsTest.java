package dev.teeflow.protocol.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.teeflow.protocol.net.FaultProxy;
import dev.teeflow.protocol.net.RetryPolicy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * The chain RPC going away and coming back, between web3j and a JSON-RPC node on 127.0.0.1 (a minimal one
 * answering eth_getTransactionCount, so the test needs no anvil): reads are retried
 * (sendRawTransaction does not go through ChainReads: a sent transaction is resumed from its hash).
 */
class ChainReadFaultsTest {
    static final Credentials WALLET = Credentials.create("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    HttpServer node;
    FaultProxy proxy;
    Web3j web3j;
    final AtomicInteger nodeCalls = new AtomicInteger();
    final List<String> lines = new ArrayList<>();
    final List<Runnable> onSleep = new ArrayList<>();
    ChainReads.Scope policy;
    ChainReads.Scope log;

    @BeforeEach
    void start() throws IOException {
        node = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        node.createContext("/", ex -> {
            nodeCalls.incrementAndGet();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = ID.matcher(body);
            String id = m.find() ? m.group(1) : "1";
            byte[] answer = ("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":\"0x7\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        node.start();
        proxy = FaultProxy.start(java.net.URI.create("http://127.0.0.1:" + node.getAddress().getPort()));
        web3j = Web3j.build(new HttpService(proxy.url().toString()));
        policy = ChainReads.usePolicy(RetryPolicy.standard().withDelays(Duration.ofMillis(10), Duration.ofMillis(40))
                .withSleeper(d -> {
                    if (!onSleep.isEmpty()) {
                        onSleep.remove(0).run();
                    }
                }));
        log = ChainReads.logTo(lines::add);
    }

    @AfterEach
    void stop() {
        log.close();
        policy.close();
        web3j.shutdown();
        proxy.close();
        node.stop(0);
    }

    private TxSender sender() {
        return new TxSender(web3j, WALLET, 1337);
    }

    @Test
    void aNodeThatGoesAwayAndComesBackIsAskedAgain() {
        proxy.down();
        onSleep.add(() -> { });
        onSleep.add(() -> {
            try {
                proxy.up();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(sender().minedTransactionCount()).isEqualTo(7);
        assertThat(lines).hasSize(2).allMatch(l -> l.startsWith("chain RPC is unreachable (ConnectException"));
        assertThat(nodeCalls).hasValue(1);
    }

    @Test
    void serverErrorsAreRetried() {
        proxy.next(2, new FaultProxy.Answer(503));
        assertThat(sender().minedTransactionCount()).isEqualTo(7);
        assertThat(lines).hasSize(2).allMatch(l -> l.startsWith("chain RPC answered 503, retrying in"));
    }

    @Test
    void aNodeThatStaysAwayIsAClearErrorAfterBoundedAttempts() {
        proxy.down();
        assertThatThrownBy(() -> sender().minedTransactionCount()).isInstanceOf(ChainException.class)
                .hasMessageContaining("cannot read the transaction count of " + sender().address())
                .hasMessageContaining("5 attempts").hasMessageContaining("is the RPC node running?");
        assertThat(lines).hasSize(4);
    }

    @Test
    void theStatusOfAWeb3jHttpErrorIsRead() {
        assertThat(ChainReads.statusOf("Invalid response received: 502; bad gateway")).isEqualTo(502);
        assertThat(ChainReads.statusOf("something else")).isEqualTo(-1);
    }
}
