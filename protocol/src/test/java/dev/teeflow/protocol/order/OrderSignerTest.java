package dev.teeflow.protocol.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;

import dev.teeflow.protocol.sign.Eip712Domain;

/** Expected hashes were computed independently with ethers v6 TypedDataEncoder.hash / signTypedData. */
class OrderSignerTest {
    static final ECKeyPair KEY = ECKeyPair.create(
            new BigInteger("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", 16));
    static final String ME = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
    static final Eip712Domain DOMAIN = Eip712Domain.poco(65535, "0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f");
    static final String SALT = "0x" + "11".repeat(32);
    static final String TAG = Tags.parse("tee,scone");
    static final String APP = "0x1111111111111111111111111111111111111111";
    static final String DATASET = "0x2222222222222222222222222222222222222222";

    static AppOrder appOrder() {
        return new AppOrder(APP, BigInteger.valueOf(5), BigInteger.valueOf(1_000_000), TAG, null, null, null, SALT, null);
    }

    @Test
    void appOrderHashAndSignatureMatchEthers() {
        assertThat(OrderSigner.hash(appOrder(), DOMAIN))
                .isEqualTo("0x0b18e0b7087420f34f4f6084f7f7a52cfacaec43791c4e8a88ca68e712b39759");
        assertThat(OrderSigner.sign(appOrder(), DOMAIN, KEY).sign()).isEqualTo(
                "0x80a60324923a4d6fe77171d5e6bd364be23d4505e60eda37536df616ec38bacb"
                        + "17e63bb9a51bcdfa1d7e5191bb4e196384bff35985b0dca802cde371adeaf0981c");
    }

    @Test
    void datasetWorkerpoolAndRequestOrderHashesMatchEthers() {
        var ds = new DatasetOrder(DATASET, BigInteger.ZERO, BigInteger.ONE, TAG, APP, null, null, SALT, null);
        assertThat(OrderSigner.hash(ds, DOMAIN))
                .isEqualTo("0x479638a5bb4543233ae2f72bf3cf7a144391707b399dbd16d721abf3c5137034");
        var wp = new WorkerpoolOrder("0x3333333333333333333333333333333333333333", BigInteger.valueOf(7),
                BigInteger.valueOf(3), TAG, BigInteger.ZERO, BigInteger.ZERO, null, null, null, SALT, null);
        assertThat(OrderSigner.hash(wp, DOMAIN))
                .isEqualTo("0x1643ccfee4602c657eebee99b0e4830b9099770b9e7cabdd05ce28baaf8bcc36");
        var rq = new RequestOrder(APP, BigInteger.valueOf(5), DATASET, BigInteger.ZERO, null, BigInteger.valueOf(7),
                ME, BigInteger.ONE, TAG, BigInteger.ZERO, BigInteger.ZERO, ME, null,
                "{\"iexec_args\":\"--verbose\",\"iexec_secrets\":{\"1\":\"my_email\"}}", SALT, null);
        assertThat(OrderSigner.hash(rq, DOMAIN))
                .isEqualTo("0x107ccbf49c488c3ec6b4bde81381fe5e03b8fe226c89ef8f98bc92ecae2eadd9");
    }

    @Test
    void typeStringsAreThePocoOnes() {
        assertThat(OrderKind.APP.type().encodeType()).isEqualTo("AppOrder(address app,uint256 appprice,uint256 volume,"
                + "bytes32 tag,address datasetrestrict,address workerpoolrestrict,address requesterrestrict,bytes32 salt)");
        assertThat(OrderKind.REQUEST.type().encodeType()).isEqualTo("RequestOrder(address app,uint256 appmaxprice,"
                + "address dataset,uint256 datasetmaxprice,address workerpool,uint256 workerpoolmaxprice,"
                + "address requester,uint256 volume,bytes32 tag,uint256 category,uint256 trust,address beneficiary,"
                + "address callback,string params,bytes32 salt)");
    }

    @Test
    void signingSaltsAnUnsaltedOrderAndTheSignerRecovers() {
        var unsalted = appOrder().withSalt(null);
        PocoOrder signed = OrderSigner.sign(unsalted, DOMAIN, KEY);
        assertThat(signed.salt()).isNotNull();
        assertThat(OrderSigner.recoverSigner(signed, DOMAIN)).contains(ME.toLowerCase());
        assertThat(OrderSigner.recoverSigner(signed, Eip712Domain.poco(1, APP))).isNotEqualTo(
                java.util.Optional.of(ME.toLowerCase()));
        assertThatThrownBy(() -> OrderSigner.hash(unsalted, DOMAIN)).hasMessageContaining("no salt");
    }

    @Test
    void jsonRoundTripKeepsTheHash() {
        PocoOrder signed = OrderSigner.sign(appOrder(), DOMAIN, KEY);
        var json = OrderJson.toJson(signed);
        assertThat(json.get("appprice").asText()).isEqualTo("5");
        PocoOrder back = OrderJson.fromJson(OrderKind.APP, OrderJson.toMarketJson(signed));
        assertThat(back).isEqualTo(signed);
        assertThat(OrderJson.toMarketJson(signed).get("appprice").isNumber()).isTrue();
    }

    @Test
    void badFieldsNameTheField() {
        assertThatThrownBy(() -> new AppOrder("0x12", null, null, null, null, null, null, null, null))
                .hasMessageContaining("apporder.app");
        assertThatThrownBy(() -> new AppOrder(APP, BigInteger.valueOf(-1), null, null, null, null, null, null, null))
                .hasMessageContaining("apporder.appprice");
    }
}
