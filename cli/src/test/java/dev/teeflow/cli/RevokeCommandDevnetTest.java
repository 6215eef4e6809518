package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.devnet.chain.DevAccounts;
import dev.teeflow.devnet.chain.DevChain;
import dev.teeflow.devnet.chain.DevChainConfig;
import dev.teeflow.devnet.market.MarketServer;
import dev.teeflow.devnet.market.RpcMarketChain;
import dev.teeflow.protocol.chain.DatasetSpec;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code teeflow revoke ADDR} and the plan's {@code revoke} rows against a real chain and market on loopback:
 * two dataset orders published by apply; one removed from the file plans as revoke (table and --json) and
 * apply closes it; the other is revoked by hand, saying what it takes back before it sends anything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevokeCommandDevnetTest {
    static final int OWNER = DevAccounts.USER;
    DevChain chain;
    MarketServer market;
    String dataset;

    @BeforeAll
    void start() {
        chain = DevChain.start(DevChainConfig.defaults().withPort(0));
        String hub = chain.manifest().hub();
        market = MarketServer.start(0, chain.chainId(), hub, new RpcMarketChain(chain.rpcUrl(), hub));
        dataset = chain.hub().datasetRegistry().ensureDataset(new DatasetSpec(DevAccounts.address(OWNER), "revoke-data",
                "http://127.0.0.1:1/d.enc", "0x" + "cd".repeat(32)), chain.sender(OWNER), h -> { }).address();
    }

    @AfterAll
    void stop() {
        market.close();
        chain.close();
    }

    void writeOne(Path dir, long volume) throws Exception {
        Files.writeString(dir.resolve("teeflow.yml"), """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: revoke-crash
                target: lab
                chains:
                  lab: { id: %d, rpc: "%s", hub: "%s", sms: "http://127.0.0.1:1", market: "%s" }
                wallet: { private-key: env:PRIVATE_KEY }
                orders:
                  crash: { dataset: "%s", volume: %d }
                """.formatted(chain.chainId(), chain.rpcUrl(), chain.manifest().hub(), market.url(), dataset, volume));
    }

    long mined() {
        return chain.sender(OWNER).minedTransactionCount();
    }

    @Test
    void aRevokeKilledRightAfterBroadcastingItsCloseIsFinishedByTheNextWithoutASecondTransaction(@TempDir Path dir)
            throws Exception {
        Map<String, String> env = Map.of("PRIVATE_KEY", DevAccounts.publicTestKey(OWNER));
        writeOne(dir, 9);
        assertThat(CliRun.in(dir, env, "apply", "--no-color").exitCode()).isZero();
        String hash = hash(dir, "order.crash.publish");
        long before = mined();

        String javaBin = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "revoke", "order.crash.publish", "--file", dir.resolve("teeflow.yml").toString(), "--no-color")
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile());
        pb.environment().put("PRIVATE_KEY", DevAccounts.publicTestKey(OWNER));
        pb.environment().put(dev.teeflow.engine.CrashPoints.ENV, "after-broadcast:order.crash.publish");
        Process child = pb.start();
        assertThat(child.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(Files.readString(dir.resolve("child.log")))
                .isEqualTo(dev.teeflow.engine.CrashPoints.EXIT_STATUS);
        assertThat(dir.resolve(".teeflow/intents/order.crash.publish.json")).content().contains(hash).contains("close-tx");
        assertThat(dir.resolve(".teeflow/state/order.crash.publish.json")).exists();

        CliRun again = CliRun.in(dir, env, "revoke", "order.crash.publish", "--no-color");

        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(mined()).as("the close was sent once").isEqualTo(before + 1);
        assertThat(chain.hub().consumed(hash)).isEqualTo(BigInteger.valueOf(9));
        assertThat(dir.resolve(".teeflow/state/order.crash.publish.json")).doesNotExist();
        assertThat(dir.resolve(".teeflow/intents/order.crash.publish.json")).doesNotExist();
    }

    void write(Path dir, boolean withOpen) throws Exception {
        Files.writeString(dir.resolve("teeflow.yml"), """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: revoke
                target: lab
                chains:
                  lab: { id: %d, rpc: "%s", hub: "%s", sms: "http://127.0.0.1:1", market: "%s" }
                wallet: { private-key: env:PRIVATE_KEY }
                orders:
                  restricted: { dataset: "%s", volume: 4, requester-restrict: "%s" }
                """.formatted(chain.chainId(), chain.rpcUrl(), chain.manifest().hub(), market.url(), dataset,
                DevAccounts.address(DevAccounts.DEPLOYER))
                + (withOpen ? "  open: { dataset: \"" + dataset + "\", volume: 6 }\n" : ""));
    }

    String hash(Path dir, String address) throws Exception {
        Path record = dir.resolve(".teeflow/state/" + address + ".json");
        return new ObjectMapper().readTree(record.toFile()).path("outputs").path("hash").asText();
    }

    @Test
    void aRemovedOrderPlansAsRevokeAndARevokedByHandOneSaysWhatItTakesBackFirst(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("PRIVATE_KEY", DevAccounts.publicTestKey(OWNER));
        write(dir, true);
        CliRun apply = CliRun.in(dir, env, "apply", "--no-color");
        assertThat(apply.exitCode()).as(apply.out() + apply.err()).isZero();
        String open = hash(dir, "order.open.publish");
        String restricted = hash(dir, "order.restricted.publish");

        write(dir, false);
        CliRun plan = CliRun.in(dir, env, "plan", "--no-color");
        assertThat(plan.out()).containsPattern("revoke +order\\.open\\.publish +no longer in the pipeline file")
                .contains("will revoke datasetorder " + open).contains("any requester").contains("1 to run");
        JsonNode row = new ObjectMapper().readTree(CliRun.in(dir, env, "plan", "--json").out()).path("steps").get(0);
        assertThat(row.path("address").asText()).isEqualTo("order.open.publish");
        assertThat(row.path("action").asText()).isEqualTo("revoke");
        assertThat(chain.hub().consumed(open)).isZero();

        CliRun revoked = CliRun.in(dir, env, "apply", "--no-color");
        assertThat(revoked.exitCode()).as(revoked.out() + revoked.err()).isZero();
        assertThat(chain.hub().consumed(open)).isEqualTo(BigInteger.valueOf(6));

        CliRun byHand = CliRun.in(dir, env, "revoke", "order.restricted.publish", "--no-color");
        assertThat(byHand.exitCode()).as(byHand.out() + byHand.err()).isZero();
        String out = byHand.out();
        assertThat(out).contains("revoke order.restricted.publish  revoked by hand")
                .contains("will revoke datasetorder " + restricted)
                .contains("requester " + DevAccounts.address(DevAccounts.DEPLOYER).toLowerCase());
        assertThat(out.indexOf("will revoke")).isLessThan(out.indexOf("closing datasetorder"));
        assertThat(chain.hub().consumed(restricted)).isEqualTo(BigInteger.valueOf(4));

        CliRun nothing = CliRun.in(dir, env, "revoke", "order.restricted.publish", "--no-color");
        assertThat(nothing.exitCode()).isNotZero();
        assertThat(nothing.err()).contains("nothing to revoke at 'order.restricted.publish'");
    }
}
