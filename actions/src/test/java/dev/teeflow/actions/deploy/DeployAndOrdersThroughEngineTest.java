package dev.teeflow.actions.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.devnet.chain.DevAccounts;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.plan.Action;
import dev.teeflow.engine.plan.Plan;
import dev.teeflow.engine.plan.PlannedStep;
import dev.teeflow.engine.run.Engine;
import dev.teeflow.engine.run.Report;
import dev.teeflow.engine.run.StepOutcome;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.protocol.chain.WorkerpoolSpec;
import dev.teeflow.protocol.order.MarketClient;
import dev.teeflow.protocol.order.OrderJson;
import dev.teeflow.protocol.order.OrderKind;
import dev.teeflow.protocol.order.OrderSigner;
import dev.teeflow.protocol.order.PocoOrder;
import dev.teeflow.protocol.order.PublishedOrder;
import dev.teeflow.protocol.order.Tags;
import dev.teeflow.protocol.sign.Eip712Domain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.utils.Numeric;

/**
 * app/dataset/workerpool deploys, SMS secrets and orders, applied by the real engine against a real
 * anvil + PoCo, the devnet market API and the devnet SMS, all on 127.0.0.1.
 */
class DeployAndOrdersThroughEngineTest extends OneChainLabPerClass {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CHECKSUM = "0x" + "ab".repeat(32);
    static final String DATASET_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    static final String APP_SECRET = "app-developer-secret-value";

    @TempDir
    Path project;

    private String appAndDataset(String name) {
        return lab.header(name) + """
                app:
                  checker:
                    push: { repository: 127.0.0.1:5000/checker, tag: "1.0.0" }
                    deploy: { deployed-json: true }
                    secret: env:APP_SECRET
                    order: { volume: 10, workerpool-restrict: "%s" }
                dataset:
                  emails:
                    file: data/emails.csv
                    key: env:DATASET_KEY
                    publish: { file: { dir: published } }
                    deploy: { deployed-json: true }
                    order: { volume: 5, tag: [tee, tdx], app-restrict: "${{ app.checker.deploy.address }}" }
                """.formatted(lab.chain.manifest().workerpool());
    }

    private Engine appAndDatasetEngine(int account, List<String> logs) throws Exception {
        Map<String, StepSpec> steps = ChainLab.expand(project, appAndDataset("deploy-" + account),
                s -> ChainLab.withFakeImage(s, "checker", "tdx", CHECKSUM));
        return ChainLab.engine(project, steps, env(account), logs);
    }

    private static Map<String, String> env(int account) {
        return Map.of("PRIVATE_KEY", DevAccounts.publicTestKey(account), "APP_SECRET", APP_SECRET, "DATASET_KEY", DATASET_KEY);
    }

    private static long mined(int account) {
        return lab.chain.sender(account).minedTransactionCount();
    }

    private static MarketClient market() {
        return new MarketClient(lab.market.url(), lab.chain.chainId());
    }

    private static Eip712Domain domain() {
        var d = lab.chain.hub().domain();
        return new Eip712Domain(d.name(), d.version(), d.chainId(), d.verifyingContract());
    }

    private void writeData(String text) throws Exception {
        Files.createDirectories(project.resolve("data"));
        Files.writeString(project.resolve("data/emails.csv"), text);
    }

    @Test
    void deploysPushesAndPublishesOnceAndASecondApplySendsNothing() throws Exception {
        int account = 4;
        String wallet = DevAccounts.address(account);
        writeData("alice@example.org\nbob@example.org\n");
        List<String> logs = ChainLab.lines();
        long before = mined(account);

        Report first = appAndDatasetEngine(account, logs).apply(List.of(), List.of());
        assertThat(first.succeeded()).as(first.toString()).isTrue();
        Engine engine = appAndDatasetEngine(account, logs);
        Outputs app = engine.recordedOutputs("app.checker.deploy");
        Outputs dataset = engine.recordedOutputs("dataset.emails.deploy");
        String appAddress = app.string("address").orElseThrow();
        String datasetAddress = dataset.string("address").orElseThrow();

        // on chain: both registered, owned by the wallet, one transaction each
        assertThat(lab.chain.hub().appRegistry().isRegistered(appAddress)).isTrue();
        assertThat(lab.chain.hub().datasetRegistry().isRegistered(datasetAddress)).isTrue();
        assertThat(app.string("owner")).contains(wallet);
        assertThat(lab.chain.caller().owner(datasetAddress)).isEqualToIgnoringCase(wallet);
        assertThat(app.string("tx")).isPresent();
        assertThat(mined(account)).isEqualTo(before + 2);

        // SMS: the dataset key and the app developer secret, under the deployed addresses
        assertThat(lab.sms.secrets().datasetKey(datasetAddress)).contains(DATASET_KEY);
        assertThat(lab.sms.secrets().appDeveloperSecret(appAddress)).contains(APP_SECRET);

        // market: both orders open, as published, signed by the wallet in the hub's domain
        Outputs appOrder = engine.recordedOutputs("app.checker.order");
        PublishedOrder published = market().find(OrderKind.APP, appOrder.string("hash").orElseThrow()).orElseThrow();
        assertThat(published.isOpen()).isTrue();
        assertThat(published.order().address()).isEqualToIgnoringCase(appAddress);
        assertThat(published.order().volume()).hasToString("10");
        assertThat(published.order().tag()).as("app order tag from the tdx framework").isEqualTo(Tags.parse("tee,tdx"));
        assertThat(published.order().values().get("workerpoolrestrict")).isEqualTo(lab.chain.manifest().workerpool().toLowerCase());
        PocoOrder fromOutput = OrderJson.fromJson(OrderKind.APP, JSON.valueToTree(appOrder.get("order")));
        assertThat(fromOutput).isEqualTo(published.order());
        assertThat(OrderSigner.hash(fromOutput, domain())).isEqualTo(published.orderHash());
        assertThat(OrderSigner.recoverSigner(fromOutput, domain())).hasValueSatisfying(s -> assertThat(s).isEqualToIgnoringCase(wallet));
        assertThat(hubAcceptsSignature(wallet, published.orderHash(), fromOutput.sign())).as("hub verifySignature").isTrue();

        Outputs datasetOrder = engine.recordedOutputs("dataset.emails.order");
        PublishedOrder ds = market().find(OrderKind.DATASET, datasetOrder.string("hash").orElseThrow()).orElseThrow();
        assertThat(ds.order().values().get("apprestrict")).isEqualTo(appAddress.toLowerCase());
        assertThat(ds.order().tag()).isEqualTo(Tags.parse("tee,tdx"));

        // deployed.json for the iExec CLI
        JsonNode deployed = JSON.readTree(project.resolve("deployed.json").toFile());
        String chainId = String.valueOf(lab.chain.chainId());
        assertThat(deployed.path("app").path(chainId).asText()).isEqualTo(appAddress);
        assertThat(deployed.path("dataset").path(chainId).asText()).isEqualTo(datasetAddress);

        // second apply: everything up to date, no transaction, no new order
        int appOrders = lab.market.openOrders(OrderKind.APP).size();
        int datasetOrders = lab.market.openOrders(OrderKind.DATASET).size();
        Report second = appAndDatasetEngine(account, logs).apply(List.of(), List.of());
        assertThat(second.succeeded()).as(second.toString()).isTrue();
        assertThat(second.count(StepOutcome.Status.UP_TO_DATE)).isEqualTo(second.outcomes().size());
        assertThat(mined(account)).isEqualTo(before + 2);

        // an order step that runs again (replaced) finds its identical open order and does not publish another
        Report replaced = appAndDatasetEngine(account, logs).apply(List.of(), List.of("app.checker.order", "app.checker.deploy"));
        assertThat(replaced.succeeded()).as(replaced.toString()).isTrue();
        Engine after = appAndDatasetEngine(account, logs);
        assertThat(after.recordedOutputs("app.checker.order").string("status")).contains("reused");
        assertThat(after.recordedOutputs("app.checker.order").string("hash")).isEqualTo(appOrder.string("hash"));
        assertThat(after.recordedOutputs("app.checker.deploy").get("tx")).as("already registered: no tx").isNull();
        assertThat(lab.market.openOrders(OrderKind.APP)).hasSize(appOrders);
        assertThat(lab.market.openOrders(OrderKind.DATASET)).hasSize(datasetOrders);
        assertThat(mined(account)).isEqualTo(before + 2);

        assertThat(logs).noneMatch(l -> l.contains(APP_SECRET) || l.contains(DATASET_KEY)
                || l.contains(Numeric.cleanHexPrefix(DevAccounts.publicTestKey(account))));
    }

    @Test
    void aChangedDatasetDeploysANewDatasetPushesItsKeyAndReplacesItsOrder() throws Exception {
        int account = 5;
        writeData("first version\n");
        List<String> logs = ChainLab.lines();
        Report first = appAndDatasetEngine(account, logs).apply(List.of(), List.of());
        assertThat(first.succeeded()).as(first.toString() + logs).isTrue();
        Engine engine = appAndDatasetEngine(account, logs);
        String oldDataset = engine.recordedOutputs("dataset.emails.deploy").string("address").orElseThrow();
        String oldOrder = engine.recordedOutputs("dataset.emails.order").string("hash").orElseThrow();
        String appAddress = engine.recordedOutputs("app.checker.deploy").string("address").orElseThrow();
        long before = mined(account);

        writeData("second version\n");
        Report changed = appAndDatasetEngine(account, logs).apply(List.of(), List.of());
        assertThat(changed.succeeded()).as(changed.toString()).isTrue();
        Engine after = appAndDatasetEngine(account, logs);
        String newDataset = after.recordedOutputs("dataset.emails.deploy").string("address").orElseThrow();

        assertThat(newDataset).isNotEqualToIgnoringCase(oldDataset);
        assertThat(lab.chain.hub().datasetRegistry().isRegistered(newDataset)).isTrue();
        assertThat(lab.chain.hub().datasetRegistry().isRegistered(oldDataset)).isTrue();
        assertThat(after.recordedOutputs("app.checker.deploy").string("address")).contains(appAddress);
        assertThat(mined(account)).as("the new dataset is deployed, the replaced order closed, nothing else")
                .isEqualTo(before + 2);
        assertThat(lab.sms.secrets().datasetKey(newDataset)).contains(DATASET_KEY);

        String newOrder = after.recordedOutputs("dataset.emails.order").string("hash").orElseThrow();
        assertThat(newOrder).isNotEqualTo(oldOrder);
        assertThat(market().find(OrderKind.DATASET, newOrder).orElseThrow().order().address()).isEqualToIgnoringCase(newDataset);
        assertThat(market().find(OrderKind.DATASET, oldOrder).map(PublishedOrder::isOpen).orElse(false))
                .as("the replaced order is unpublished").isFalse();
        assertThat(lab.chain.hub().consumed(oldOrder)).as("the replaced order is closed on chain").isEqualTo(java.math.BigInteger.valueOf(5));
    }

    @Test
    void thePlanShowsThePredictedAddressBeforeAnythingIsSent() throws Exception {
        int account = 6;
        String yaml = lab.header("pool") + """
                workerpool:
                  pool:
                    description: "teeflow test pool"
                    order: { volume: 3, tag: [tee, tdx], category: 0 }
                """;
        List<String> logs = ChainLab.lines();
        Map<String, StepSpec> steps = ChainLab.expand(project, yaml, s -> s);
        long before = mined(account);
        String predicted = lab.chain.hub().workerpoolRegistry()
                .predictWorkerpool(new WorkerpoolSpec(DevAccounts.address(account), "teeflow test pool"));

        Plan plan = ChainLab.engine(project, steps, env(account), logs).plan(List.of(), List.of());
        PlannedStep deploy = plan.steps().stream().filter(s -> s.address().equals("workerpool.pool.deploy")).findFirst().orElseThrow();
        assertThat(deploy.action()).isEqualTo(Action.CREATE);
        assertThat(deploy.detail()).isEqualTo("will deploy workerpool 'teeflow test pool' at " + predicted + " (predicted)");
        var gas = deploy.cost().transactions();
        assertThat(gas).singleElement().satisfies(g -> {
            assertThat(g.operation()).isEqualTo("createWorkerpool");
            assertThat(g.kind()).isEqualTo(dev.teeflow.engine.spi.StepCost.Kind.ESTIMATE);
            assertThat(g.weiPerGas()).isPositive();
        });
        PlannedStep orderRow = plan.steps().stream().filter(s -> s.address().equals("workerpool.pool.order")).findFirst().orElseThrow();
        assertThat(orderRow.cost().transactions()).as("orders go to the market API, not the chain").isEmpty();
        assertThat(orderRow.cost().payment()).isNull();
        assertThat(mined(account)).isEqualTo(before);

        Report applied = ChainLab.engine(project, steps, env(account), logs).apply(List.of(), List.of());
        assertThat(applied.succeeded()).as(applied.toString()).isTrue();
        Engine engine = ChainLab.engine(project, steps, env(account), logs);
        assertThat(engine.recordedOutputs("workerpool.pool.deploy").string("address")).contains(predicted);
        // the plan's estimate is what the deploy used, within the node's estimation slack
        java.math.BigInteger used = lab.chain.web3j().ethGetTransactionReceipt(engine.recordedOutputs("workerpool.pool.deploy")
                .string("tx").orElseThrow()).send().getTransactionReceipt().orElseThrow().getGasUsed();
        assertThat(used).isLessThanOrEqualTo(gas.get(0).gas())
                .isGreaterThan(gas.get(0).gas().multiply(java.math.BigInteger.valueOf(9)).divide(java.math.BigInteger.TEN));
        PublishedOrder order = market().find(OrderKind.WORKERPOOL,
                engine.recordedOutputs("workerpool.pool.order").string("hash").orElseThrow()).orElseThrow();
        assertThat(order.order().address()).isEqualToIgnoringCase(predicted);
        assertThat(engine.plan(List.of(), List.of()).hasChanges()).isFalse();
        assertThat(mined(account)).isEqualTo(before + 1);
    }

    /** PoCo's own signature check (IexecPoco1.verifySignature) on the order hash and signature. */
    private static boolean hubAcceptsSignature(String signer, String hash, String sign) {
        String data = FunctionEncoder.encode(new Function("verifySignature", List.of(new Address(signer),
                new Bytes32(Numeric.hexStringToByteArray(hash)), new DynamicBytes(Numeric.hexStringToByteArray(sign))), List.of()));
        String result = lab.chain.caller().call(lab.chain.manifest().hub(), data, "verifySignature");
        return Numeric.toBigInt(result).signum() == 1;
    }

    static Optional<String> none() {
        return Optional.empty();
    }
}
