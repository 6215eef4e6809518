package dev.teeflow.actions.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.teeflow.actions.chain.ChainResolver;
import dev.teeflow.actions.testing.TestPipelines;
import dev.teeflow.actions.testing.YamlTree;
import dev.teeflow.devnet.chain.DevAccounts;
import dev.teeflow.devnet.chain.DevChain;
import dev.teeflow.devnet.chain.DevChainConfig;
import dev.teeflow.devnet.market.MarketServer;
import dev.teeflow.devnet.market.RpcMarketChain;
import dev.teeflow.devnet.sms.RpcOwnerLookup;
import dev.teeflow.devnet.sms.SmsServer;
import dev.teeflow.devnet.storage.StorageServer;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.run.Engine;
import dev.teeflow.engine.run.Report;
import dev.teeflow.engine.run.StepOutcome;
import dev.teeflow.engine.secret.Redactor;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.Registry;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepLog;
import dev.teeflow.engine.testing.FakeStepContext;
import dev.teeflow.protocol.chain.AppSpec;
import dev.teeflow.protocol.chain.DatasetSpec;
import dev.teeflow.protocol.chain.TxSender;
import dev.teeflow.protocol.devnet.DevnetInfo;
import dev.teeflow.protocol.order.MarketClient;
import dev.teeflow.protocol.order.OrderSigner;
import dev.teeflow.protocol.order.Tags;
import dev.teeflow.protocol.order.WorkerpoolOrder;
import dev.teeflow.protocol.sign.Eip712Domain;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * The run section against a real chain (anvil with PoCo), the devnet SMS, market API and result storage on
 * loopback, through the real engine. Tasks are finished by {@link TestWorker} (a stand-in until the devnet
 * workerpool is merged).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunFlowTest {
    static final String KEY = DevAccounts.publicTestKey(DevAccounts.USER);
    static final String USER = DevAccounts.address(DevAccounts.USER);

    Path data;
    DevChain chain;
    SmsServer sms;
    MarketServer market;
    StorageServer storage;
    TestWorker worker;
    String app;
    String dataset;

    @BeforeAll
    void start() throws Exception {
        data = Files.createTempDirectory("run-flow-test");
        chain = DevChain.start(DevChainConfig.defaults().withPort(0));
        String hub = chain.manifest().hub();
        sms = SmsServer.start(data.resolve("sms"), 0, new RpcOwnerLookup(chain.rpcUrl()));
        market = MarketServer.start(0, chain.chainId(), hub, new RpcMarketChain(chain.rpcUrl(), hub));
        storage = StorageServer.start(data.resolve("storage"), 0);
        var owner = DevAccounts.credentials(DevAccounts.SCHEDULER).getEcKeyPair();
        WorkerpoolOrder offer = new WorkerpoolOrder(chain.manifest().workerpool(), BigInteger.ZERO,
                BigInteger.valueOf(1000), Tags.parse("tee,tdx"), BigInteger.ZERO, BigInteger.ZERO, null, null, null, null, null);
        new MarketClient(market.url(), chain.chainId()).publish(
                OrderSigner.sign(offer, Eip712Domain.poco(chain.chainId(), hub), owner), owner);
        TxSender user = chain.sender(DevAccounts.USER);
        app = chain.hub().appRegistry().ensureApp(AppSpec.docker(USER, "email-checker-test",
                "127.0.0.1:5000/email-checker:1.0.0-tdx", "0x" + "ab".repeat(32), new byte[0]), user, h -> { }).address();
        dataset = chain.hub().datasetRegistry().ensureDataset(new DatasetSpec(USER, "emails-test",
                "http://127.0.0.1:1/emails.xlsx.enc", "0x" + "cd".repeat(32)), user, h -> { }).address();
        worker = new TestWorker(chain, sms.secrets(), storage);
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {worker, storage, market, sms, chain}) {
            if (c != null) {
                c.close();
            }
        }
    }

    String chainYaml() {
        return """
                target: lab
                chains:
                  lab: { id: %d, rpc: "%s", hub: "%s", sms: "%s", market: "%s", ipfs-gateway: "%s", workerpool: "%s" }
                wallet: { private-key: env:PRIVATE_KEY }
                """.formatted(chain.chainId(), chain.rpcUrl(), chain.manifest().hub(), sms.url(), market.url(),
                storage.url(), chain.manifest().workerpool());
    }

    Engine engine(Path project, String sections, Map<String, String> env, List<String> logs) throws Exception {
        ConfigNode root = YamlTree.parse(project, "apiVersion: teeflow/v1\nkind: Pipeline\nname: run\n" + chainYaml() + sections);
        Registry registry = Registry.load();
        Problems problems = new Problems();
        Map<String, StepSpec> steps = TestPipelines.expand(root, registry, problems);
        problems.throwIfAny();
        return TestPipelines.engine("run", project, steps, registry, env, logs);
    }

    String runYaml(String secretName) {
        return """
                secrets:
                  my_email: env:MY_EMAIL
                result:
                  encryption: true
                run:
                  check:
                    app: "%s"
                    dataset: "%s"
                    secrets: { 1: %s }
                    args: [--verbose]
                    encrypt-result: true
                    fetch: { to: out/ }
                """.formatted(app, dataset, secretName);
    }

    long transactionsOf(String address) throws Exception {
        return chain.web3j().ethGetTransactionCount(address, DefaultBlockParameterName.LATEST).send()
                .getTransactionCount().longValueExact();
    }

    @Test
    void oneDealThenNothingTheEncryptedResultDecryptsWithTheKeyTeeflowMade(@TempDir Path project) throws Exception {
        List<String> logs = new ArrayList<>();
        int before = TestWorker.deals(chain).size();
        Map<String, String> env = Map.of("PRIVATE_KEY", KEY, "MY_EMAIL", "alice@example.org");

        Engine first = engine(project, runYaml("my_email"), env, logs);
        Report report = first.apply(List.of(), List.of());
        assertThat(report.succeeded()).as(report + "\n" + String.join("\n", logs)).isTrue();
        assertThat(TestWorker.deals(chain)).hasSize(before + 1);
        Outputs deal = first.recordedOutputs("run.check.deal");
        assertThat(deal.string("params")).contains("{\"iexec_args\":\"--verbose\",\"iexec_secrets\":{\"1\":\"my_email\"},"
                + "\"iexec_result_encryption\":true,\"iexec_result_storage_provider\":\"ipfs\"}");
        Outputs fetched = first.recordedOutputs("run.check.fetch");
        assertThat(fetched.string("result-text")).contains(TestWorker.COMPROMISED);
        assertThat(Files.readString(project.resolve("out/result.txt"))).isEqualTo(TestWorker.COMPROMISED);
        assertThat(first.recordedOutputs("run.check.wait").string("status")).contains("COMPLETED");

        Report second = engine(project, runYaml("my_email"), env, logs).apply(List.of(), List.of());
        assertThat(second.succeeded()).isTrue();
        assertThat(second.outcomes()).filteredOn(o -> o.address().startsWith("run."))
                .allMatch(o -> o.status() == StepOutcome.Status.UP_TO_DATE);
        assertThat(TestWorker.deals(chain)).hasSize(before + 1);
        assertThat(logs).noneMatch(l -> l.contains("alice@example.org") || l.contains(KEY.substring(2)));
        assertThat(worker.failure()).isNull();
    }

    /** Garbage in run.check.deal.json made a second deal: now the deal is read back from the chain. */
    @Test
    void garbageInTheDealRecordReadsTheDealBackInsteadOfPayingAgain(@TempDir Path project) throws Exception {
        List<String> logs = new ArrayList<>();
        int before = TestWorker.deals(chain).size();
        Map<String, String> env = Map.of("PRIVATE_KEY", KEY, "MY_EMAIL", "alice@example.org");
        Engine first = engine(project, runYaml("my_email"), env, logs);
        assertThat(first.apply(List.of(), List.of()).succeeded()).as(String.join("\n", logs)).isTrue();
        String dealId = first.recordedOutputs("run.check.deal").string("deal-id").orElseThrow();
        Files.writeString(project.resolve(".teeflow/state/run.check.deal.json"), "\u0000{\"garbage");

        Report again = engine(project, runYaml("my_email"), env, logs).apply(List.of(), List.of());
        assertThat(again.succeeded()).as(again + "\n" + String.join("\n", logs)).isTrue();
        assertThat(TestWorker.deals(chain)).hasSize(before + 1);
        assertThat(first.recordedOutputs("run.check.deal").string("deal-id")).contains(dealId);
        assertThat(logs).anyMatch(l -> l.contains("resuming") && l.contains(dealId));
    }

    @Test
    void volumeThreeFetchesEveryTasksResultIntoItsOwnFolder(@TempDir Path project) throws Exception {
        List<String> logs = new ArrayList<>();
        Map<String, String> env = Map.of("PRIVATE_KEY", KEY);
        String yaml = """
                run:
                  bulk: { app: "%s", dataset: "%s", volume: 3, args: "bulk %d" }
                """.formatted(app, dataset, System.nanoTime());
        Engine engine = engine(project, yaml, env, logs);
        Report report = engine.apply(List.of(), List.of());
        assertThat(report.succeeded()).as(report + "\n" + String.join("\n", logs)).isTrue();

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertThat(Files.readString(project.resolve("out/bulk/" + i + "/task-index.txt"))).isEqualTo(String.valueOf(i));
            answers.add("task " + i + ": " + Files.readString(project.resolve("out/bulk/" + i + "/result.txt")));
        }
        Outputs fetched = engine.recordedOutputs("run.bulk.fetch");
        assertThat(answers).allMatch(a -> a.endsWith(TestWorker.SAFE) || a.endsWith(TestWorker.COMPROMISED));
        assertThat(fetched.string("result-text")).contains(String.join("\n", answers));
        assertThat(fetched.get("files").toString()).contains("0/result.txt", "1/result.txt", "2/result.txt");
        List<?> tasks = (List<?>) fetched.get("tasks");
        List<?> waited = (List<?>) engine.recordedOutputs("run.bulk.wait").get("tasks");
        assertThat(tasks).hasSize(3);
        for (int i = 0; i < 3; i++) {
            Map<?, ?> t = (Map<?, ?>) tasks.get(i);
            assertThat(t.get("dir")).isEqualTo("out/bulk/" + i);
            assertThat(t.get("result")).isEqualTo("out/bulk/" + i + "/result.txt");
            assertThat(t.get("task-id")).isEqualTo(((Map<?, ?>) waited.get(i)).get("task-id"));
        }
        assertThat(engine(project, yaml, env, logs).plan(List.of(), List.of()).hasChanges()).isFalse();
    }

    @Test
    void aFetchedResultIsVerifiedAgainstTheChainAndOneAlteredInStorageIsCaughtAndKeptAside(@TempDir Path project)
            throws Exception {
        List<String> logs = new ArrayList<>();
        Map<String, String> env = Map.of("PRIVATE_KEY", KEY);
        String yaml = """
                run:
                  check: { app: "%s", dataset: "%s", tag: [tee, tdx], args: "verify %d", fetch: { to: out/ } }
                """.formatted(app, dataset, System.nanoTime());
        Report report = engine(project, yaml, env, logs).apply(List.of(), List.of());
        assertThat(report.succeeded()).as(report + "\n" + String.join("\n", logs)).isTrue();
        Outputs fetched = engine(project, yaml, env, logs).recordedOutputs("run.check.fetch");
        String answer = Files.readString(project.resolve("out/result.txt"));
        String digest = org.web3j.utils.Numeric.toHexString(org.web3j.crypto.Hash.sha256(answer.getBytes(StandardCharsets.UTF_8)));
        assertThat(fetched.get("verified")).isEqualTo(true);
        assertThat(fetched.string("verification").orElseThrow()).startsWith("verified against the chain: digest " + digest + ", TEE enclave 0x")
                .doesNotContain("0x0000000000000000000000000000000000000000");
        assertThat(logs).anyMatch(l -> l.contains("verified against the chain: digest " + digest));

        // the storage server's object is altered after the task completed; the fetch runs again
        String location = engine(project, yaml, env, logs).recordedOutputs("run.check.wait").string("result-location").orElseThrow();
        Path blob = storage.path(location.substring(location.lastIndexOf('/') + 1)).orElseThrow();
        Files.write(blob, TestWorker.zip(List.of("computed.json", "result.txt"), List.of(
                "{\"deterministic-output-path\":\"/iexec_out/result.txt\"}".getBytes(StandardCharsets.UTF_8),
                "This email is safe, trust me".getBytes(StandardCharsets.UTF_8))));
        Files.writeString(project.resolve("out/result.txt"), "previous");
        Report tampered = engine(project, yaml, env, logs).apply(List.of(), List.of());
        assertThat(tampered.succeeded()).isFalse();
        StepOutcome failed = tampered.outcomes().stream().filter(o -> o.address().equals("run.check.fetch")).findFirst()
                .orElseThrow();
        String tamperedDigest = org.web3j.utils.Numeric.toHexString(org.web3j.crypto.Hash.sha256(
                "This email is safe, trust me".getBytes(StandardCharsets.UTF_8)));
        assertThat(failed.message()).contains("recorded result digest " + digest)
                .contains("result.txt of the download hashes to " + tamperedDigest)
                .contains("previous result in out is unchanged").contains("kept in out.rejected");
        assertThat(Files.readString(project.resolve("out/result.txt"))).isEqualTo("previous");
        assertThat(Files.readString(project.resolve("out.rejected/result.txt"))).isEqualTo("This email is safe, trust me");
    }

    @Test
    void aNonTeeTaskIsReportedAsDigestVerifiedNotATeeResult(@TempDir Path project) throws Exception {
        List<String> logs = new ArrayList<>();
        Map<String, String> env = Map.of("PRIVATE_KEY", KEY);
        String yaml = """
                run:
                  plain: { app: "%s", dataset: "%s", tag: [], args: "plain %d", fetch: { to: out/ } }
                """.formatted(app, dataset, System.nanoTime());
        Report report = engine(project, yaml, env, logs).apply(List.of(), List.of());
        assertThat(report.succeeded()).as(report + "\n" + String.join("\n", logs)).isTrue();
        Outputs fetched = engine(project, yaml, env, logs).recordedOutputs("run.plain.fetch");
        assertThat(fetched.get("verified")).isEqualTo(true);
        assertThat(fetched.string("verification").orElseThrow()).contains("digest verified").contains("not a TEE result");
    }

    /** A dataset of another owner with a published order at 1000 nRLC (as the 004 seed's dataset order). */
    String pricedDataset() throws Exception {
        var ownerKey = DevAccounts.credentials(DevAccounts.DEPLOYER);
        String owner = DevAccounts.address(DevAccounts.DEPLOYER);
        String priced = chain.hub().datasetRegistry().ensureDataset(new DatasetSpec(owner, "priced-" + System.nanoTime(),
                "http://127.0.0.1:1/priced.enc", "0x" + "ef".repeat(32)), chain.sender(DevAccounts.DEPLOYER), h -> { }).address();
        var order = new dev.teeflow.protocol.order.DatasetOrder(priced, BigInteger.valueOf(1000), BigInteger.valueOf(100),
                null, null, null, null, null, null);
        new MarketClient(market.url(), chain.chainId()).publish(OrderSigner.sign(order,
                Eip712Domain.poco(chain.chainId(), chain.manifest().hub()), ownerKey.getEcKeyPair()), ownerKey.getEcKeyPair());
        return priced;
    }

    BigInteger allRlcOf(String who) {
        var account = chain.hub().viewAccount(who);
        return chain.hub().rlc().balanceOf(who).add(account.stake()).add(account.locked());
    }

    @Test
    void thePlannedCostOfAPricedDealIsWhatTheHubBalancesShowMovedToTheNrlc(@TempDir Path project) throws Exception {
        List<String> logs = new ArrayList<>();
        Map<String, String> env = Map.of("PRIVATE_KEY", KEY);
        String yaml = """
                budget: { rlc: 0.00001 }
                run:
                  paid: { app: "%s", dataset: "%s", volume: 2, deposit: auto, args: "priced %d" }
                """.formatted(app, pricedDataset(), System.nanoTime());
        var plan = engine(project, yaml, env, logs).plan(List.of(), List.of());
        var deal = plan.steps().stream().filter(st -> st.address().equals("run.paid.deal")).findFirst().orElseThrow();
        assertThat(deal.detail()).contains("costs 2000 nRLC (0.000002 RLC): (app 0 + dataset 1000 + workerpool 0 nRLC) x volume 2")
                .contains("requester " + USER);

        BigInteger before = allRlcOf(USER);
        Report report = engine(project, yaml, env, logs).apply(List.of(), List.of());
        assertThat(report.succeeded()).as(report + "\n" + String.join("\n", logs)).isTrue();
        assertThat(before.subtract(allRlcOf(USER))).isEqualTo(BigInteger.valueOf(2000));
    }

    @Test
    void aBudgetBelowTheDealsCostStopsItWithNothingSent(@TempDir Path project) throws Exception {
        List<String> logs = new ArrayList<>();
        Map<String, String> env = Map.of("PRIVATE_KEY", KEY);
        String yaml = """
                budget: { rlc: 0.0000005 }
                run:
                  paid: { app: "%s", dataset: "%s", deposit: auto, args: "over budget %d" }
                """.formatted(app, pricedDataset(), System.nanoTime());
        long txs = transactionsOf(USER);
        int deals = TestWorker.deals(chain).size();
        Report report = engine(project, yaml, env, logs).apply(List.of(), List.of());
        assertThat(report.succeeded()).isFalse();
        StepOutcome failed = report.outcomes().stream().filter(o -> o.address().equals("run.paid.deal")).findFirst().orElseThrow();
        assertThat(failed.message()).contains("nothing was paid").contains("costs 1000 nRLC")
                .contains("over the budget of 500 nRLC (0.0000005 RLC");
        assertThat(transactionsOf(USER)).isEqualTo(txs);
        assertThat(TestWorker.deals(chain)).hasSize(deals);

        // raising the budget is no change to the deal's inputs: it now runs once, and a later budget change re-runs nothing
        String raised = yaml.replace("0.0000005", "1");
        assertThat(engine(project, raised, env, logs).apply(List.of(), List.of()).succeeded()).isTrue();
        assertThat(engine(project, raised.replace("rlc: 1", "rlc: 2"), env, logs).plan(List.of(), List.of()).hasChanges()).isFalse();
    }

    @Test
    void aResultKeyReplacedByAnotherPipelineIsSaidInThePlanAndTakenBackBeforeAnyDeal(@TempDir Path a, @TempDir Path b)
            throws Exception {
        List<String> logs = new ArrayList<>();
        Map<String, String> env = Map.of("PRIVATE_KEY", KEY, "MY_EMAIL", "alice@example.org");
        String yaml = runYaml("my_email").replace("--verbose", "shared-key " + System.nanoTime());
        assertThat(engine(a, yaml, env, logs).apply(List.of(), List.of()).succeeded()).isTrue();
        Outputs.FileOutput mine = (Outputs.FileOutput) engine(a, yaml, env, logs).recordedOutputs("result.encryption-key")
                .get("public-key");
        String myPem = Files.readString(a.resolve(mine.path()));

        // another pipeline with the same wallet puts its own key in the SMS
        assertThat(engine(b, "result: { encryption: true }\n", env, logs).apply(List.of(), List.of()).succeeded()).isTrue();

        var plan = engine(a, yaml, env, logs).plan(List.of(), List.of());
        var key = plan.steps().stream().filter(s -> s.address().equals("result.encryption-key")).findFirst().orElseThrow();
        assertThat(key.action()).isEqualTo(dev.teeflow.engine.plan.Action.RERUN);
        assertThat(key.reason()).contains("no longer this pipeline's").contains(b.toString()).contains("private-key: file:");
        // the deal was made with this pipeline's key, which comes back unchanged: nothing to pay
        assertThat(plan.steps()).filteredOn(s -> s.address().startsWith("run."))
                .allMatch(s -> s.action() == dev.teeflow.engine.plan.Action.UP_TO_DATE);

        int deals = TestWorker.deals(chain).size();
        Report taken = engine(a, yaml, env, logs).apply(List.of(), List.of());
        assertThat(taken.succeeded()).isTrue();
        assertThat(taken.outcomes()).filteredOn(o -> o.status() == StepOutcome.Status.DONE)
                .extracting(StepOutcome::address).containsExactly("result.encryption-key");
        assertThat(TestWorker.deals(chain)).hasSize(deals);
        assertThat(logs).anyMatch(l -> l.contains("took back the result encryption key from " + b));
        String inSms = new String(java.util.Base64.getDecoder().decode(
                sms.secrets().web2Secret(USER, DealStep.RESULT_KEY_SECRET).orElseThrow()), StandardCharsets.UTF_8);
        assertThat(inSms).isEqualTo(myPem);
    }

    @Test
    void noDealIsPaidWhenTheSmsHoldsAnotherPipelinesResultKey(@TempDir Path project) throws Exception {
        Map<String, String> env = Map.of("PRIVATE_KEY", KEY);
        assertThat(engine(project, "result: { encryption: true }\n", env, new ArrayList<>()).apply(List.of(), List.of())
                .succeeded()).isTrue();
        int deals = TestWorker.deals(chain).size();
        Map<String, Object> inputs = dealInputs("other key " + System.nanoTime());
        inputs.put("encrypt-result", true);
        inputs.put("result-key", "sha256:" + "00".repeat(32));
        assertThatThrownBy(() -> new DealStep().run(new FakeStepContext("run.check.deal", project, inputs)))
                .hasMessageContaining("nothing was paid").hasMessageContaining("is no longer this pipeline's")
                .hasMessageContaining(project.toString());
        assertThat(TestWorker.deals(chain)).hasSize(deals);
    }

    @Test
    void aMissingRequesterSecretIsCaughtBeforePaying(@TempDir Path project) throws Exception {
        List<String> logs = new ArrayList<>();
        int deals = TestWorker.deals(chain).size();
        long txs = transactionsOf(USER);
        Report report = engine(project, runYaml("not_pushed"), Map.of("PRIVATE_KEY", KEY, "MY_EMAIL", "alice@example.org"), logs)
                .apply(List.of(), List.of());
        assertThat(report.succeeded()).isFalse();
        StepOutcome failed = report.outcomes().stream().filter(o -> o.address().equals("run.check.deal")).findFirst().orElseThrow();
        assertThat(failed.status()).isEqualTo(StepOutcome.Status.FAILED);
        assertThat(failed.message()).contains("nothing was paid").contains("'not_pushed'").contains("IEXEC_REQUESTER_SECRET_1")
                .contains("secrets: { not_pushed:");
        assertThat(transactionsOf(USER)).isEqualTo(txs);
        assertThat(TestWorker.deals(chain)).hasSize(deals);
    }

    Map<String, Object> dealInputs(String args) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", chain.chainId());
        entry.put("rpc", chain.rpcUrl());
        entry.put("hub", chain.manifest().hub());
        entry.put("sms", sms.url().toString());
        entry.put("market", market.url().toString());
        entry.put("ipfs-gateway", storage.url().toString());
        entry.put("workerpool", chain.manifest().workerpool());
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("chain", Map.of("name", "lab", "entry", entry));
        in.put("wallet", Map.of("kind", "private-key", "private-key", Secret.ofText(SecretRef.env("PRIVATE_KEY"), KEY)));
        in.put("app", app);
        in.put("dataset", dataset);
        in.put("args", args);
        in.put("volume", 1L);
        return in;
    }

    @Test
    void aRunKilledAfterMatchOrdersResumesTheSameDeal(@TempDir Path project) throws Exception {
        int before = TestWorker.deals(chain).size();
        Map<String, Object> inputs = dealInputs("resume " + System.nanoTime());
        FakeStepContext firstCtx = new FakeStepContext("run.check.deal", project, inputs);
        DealStep step = new DealStep();
        // "kill -9" at the moment the deal id is about to be recorded: matchOrders is mined, nothing else is
        assertThatThrownBy(() -> step.run(new CrashingContext(firstCtx, i -> i.containsKey("deal-id"))))
                .hasMessageContaining("killed");
        Map<String, Object> intent = firstCtx.recordedIntent().orElseThrow();
        assertThat(intent).containsKeys("request-hash", "tx").doesNotContainKey("deal-id");
        assertThat(TestWorker.deals(chain)).hasSize(before + 1);

        FakeStepContext resumed = new FakeStepContext("run.check.deal", project, inputs).withIntent(intent);
        Outputs out = step.run(resumed);
        assertThat(TestWorker.deals(chain)).hasSize(before + 1);
        assertThat(TestWorker.deals(chain)).contains(out.string("deal-id").orElseThrow().substring(2));
        assertThat(resumed.lines()).anyMatch(l -> l.contains("resuming"));

        // and a run whose transaction never reached the chain finds the consumed request order on chain
        FakeStepContext fromOrderOnly = new FakeStepContext("run.check.deal", project, inputs)
                .withIntent(Map.of("request-hash", intent.get("request-hash"), "request", intent.get("request")));
        assertThat(step.run(fromOrderOnly).string("deal-id")).isEqualTo(out.string("deal-id"));
        assertThat(TestWorker.deals(chain)).hasSize(before + 1);
    }

    @Test
    void aFailedTaskFailsTheWaitWithTheWorkersReason(@TempDir Path project, @TempDir Path home) throws Exception {
        Outputs deal = new DealStep().run(new FakeStepContext("run.bad.deal", project, dealInputs("--fail")));
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/devnet/tasks/", ex -> {
            byte[] body = ("{\"taskId\":\"x\",\"status\":\"FAILING\",\"exitCode\":1,\"reason\":\"the app exited with code 1\","
                    + "\"logTail\":\"Traceback: no dataset\"}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        api.start();
        try {
            DevnetInfo info = new DevnetInfo("default", chain.chainId(), chain.rpcUrl(), chain.manifest().hub(), null, null,
                    null, null, sms.url().toString(), market.url().toString(), storage.url().toString(), null,
                    chain.manifest().workerpool(), "http://127.0.0.1:" + api.getAddress().getPort(), null, "tdx",
                    List.of(new DevnetInfo.Account(USER, KEY, "user")));
            info.write(DevnetInfo.file(home, "default"));
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("chain", Map.of("name", "devnet"));
            in.put("deal-id", deal.string("deal-id").orElseThrow());
            in.put("task-ids", List.of(deal.string("task-id").orElseThrow()));
            WaitStep wait = new WaitStep(new ChainResolver(home), Duration.ofMillis(100));
            FakeStepContext ctx = new FakeStepContext("run.bad.wait", project, in);
            assertThatThrownBy(() -> wait.run(ctx)).isInstanceOf(TeeflowException.class)
                    .hasMessageContaining("FAILED").hasMessageContaining("the app exited with code 1")
                    .hasMessageContaining("exit code 1").hasMessageContaining("Traceback: no dataset")
                    .hasMessageContaining("Fix the app or its inputs").hasMessageContaining("makes a new deal")
                    .hasMessageContaining("teeflow apply --replace run.bad.deal")
                    .hasMessageContaining("teeflow logs run.bad");
        } finally {
            api.stop(0);
        }
    }

    /** A context that dies (like kill -9) when asked to record a matching intent, before recording it. */
    record CrashingContext(FakeStepContext inner, java.util.function.Predicate<Map<String, Object>> crashOn)
            implements StepContext {
        @Override public String address() { return inner.address(); }
        @Override public Inputs inputs() { return inner.inputs(); }
        @Override public Path projectDir() { return inner.projectDir(); }
        @Override public Path workDir() { return inner.workDir(); }
        @Override public Optional<Outputs> previousOutputs() { return inner.previousOutputs(); }
        @Override public Optional<Map<String, Object>> intent() { return inner.intent(); }
        @Override public void recordIntent(Map<String, Object> intent) {
            if (crashOn.test(intent)) {
                throw new IllegalStateException("killed");
            }
            inner.recordIntent(intent);
        }
        @Override public SecretRef storeSecret(String name, byte[] value) { return inner.storeSecret(name, value); }
        @Override public Optional<Secret> storedSecret(String name) { return inner.storedSecret(name); }
        @Override public StepLog log() { return inner.log(); }
        @Override public Redactor redactor() { return inner.redactor(); }
        @Override public <T> T shared(String key, Class<T> type, Supplier<T> create) { return inner.shared(key, type, create); }
        @Override public boolean isCancelled() { return false; }
    }

}
