package dev.teeflow.protocol.chain;

import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PocoHubTest {
    private static final String HUB = "0xB7f8BC63BbcaD18155201308C8f3540b07f84F5e";

    @Test
    void ordersMatchedTopicIsTheKeccakOfItsSignature() {
        assertThat(PocoHub.ORDERS_MATCHED_TOPIC).isEqualTo(Numeric.toHexString(Hash.sha3(
                "OrdersMatched(bytes32,bytes32,bytes32,bytes32,bytes32,uint256)".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void ordersMatchedIsDecodedOnlyFromTheHubsLogs() {
        String data = "0x" + "01".repeat(32) + "02".repeat(32) + "03".repeat(32) + "04".repeat(32) + "05".repeat(32)
                + "00".repeat(31) + "07";
        Log fromHub = log(HUB.toLowerCase(), PocoHub.ORDERS_MATCHED_TOPIC, data);
        Log elsewhere = log("0x0000000000000000000000000000000000000001", PocoHub.ORDERS_MATCHED_TOPIC, data);
        Log otherEvent = log(HUB, "0x" + "ee".repeat(32), data);
        TransactionReceipt receipt = new TransactionReceipt();
        receipt.setLogs(List.of(elsewhere, otherEvent, fromHub));

        List<OrdersMatched> events = new PocoHub(HUB, null).ordersMatched(receipt);

        assertThat(events).containsExactly(new OrdersMatched("0x" + "01".repeat(32), "0x" + "02".repeat(32),
                "0x" + "03".repeat(32), "0x" + "04".repeat(32), "0x" + "05".repeat(32), 7));
    }

    @Test
    void taskIdIsKeccakOfDealIdAndIndex() {
        String deal = "0x" + "aa".repeat(32);
        byte[] packed = Numeric.hexStringToByteArray(deal + "00".repeat(31) + "02");
        assertThat(PocoHub.taskId(deal, 2)).isEqualTo(Numeric.toHexString(Hash.sha3(packed)));
        assertThat(PocoHub.taskId(deal, 0)).isNotEqualTo(PocoHub.taskId(deal, 1));
    }

    @Test
    void malformedIdsAreRejectedWithTheirName() {
        assertThatThrownBy(() -> PocoHub.taskId("0x1234", 0)).hasMessageContaining("deal id")
                .hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> AppSpec.docker("0x00", "a", "img", "deadbeef", null))
                .hasMessageContaining("app checksum");
    }

    private static Log log(String address, String topic, String data) {
        Log log = new Log();
        log.setAddress(address);
        log.setTopics(List.of(topic));
        log.setData(data);
        return log;
    }
}
