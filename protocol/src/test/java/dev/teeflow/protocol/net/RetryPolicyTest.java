package dev.teeflow.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    final List<Duration> slept = new ArrayList<>();
    final List<String> lines = new ArrayList<>();
    final RetryPolicy policy = RetryPolicy.standard().withSleeper(slept::add);

    @Test
    void retriesA5xxAnswerWithGrowingDelaysAndLogsEachRetry() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RetryPolicy.Outcome<Integer> o = policy.run("SMS", RetryPolicy.Safety.IDEMPOTENT, lines::add,
                () -> calls.incrementAndGet() <= 2 ? 503 : 200, RetryPolicy::retryableStatus);
        assertThat(o.value()).isEqualTo(200);
        assertThat(o.attempts()).isEqualTo(3);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("SMS answered 503, retrying in \\d+\\.\\d s \\(2/5\\)");
        assertThat(lines.get(1)).endsWith("(3/5)");
        // 0.5 s then 1 s, each within the +-20 % jitter
        assertThat(slept.get(0)).isBetween(Duration.ofMillis(400), Duration.ofMillis(600));
        assertThat(slept.get(1)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
    }

    @Test
    void a4xxIsFinalAtOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RetryPolicy.Outcome<Integer> o = policy.run("SMS", RetryPolicy.Safety.IDEMPOTENT, lines::add,
                () -> { calls.incrementAndGet(); return 404; }, RetryPolicy::retryableStatus);
        assertThat(o.value()).isEqualTo(404);
        assertThat(calls).hasValue(1);
        assertThat(lines).isEmpty();
        assertThat(slept).isEmpty();
    }

    @Test
    void attemptsAreBoundedAndTheFinalErrorCountsThem() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> policy.run("chain RPC", RetryPolicy.Safety.IDEMPOTENT, lines::add, () -> {
            calls.incrementAndGet();
            throw new ConnectException("Connection refused");
        })).isInstanceOf(RetriesExhaustedException.class)
                .hasMessageContaining("chain RPC is unreachable (ConnectException: Connection refused)")
                .hasMessageContaining("5 attempts");
        assertThat(calls).hasValue(5);
        assertThat(lines).hasSize(4);
        assertThat(slept.stream().mapToLong(Duration::toMillis).max().orElseThrow()).isLessThanOrEqualTo(9600);
    }

    @Test
    void theTotalTimeCapStopsRetriesEarly() {
        AtomicInteger calls = new AtomicInteger();
        RetryPolicy capped = RetryPolicy.standard().withDelays(Duration.ofMillis(40), Duration.ofMillis(40))
                .withMaxAttempts(100).withTotalCap(Duration.ofMillis(200));
        long start = System.nanoTime();
        assertThatThrownBy(() -> capped.run("registry", RetryPolicy.Safety.IDEMPOTENT, lines::add, () -> {
            calls.incrementAndGet();
            throw new ConnectException("Connection refused");
        })).isInstanceOf(RetriesExhaustedException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(calls.get()).isBetween(2, 8);
    }

    @Test
    void aResetIsRetriedOnlyForIdempotentRequests() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> policy.run("SMS", RetryPolicy.Safety.NOT_SENT_ONLY, lines::add, () -> {
            calls.incrementAndGet();
            throw new SocketException("Connection reset");
        })).isInstanceOf(SocketException.class).isNotInstanceOf(RetriesExhaustedException.class);
        assertThat(calls).hasValue(1);

        AtomicInteger again = new AtomicInteger();
        assertThatThrownBy(() -> policy.run("SMS", RetryPolicy.Safety.IDEMPOTENT, lines::add, () -> {
            again.incrementAndGet();
            throw new SocketException("Connection reset");
        })).isInstanceOf(RetriesExhaustedException.class);
        assertThat(again).hasValue(5);
    }

    @Test
    void aNonIdempotentRequestThatGotA5xxIsNotRepeated() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RetryPolicy.Outcome<Integer> o = policy.run("SMS", RetryPolicy.Safety.NOT_SENT_ONLY, lines::add,
                () -> { calls.incrementAndGet(); return 502; }, RetryPolicy::retryableStatus);
        assertThat(o.value()).isEqualTo(502);
        assertThat(calls).hasValue(1);
    }

    @Test
    void aNonTransientIoErrorIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> policy.run("git remote", RetryPolicy.Safety.IDEMPOTENT, lines::add, () -> {
            calls.incrementAndGet();
            throw new IOException("not a git repository");
        })).isInstanceOf(IOException.class).hasMessage("not a git repository");
        assertThat(calls).hasValue(1);
    }

    @Test
    void a429IsRetriedAsWell() {
        assertThat(RetryPolicy.retryableStatus(429)).isEqualTo("answered 429");
        assertThat(RetryPolicy.retryableStatus(500)).isEqualTo("answered 500");
        assertThat(RetryPolicy.retryableStatus(409)).isNull();
        assertThat(RetryPolicy.retryableStatus(401)).isNull();
    }
}
