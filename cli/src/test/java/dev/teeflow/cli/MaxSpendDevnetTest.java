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
        write(dir, "", "\"" + app + "\"");
    }

    void write(Path dir, String more, String appValue) throws Exception {
        Files.writeString(dir.resolve("teeflow.yml"), """
                apiVersion: teeflow/v1
                kind: Pipeline
                name: budget
                target: lab
                chains:
                  lab: { id: %d, rpc: "%s", hub: "%s", sms: "http://127.0.0.1:1", market: "%s", workerpool: "%s" }
                wallet: { private-key: env:PRIVATE_KEY }
                run:
                  paid: { app: %s, dataset: "%s", deposit: auto }
                """.formatted(chain.chainId(), chain.rpcUrl(), chain.manifest().hub(), market.url(),
                chain.manifest().workerpool(), appValue, dataset) + more);
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
                // the hub account is empty: the deposit is estimated, matchOrders (which needs the stake) bounded
                .containsPattern("cost: pays 1000 nRLC \\(at the orders' current prices\\); deposit \\d+ gas x [0-9.]+ gwei = [0-9.E-]+ ETH \\(eth_estimateGas\\)")
                .contains("matchOrders at most 1200000 gas x ")
                .contains("(bound: at most 1200000 gas (measured on the devnet): the hub account lacks 1000 nRLC of stake")
                .containsPattern("This apply spends at most 1000 nRLC \\(0.000001 RLC\\) and about [0-9.E-]+ ETH of gas"
                        + " \\(1 paying step\\(s\\); 2 transaction\\(s\\), 1 counted at their gas bound\\)\\.");
        JsonNode json = new ObjectMapper().readTree(CliRun.in(dir, env, "plan", "--json").out());
        assertThat(json.path("schema").asText()).isEqualTo("teeflow.plan/v3");
        assertThat(json.path("cost").path("known-nrlc").asText()).isEqualTo("1000");
        assertThat(json.path("cost").path("complete").asBoolean()).isTrue();
        assertThat(json.path("cost").path("line").asText()).startsWith("This apply spends at most 1000 nRLC");
        JsonNode deposit = json.path("cost").path("steps").get(0).path("transactions").get(0);
        assertThat(deposit.path("operation").asText()).isEqualTo("deposit");
        assertThat(deposit.path("kind").asText()).isEqualTo("estimate");
        assertThat(new BigInteger(json.path("cost").path("gas-wei").asText())).isEqualTo(
                new BigInteger(deposit.path("wei").asText()).add(new BigInteger(
                        json.path("cost").path("steps").get(0).path("transactions").get(1).path("wei").asText())));

        long txs = transactionsOf(USER);
        CliRun apply = CliRun.in(dir, env, "apply", "--no-color", "--max-spend", "0.0000005");
        assertThat(apply.exitCode()).as(apply.out() + apply.err()).isEqualTo(1);
        assertThat(apply.err()).contains("nothing was sent: the deals of this apply cost 1000 nRLC (0.000001 RLC)")
                .contains("over the budget of 500 nRLC (0.0000005 RLC");
        assertThat(transactionsOf(USER)).isEqualTo(txs);
    }

    @Test
    void aGasBudgetBelowTheForecastStopsApplyBeforeAnyTransaction(@TempDir Path dir) throws Exception {
        write(dir, "budget: { gas-eth: 0.000000001 }\n", "\"" + app + "\"");
        Map<String, String> env = Map.of("PRIVATE_KEY", DevAccounts.publicTestKey(DevAccounts.USER));
        long txs = transactionsOf(USER);
        CliRun apply = CliRun.in(dir, env, "apply", "--no-color");
        assertThat(apply.exitCode()).as(apply.out() + apply.err()).isEqualTo(1);
        assertThat(apply.err()).containsPattern("nothing was sent: the transactions of this apply cost about [0-9.E-]+ ETH of gas"
                + " at the chain's current gas price \\(1 of them counted at their gas bound\\), over the budget of 0.000000001 ETH"
                + " \\(budget.gas-eth\\)");
        assertThat(transactionsOf(USER)).isEqualTo(txs);
    }

    @Test
    void aDealWhoseAppIsDeployedByThisApplyIsPricedByABoundWithItsReasonNeverZero(@TempDir Path dir) throws Exception {
        write(dir, """
                steps:
                  fresh:
                    type: app.deploy
                    with:
                      name: fresh-app
                      multiaddr: 127.0.0.1:5000/fresh:1
                      checksum: "0x%s"
                      chain: { name: lab, entry: { id: %d, rpc: "%s", hub: "%s", sms: "http://127.0.0.1:1" } }
                      wallet: { kind: private-key, private-key: { secret: env:PRIVATE_KEY } }
                """.formatted("ef".repeat(32), chain.chainId(), chain.rpcUrl(), chain.manifest().hub()),
                "\"${{ fresh.address }}\"");
        Map<String, String> env = Map.of("PRIVATE_KEY", DevAccounts.publicTestKey(DevAccounts.USER));
        CliRun plan = CliRun.in(dir, env, "plan", "--no-color");
        assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
        assertThat(plan.out()).containsPattern("cost: createApp \\d+ gas x [0-9.]+ gwei = [0-9.E-]+ ETH \\(eth_estimateGas\\)")
                .contains("cost: pays at most 1000 nRLC (bound: app deployed by fresh in this apply: the wallet's own order,"
                        + " signed at 0 nRLC; the dataset's order is chosen once fresh runs (its app restriction): at most the"
                        + " dearest open one now, 1000 nRLC)")
                .contains("matchOrders at most 1200000 gas")
                .contains("This apply spends at most 1000 nRLC (0.000001 RLC)")
                .contains("1 paying step(s), 1 priced by a bound; 3 transaction(s), 1 counted at their gas bound)");
    }

    @Test
    void aSavedPlanIsRefusedAfterAPriceChanged(@TempDir Path dir) throws Exception {
        write(dir);
        Map<String, String> env = Map.of("PRIVATE_KEY", DevAccounts.publicTestKey(DevAccounts.USER));
        String planFile = dir.resolve("plan.json").toString();
        CliRun plan = CliRun.in(dir, env, "plan", "--saved", planFile);
        assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
        assertThat(Files.readString(dir.resolve("plan.json"))).contains("\"payment-nrlc\" : \"1000\"")
                .doesNotContain(DevAccounts.publicTestKey(DevAccounts.USER).replace("0x", ""));
        // a cheaper order of the same dataset: the deal would now pay another price than the approved one
        Eip712Domain domain = Eip712Domain.poco(chain.chainId(), chain.manifest().hub());
        MarketClient client = new MarketClient(market.url(), chain.chainId());
        var ownerKey = DevAccounts.credentials(DevAccounts.DEPLOYER).getEcKeyPair();
        String cheaper = client.publish(OrderSigner.sign(new DatasetOrder(dataset, BigInteger.valueOf(400), BigInteger.valueOf(100),
                null, null, null, null, null, null), domain, ownerKey), ownerKey);
        try {
            long txs = transactionsOf(USER);
            CliRun apply = CliRun.in(dir, env, "apply", "--no-color", planFile);
            assertThat(apply.exitCode()).as(apply.out() + apply.err()).isEqualTo(1);
            assertThat(apply.err()).contains("nothing was sent: the saved plan " + planFile + " no longer holds: the price of"
                    + " run.paid.deal changed: the plan said 1000 nRLC, the orders now say 400 nRLC");
            assertThat(transactionsOf(USER)).isEqualTo(txs);
        } finally {
            client.unpublish(dev.teeflow.protocol.order.OrderKind.DATASET, cheaper, ownerKey);
        }
    }
}
