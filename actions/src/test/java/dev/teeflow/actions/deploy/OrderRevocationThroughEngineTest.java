package dev.teeflow.actions.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.devnet.chain.DevAccounts;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.plan.PlannedStep;
import dev.teeflow.engine.run.Engine;
import dev.teeflow.engine.run.Report;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.protocol.chain.ChainException;
import dev.teeflow.protocol.order.DatasetOrder;
import dev.teeflow.protocol.order.MarketClient;
import dev.teeflow.protocol.order.OrderAbi;
import dev.teeflow.protocol.order.OrderJson;
import dev.teeflow.protocol.order.OrderKind;
import dev.teeflow.protocol.order.OrderSigner;
import dev.teeflow.protocol.order.PocoOrder;
import dev.teeflow.protocol.order.RequestOrder;
import dev.teeflow.protocol.order.Tags;
import dev.teeflow.protocol.order.WorkerpoolOrder;
import dev.teeflow.protocol.sign.Eip712Domain;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Type;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Access that can be taken back, through the real engine on a real anvil + PoCo and the devnet market: an order
 * block removed from the file plans as {@code revoke} and apply closes its order on chain (a deal that matched it
 * before is refused after); narrowing {@code app-restrict} closes the old order and publishes the new one;
 * {@code revoke: true} closes the order and publishes none; {@code Engine.revoke} does it for one address.
 */
class OrderRevocationThroughEngineTest extends OneChainLabPerClass {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CHECKSUM = "0x" + "cd".repeat(32);
    static final String DATASET_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    static final String TAG = Tags.parse("tee,tdx");
    static final int REQUESTER = 8;

    @TempDir
    Path project;

    /** An app and a dataset, each deployed with an order; {@code datasetOrder} is the dataset's order block (or none). */
    private Engine engine(int account, String name, String datasetOrder, List<String> logs) throws Exception {
        Files.createDirectories(project.resolve("data"));
        Files.writeString(project.resolve("data/emails.csv"), "alice@example.org\n" + name + "\n");
        String yaml = lab.header(name) + """
                app:
                  checker:
                    push: { repository: 127.0.0.1:5000/checker, tag: "1.0.0" }
                    deploy: true
                    order: { volume: 10 }
                dataset:
                  emails:
                    file: data/emails.csv
                    key: env:DATASET_KEY
                    publish: { file: { dir: published } }
                    deploy: true
                """ + (datasetOrder == null ? "" : "    order: " + datasetOrder + "\n");
        Map<String, StepSpec> steps = ChainLab.expand(project, yaml, s -> ChainLab.withFakeImage(s, "checker", "tdx", CHECKSUM));
        return ChainLab.engine(project, steps, Map.of("PRIVATE_KEY", DevAccounts.publicTestKey(account),
                "DATASET_KEY", DATASET_KEY), logs);
    }

    private static PlannedStep row(Plan plan, String address) {
        return plan.steps().stream().filter(s -> s.address().equals(address)).findFirst().orElseThrow();
    }

    private static PocoOrder order(Outputs recorded) {
        return OrderJson.fromJson(OrderKind.valueOf(recorded.string("kind").orElseThrow().replace("order", "").toUpperCase()),
                JSON.valueToTree(recorded.get("order")));
    }

    private static BigInteger consumed(String hash) {
        return lab.chain.hub().consumed(hash);
    }

    private static boolean listedOpen(OrderKind kind, String hash) {
        return new MarketClient(lab.market.url(), lab.chain.chainId()).find(kind, hash).map(p -> p.isOpen()).orElse(false);
    }

    @Test
    void anOrderRemovedFromTheFileIsClosedOnChainAndADealThatMatchedItBeforeIsRefused() throws Exception {
        int account = 4;
        List<String> logs = ChainLab.lines();
        String block = "{ volume: 5, tag: [tee, tdx], app-restrict: \"${{ app.checker.deploy.address }}\" }";
        Report first = engine(account, "removed", block, logs).apply(List.of(), List.of());
        assertThat(first.succeeded()).as(first.toString()).isTrue();
        Engine withOrder = engine(account, "removed", block, logs);
        Outputs recorded = withOrder.recordedOutputs("dataset.emails.order");
        String hash = recorded.string("hash").orElseThrow();
        PocoOrder datasetOrder = order(recorded);
        PocoOrder appOrder = order(withOrder.recordedOutputs("app.checker.order"));
        assertThat(hub(match(appOrder, datasetOrder))).isEqualTo(1); // the dataset order grants access today

        Engine without = engine(account, "removed", null, logs);
        Plan plan = without.plan(List.of(), List.of());
        PlannedStep revoke = row(plan, "dataset.emails.order");
        assertThat(revoke.action()).isEqualTo(Action.REVOKE);
        assertThat(revoke.reason()).isEqualTo("no longer in the pipeline file");
        assertThat(revoke.detail()).contains("will revoke datasetorder " + hash)
                .contains("app " + datasetOrder.values().get("apprestrict")).contains("volume 5");
        assertThat(consumed(hash)).isEqualTo(BigInteger.ONE); // the plan sent nothing

        Report applied = without.apply(List.of(), List.of());

        assertThat(applied.succeeded()).as(applied.toString()).isTrue();
        assertThat(applied.outcomes().get(0).address()).isEqualTo("dataset.emails.order");
        assertThat(consumed(hash)).isEqualTo(BigInteger.valueOf(5));
        assertThat(listedOpen(OrderKind.DATASET, hash)).isFalse();
        assertThatThrownBy(() -> match(appOrder, datasetOrder)).isInstanceOf(ChainException.class);
        assertThat(without.recordedOutputs("dataset.emails.order")).isNull();
        assertThat(without.plan(List.of(), List.of()).hasChanges()).isFalse();
        assertThat(logs).anyMatch(l -> l.contains("closing datasetorder " + hash + " on chain"));
    }

    @Test
    void narrowingAppRestrictClosesTheOldOrderAndPublishesTheNewOne() throws Exception {
        int account = 5;
        List<String> logs = ChainLab.lines();
        Report first = engine(account, "narrow", "{ volume: 5, tag: [tee, tdx] }", logs).apply(List.of(), List.of());
        assertThat(first.succeeded()).as(first.toString()).isTrue();
        String oldHash = engine(account, "narrow", "{ volume: 5, tag: [tee, tdx] }", logs)
                .recordedOutputs("dataset.emails.order").string("hash").orElseThrow();
        assertThat(listedOpen(OrderKind.DATASET, oldHash)).isTrue();

        Engine narrowed = engine(account, "narrow", "{ volume: 5, tag: [tee, tdx], app-restrict: \"${{ app.checker.deploy.address }}\" }", logs);
        PlannedStep row = row(narrowed.plan(List.of(), List.of()), "dataset.emails.order");
        assertThat(row.action()).isEqualTo(Action.RERUN);
        assertThat(row.detail()).contains("will publish a datasetorder").contains("then revoke datasetorder " + oldHash)
                .contains("any app");
        Report applied = narrowed.apply(List.of(), List.of());

        assertThat(applied.succeeded()).as(applied.toString()).isTrue();
        Outputs now = narrowed.recordedOutputs("dataset.emails.order");
        String app = narrowed.recordedOutputs("app.checker.deploy").string("address").orElseThrow();
        assertThat(now.string("hash")).isPresent().get().isNotEqualTo(oldHash);
        assertThat((String) order(now).values().get("apprestrict")).isEqualToIgnoringCase(app);
        assertThat(consumed(oldHash)).isEqualTo(BigInteger.valueOf(5));
        assertThat(listedOpen(OrderKind.DATASET, oldHash)).isFalse();
        assertThat(listedOpen(OrderKind.DATASET, now.string("hash").orElseThrow())).isTrue();
        long mined = lab.chain.sender(account).minedTransactionCount();
        assertThat(narrowed.plan(List.of(), List.of()).hasChanges()).isFalse();
        assertThat(narrowed.apply(List.of(), List.of()).succeeded()).isTrue();
        assertThat(lab.chain.sender(account).minedTransactionCount()).isEqualTo(mined);
    }

    @Test
    void revokeTrueClosesTheOrderAndPublishesNoneAndEngineRevokeDoesItForOneAddress() throws Exception {
        int account = 6;
        List<String> logs = ChainLab.lines();
        Report first = engine(account, "revoke", "{ volume: 5 }", logs).apply(List.of(), List.of());
        assertThat(first.succeeded()).as(first.toString()).isTrue();
        Engine open = engine(account, "revoke", "{ volume: 5 }", logs);
        String datasetHash = open.recordedOutputs("dataset.emails.order").string("hash").orElseThrow();
        String appHash = open.recordedOutputs("app.checker.order").string("hash").orElseThrow();

        Engine revoked = engine(account, "revoke", "{ volume: 5, revoke: true }", logs);
        PlannedStep row = row(revoked.plan(List.of(), List.of()), "dataset.emails.order");
        assertThat(row.detail()).startsWith("will revoke datasetorder " + datasetHash);
        assertThat(revoked.apply(List.of(), List.of()).succeeded()).isTrue();
        assertThat(consumed(datasetHash)).isEqualTo(BigInteger.valueOf(5));
        assertThat(revoked.recordedOutputs("dataset.emails.order").string("status")).contains("revoked");
        assertThat(revoked.plan(List.of(), List.of()).hasChanges()).isFalse();

        List<PlannedStep> told = new java.util.ArrayList<>();
        Report one = revoked.revoke("app.checker.order", told::add);
        assertThat(one.succeeded()).as(one.toString()).isTrue();
        assertThat(told).singleElement().matches(p -> p.action() == Action.REVOKE && p.detail().contains(appHash));
        assertThat(consumed(appHash)).isEqualTo(BigInteger.valueOf(10));
        assertThat(revoked.recordedOutputs("app.checker.order")).isNull();
        assertThat(row(revoked.plan(List.of(), List.of()), "app.checker.order").action()).isEqualTo(Action.CREATE);
    }

    @Test
    void aRevocationThatGaveUpWaitingForItsCloseWaitsForTheSameTransactionNextTime() throws Exception {
        int account = 7;
        List<String> logs = ChainLab.lines();
        assertThat(engine(account, "slow", "{ volume: 5 }", logs).apply(List.of(), List.of()).succeeded()).isTrue();
        String hash = engine(account, "slow", "{ volume: 5 }", logs).recordedOutputs("dataset.emails.order")
                .string("hash").orElseThrow();
        long before = lab.chain.sender(account).minedTransactionCount();
        Path intent = new dev.teeflow.engine.state.StateStore(project.resolve(".teeflow")).intentFile("dataset.emails.order");
        lab.rpc("evm_setAutomine", "false");
        try {
            Report gaveUp = engine(account, "slow", null, logs).apply(List.of(), List.of());
            assertThat(gaveUp.succeeded()).isFalse();
            assertThat(gaveUp.outcomes().get(0).message()).contains("was not mined within").contains("run again");
            String sent = JSON.readTree(intent.toFile()).path("values").path("close-tx").asText();
            assertThat(JSON.readTree(intent.toFile()).path("values").path("revoking").asText()).isEqualTo(hash);
            assertThat(engine(account, "slow", null, logs).recordedOutputs("dataset.emails.order")).isNotNull();

            mineSoon();
            Report resumed = engine(account, "slow", null, logs).apply(List.of(), List.of());

            assertThat(resumed.succeeded()).as(resumed.toString()).isTrue();
            assertThat(logs).anyMatch(l -> l.contains("an earlier run sent " + sent + " to close datasetorder " + hash));
            assertThat(lab.chain.sender(account).minedTransactionCount()).as("one close, sent once").isEqualTo(before + 1);
            assertThat(consumed(hash)).isEqualTo(BigInteger.valueOf(5));
            assertThat(intent).doesNotExist();
        } finally {
            lab.rpc("evm_setAutomine", "true");
        }
    }

    private static void mineSoon() {
        Thread miner = new Thread(() -> {
            try {
                Thread.sleep(400);
                lab.rpc("evm_mine", "");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        miner.setDaemon(true);
        miner.start();
    }

    private static long hub(TransactionReceipt receipt) {
        return lab.chain.hub().ordersMatched(receipt).size();
    }

    /** matchOrders of these app and dataset orders with a fresh workerpool order (the devnet pool) and request. */
    private static TransactionReceipt match(PocoOrder appOrder, PocoOrder datasetOrder) {
        var d = lab.chain.hub().domain();
        Eip712Domain domain = new Eip712Domain(d.name(), d.version(), d.chainId(), d.verifyingContract());
        var requester = lab.chain.sender(REQUESTER);
        String pool = lab.chain.manifest().workerpool();
        PocoOrder poolOrder = OrderSigner.sign(new WorkerpoolOrder(pool, BigInteger.ZERO, BigInteger.ONE, TAG,
                BigInteger.ZERO, BigInteger.ZERO, null, null, null, null, null), domain,
                DevAccounts.credentials(DevAccounts.SCHEDULER).getEcKeyPair());
        PocoOrder request = OrderSigner.sign(new RequestOrder(appOrder.address(), BigInteger.ZERO, datasetOrder.address(),
                BigInteger.ZERO, pool, BigInteger.ZERO, requester.address(), BigInteger.ONE, TAG, BigInteger.ZERO,
                BigInteger.ZERO, requester.address(), null, "{\"iexec_args\":\"x\"}", null, null), domain,
                DevAccounts.credentials(REQUESTER).getEcKeyPair());
        String appTuple = OrderAbi.tupleType(OrderKind.APP);
        String signature = "matchOrders(" + appTuple + "," + appTuple + "," + OrderAbi.tupleType(OrderKind.WORKERPOOL)
                + "," + OrderAbi.tupleType(OrderKind.REQUEST) + ")";
        List<Type> args = List.of(OrderAbi.struct(appOrder), OrderAbi.struct(datasetOrder), OrderAbi.struct(poolOrder),
                OrderAbi.struct(request));
        return requester.send(lab.chain.manifest().hub(),
                org.web3j.crypto.Hash.sha3String(signature).substring(0, 10) + Numeric.cleanHexPrefix(FunctionEncoder.encodeConstructor(args)), h -> { });
    }
}
