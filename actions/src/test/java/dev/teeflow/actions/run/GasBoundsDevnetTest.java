package dev.teeflow.actions.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeflow.actions.deploy.GasBounds;
import dev.teeflow.devnet.chain.DevAccounts;
import dev.teeflow.devnet.chain.DevChain;
import dev.teeflow.devnet.chain.DevChainConfig;
import dev.teeflow.protocol.chain.AppSpec;
import dev.teeflow.protocol.chain.DatasetSpec;
import dev.teeflow.protocol.chain.RlcToken;
import dev.teeflow.protocol.chain.TxSender;
import dev.teeflow.protocol.chain.WorkerpoolSpec;
import dev.teeflow.protocol.order.AppOrder;
import dev.teeflow.protocol.order.DatasetOrder;
import dev.teeflow.protocol.order.OrderSigner;
import dev.teeflow.protocol.order.WorkerpoolOrder;
import dev.teeflow.protocol.sign.Eip712Domain;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The gas bounds the plan shows for transactions it cannot estimate yet hold on the devnet (PoCo on
 * anvil): each operation, sent with long names, image references and a SCONE mrenclave, uses less gas
 * than its bound, and {@code eth_estimateGas} (what the plan shows when it can) is what it then uses.
 * Prints the measurements the bounds in {@link GasBounds} were set from.
 */
class GasBoundsDevnetTest {
    static final String USER = DevAccounts.address(DevAccounts.USER);

    @Test
    void everyMeasuredTransactionStaysUnderItsBoundAndMatchesItsEstimate() throws Exception {
        try (DevChain chain = DevChain.start(DevChainConfig.defaults().withPort(0))) {
            var hub = chain.hub();
            TxSender user = chain.sender(DevAccounts.USER);
            String mrenclave = "{\"framework\":\"SCONE\",\"version\":\"v5\",\"entrypoint\":\"python3 /app/a-rather-long-entrypoint-name.py --with --arguments\","
                    + "\"heapSize\":1073741824,\"fingerprint\":\"" + "ab".repeat(32) + "\"}";
            AppSpec app = AppSpec.docker(USER, "a-long-application-name-for-the-gas-measurement-0123456789",
                    "registry.example.org/some-organisation/some-confidential-app:1.0.0-debug-0123456789ab",
                    "0x" + "ab".repeat(32), mrenclave.getBytes(StandardCharsets.UTF_8));
            Map<GasBounds, BigInteger> used = new java.util.EnumMap<>(GasBounds.class);

            String createApp = hub.appRegistry().createAppCall(app);
            BigInteger estimate = user.estimate(hub.appRegistry().address(), BigInteger.ZERO, createApp);
            TransactionReceipt r = user.send(hub.appRegistry().address(), createApp, h -> { });
            used.put(GasBounds.CREATE_APP, r.getGasUsed());
            assertThat(r.getGasUsed()).isLessThanOrEqualTo(estimate);
            String appAddress = hub.appRegistry().predictApp(app);

            DatasetSpec dataset = new DatasetSpec(USER, "a-long-dataset-name-for-the-gas-measurement-0123456789",
                    "https://raw.githubusercontent.com/some-organisation/some-dataset-repository/main/emails.xlsx.enc",
                    "0x" + "cd".repeat(32));
            r = user.send(hub.datasetRegistry().address(), hub.datasetRegistry().createDatasetCall(dataset), h -> { });
            used.put(GasBounds.CREATE_DATASET, r.getGasUsed());
            String datasetAddress = hub.datasetRegistry().predictDataset(dataset);

            r = user.send(hub.workerpoolRegistry().address(), hub.workerpoolRegistry().createWorkerpoolCall(
                    new WorkerpoolSpec(USER, "a long workerpool description for the gas measurement 0123456789")), h -> { });
            used.put(GasBounds.CREATE_WORKERPOOL, r.getGasUsed());

            BigInteger price = BigInteger.valueOf(1000);
            r = user.send(hub.rlc().address(), RlcToken.approveAndCallData(hub.address(), price.multiply(BigInteger.TWO),
                    new byte[0]), h -> { });
            used.put(GasBounds.DEPOSIT, r.getGasUsed());

            Eip712Domain domain = Eip712Domain.poco(chain.chainId(), chain.manifest().hub());
            var userKey = DevAccounts.credentials(DevAccounts.USER).getEcKeyPair();
            var scheduler = DevAccounts.credentials(DevAccounts.SCHEDULER).getEcKeyPair();
            WorkerpoolOrder pool = (WorkerpoolOrder) OrderSigner.sign(new WorkerpoolOrder(chain.manifest().workerpool(),
                    BigInteger.ZERO, BigInteger.TWO, null, BigInteger.ZERO, BigInteger.ZERO, null, null, null, null, null),
                    domain, scheduler);
            AppOrder appOrder = (AppOrder) OrderSigner.sign(new AppOrder(appAddress, BigInteger.ZERO, BigInteger.TWO, null,
                    null, null, USER, null, null), domain, userKey);
            DatasetOrder datasetOrder = (DatasetOrder) OrderSigner.sign(new DatasetOrder(datasetAddress, price, BigInteger.TWO,
                    null, null, null, USER, null, null), domain, userKey);
            DealPlan plan = new DealPlan(appAddress, datasetAddress, chain.manifest().workerpool(), Tags0.NONE, 0, 0, 1,
                    Map.of(), false, "never", "{\"iexec_args\":\"--a-few --arguments for the gas measurement\"}", "tdx");
            var request = DealStep.signRequest(plan, appOrder, datasetOrder, pool, USER, domain, userKey);
            String match = MatchOrders.calldata(appOrder, datasetOrder, pool, request);
            estimate = user.estimate(chain.manifest().hub(), BigInteger.ZERO, match);
            r = user.send(chain.manifest().hub(), match, h -> { });
            used.put(GasBounds.MATCH_ORDERS, r.getGasUsed());
            assertThat(r.getGasUsed()).isLessThanOrEqualTo(estimate);

            // long params are stored in the deal: the bound grows with them
            String longParams = "{\"iexec_args\":\"" + "x".repeat(2000) + "\"}";
            DealPlan longPlan = new DealPlan(appAddress, datasetAddress, chain.manifest().workerpool(), Tags0.NONE, 0, 0, 1,
                    Map.of(), false, "never", longParams, "tdx");
            var longRequest = DealStep.signRequest(longPlan, appOrder, datasetOrder, pool, USER, domain, userKey);
            r = user.send(chain.manifest().hub(), MatchOrders.calldata(appOrder, datasetOrder, pool, longRequest), h -> { });
            var longBound = GasBounds.MATCH_ORDERS.bound(BigInteger.ONE, "test", longParams.length() - GasBounds.MATCH_PARAMS_COVERED);
            System.out.println("gas used by matchOrders with " + longParams.length() + " bytes of params: " + r.getGasUsed()
                    + " (bound " + longBound.gas() + ")");
            assertThat(r.getGasUsed()).isLessThan(longBound.gas()).isGreaterThan(used.get(GasBounds.MATCH_ORDERS));

            used.forEach((op, gas) -> System.out.println("gas used by " + op.operation() + ": " + gas + " (bound " + op.gas() + ")"));
            assertThat(used).hasSize(GasBounds.values().length);
            used.forEach((op, gas) -> assertThat(gas).as(op.operation()).isLessThan(op.gas()));
            assertThat(user.gasPrice()).isPositive();
        }
    }

    /** No tag: a deal any worker can run. */
    private static final class Tags0 {
        static final String NONE = "0x" + "0".repeat(64);
    }
}
