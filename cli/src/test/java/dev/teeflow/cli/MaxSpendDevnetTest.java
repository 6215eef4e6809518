package dev.teeflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.devnet.chain.DevAccounts;
import dev.teeflow.devnet.chain.DevChain;
import dev.teeflow.devnet.chain.DevChainConfig;
import dev.teeflow.devnet.market.MarketServer;
import dev.teeflow.devnet.market.RpcMarketChain;
import dev.teeflow.protocol.chain.AppSpec;
import dev.teeflow.protocol.chain.DatasetSpec;
import dev.teeflow.protocol.order.DatasetOrder;
import dev.teeflow.protocol.order.MarketClient;
import dev.teeflow.protocol.order.OrderSigner;
import dev.teeflow.protocol.order.Tags;
import dev.teeflow.protocol.order.WorkerpoolOrder;
import dev.teeflow.protocol.sign.Eip712Domain;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * The plan's cost and {@code apply --max-spend} against a real chain and market on loopback, with a
 * dataset order priced 1000 nRLC (as the 004 seed's): the plan totals it, and a budget below it stops
 * apply before a single transaction.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MaxSpendDevnetTest {
    static final String USER = DevAccounts.address(DevAccounts.USER);
    DevChain chain;
    MarketServer market;
    String app;
    String dataset;

    @BeforeAll
    void start() throws Exception {
        chain = DevChain.start(DevChainConfig.defaults().withPort(0));
        String hub = chain.manifest().hub();
        market = MarketServer.start(0, chain.chainId(), hub, new RpcMarketChain(chain.rpcUrl(), hub));
        Eip712Domain domain = Eip712Domain.poco(chain.chainId(), hub);
        MarketClient client = new MarketClient(market.url(), chain.chainId());
        var scheduler = DevAccounts.credentials(DevAccounts.SCHEDULER).getEcKeyPair();
        client.publish(OrderSigner.sign(new WorkerpoolOrder(chain.manifest().workerpool(), BigInteger.ZERO,
                BigInteger.valueOf(1000), Tags.parse("tee,tdx"), BigInteger.ZERO, BigInteger.ZERO, null, null, null, null, null),
                domain, scheduler), scheduler);
        app = chain.hub().appRegistry().ensureApp(AppSpec.docker(USER, "budget-app", "127.0.0.1:5000/budget:1",
                "0x" + "ab".repeat(32), new byte[0]), chain.sender(DevAccounts.USER), h -> { }).address();
        String owner = DevAccounts.address(DevAccounts.DEPLOYER);
        dataset = chain.hub().datasetRegistry().ensureDataset(new DatasetSpec(owner, "budget-data",
                "http://127.0.0.1:1/d.enc", "0x" + "cd".repeat(32)), chain.sender(DevAccounts.DEPLOYER), h -> { }).address();
        var ownerKey = DevAccounts.credentials(DevAccounts.DEPLOYER).getEcKeyPair();
        client.publish(OrderSigner.sign(new DatasetOrder(dataset, BigInteger.valueOf(1000), BigInteger.valueOf(100),
                null, null, null, null, null, null), domain, ownerKey), ownerKey);
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {market, chain}) {
            if (c != null) {
                c.close();
            }
        }
    }

    void write(Path dir) throws Exception {
        Files.writeString(dir.resolve("teeflow.yml"), """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: budget
                target: lab
                chains:
                  lab: { id: %d, rpc: "%s", hub: "%s", sms: "http://127.0.0.1:1", market: "%s", workerpool: "%s" }
                wallet: { private-key: env:PRIVATE_KEY }
                run:
                  paid: { app: "%s", dataset: "%s", deposit: auto }
                """.formatted(chain.chainId(), chain.rpcUrl(), chain.manifest().hub(), market.url(),
                chain.manifest().workerpool(), app, dataset));
    }

    long transactionsOf(String address) throws Exception {
        return chain.web3j().ethGetTransactionCount(address, DefaultBlockParameterName.LATEST).send()
                .getTransactionCount().longValueExact();
    }

    @Test
    void thePlanTotalsThePricedDealAndMaxSpendBelowItSendsNothing(@TempDir Path dir) throws Exception {
        write(dir);
        Map<String, String> env = Map.of("PRIVATE_KEY", DevAccounts.publicTestKey(DevAccounts.USER));

        CliRun plan = CliRun.in(dir, env, "plan", "--no-color");
        assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
        assertThat(plan.out()).contains("costs 1000 nRLC (0.000001 RLC): (app 0 + dataset 1000 + workerpool 0 nRLC) x volume 1")
                .contains("This apply pays 1000 nRLC (0.000001 RLC) for 1 deal(s)");
        JsonNode json = new ObjectMapper().readTree(CliRun.in(dir, env, "plan", "--json").out());
        assertThat(json.path("schema").asText()).isEqualTo("teeflow.plan/v2");
        assertThat(json.path("cost").path("known-nrlc").asText()).isEqualTo("1000");
        assertThat(json.path("cost").path("complete").asBoolean()).isTrue();

        long txs = transactionsOf(USER);
        CliRun apply = CliRun.in(dir, env, "apply", "--no-color", "--max-spend", "0.0000005");
        assertThat(apply.exitCode()).as(apply.out() + apply.err()).isEqualTo(1);
        assertThat(apply.err()).contains("nothing was sent: the deals of this apply cost 1000 nRLC (0.000001 RLC)")
                .contains("over the budget of 500 nRLC (0.0000005 RLC");
        assertThat(transactionsOf(USER)).isEqualTo(txs);
    }
}
