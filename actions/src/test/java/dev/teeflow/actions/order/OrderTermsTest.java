package dev.teeflow.actions.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.protocol.order.AppOrder;
import dev.teeflow.protocol.order.DatasetOrder;
import dev.teeflow.protocol.order.OrderKind;
import dev.teeflow.protocol.order.PocoOrder;
import dev.teeflow.protocol.order.Tags;
import dev.teeflow.protocol.order.WorkerpoolOrder;
import dev.teeflow.protocol.sign.Eip712Domain;
import dev.teeflow.protocol.sign.Hex;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Orders built from step inputs, and the EIP-712 types they are signed with, checked against PoCo's constants. */
class OrderTermsTest {
    static final String APP = "0x1111111111111111111111111111111111111111";
    static final String POOL = "0x3333333333333333333333333333333333333333";

    /** IexecLibOrders_v5.sol (PoCo 6.1.0), the hashes the hub verifies signatures with. */
    @Test
    void typeHashesAreThoseOfPoco() {
        assertThat(Hex.encode(OrderKind.APP.type().typeHash()))
                .isEqualTo("0x60815a0eeec47dddf1615fe53b31d016c31444e01b9d796db365443a6445d008");
        assertThat(Hex.encode(OrderKind.DATASET.type().typeHash()))
                .isEqualTo("0x6cfc932a5a3d22c4359295b9f433edff52b60703fa47690a04a83e40933dd47c");
        assertThat(Hex.encode(OrderKind.WORKERPOOL.type().typeHash()))
                .isEqualTo("0xaa3429fb281b34691803133d3d978a75bb77c617ed6bc9aa162b9b30920022bb");
        assertThat(Hex.encode(OrderKind.REQUEST.type().typeHash()))
                .isEqualTo("0xf24e853034a3a450aba845a82914fbb564ad85accca6cf62be112a154520fae0");
        assertThat(Hex.encode(Eip712Domain.poco(1, APP).type().typeHash()))
                .isEqualTo("0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f");
    }

    private static Inputs inputs(Map<String, Object> values) {
        return Inputs.of("app.x.order", Path.of("."), values);
    }

    @Test
    void anAppOrderTakesItsTagFromTheTeeFrameworkUnlessOneIsGiven() {
        Map<String, Object> in = new LinkedHashMap<>(Map.of("kind", "app", "resource", APP, "framework", "scone"));
        PocoOrder scone = OrderInputs.build(inputs(in));
        assertThat(scone).isInstanceOf(AppOrder.class);
        assertThat(scone.tag()).isEqualTo(Tags.parse("tee,scone"));
        assertThat(scone.volume()).isEqualTo(BigInteger.valueOf(1_000_000));
        in.put("framework", "tdx");
        assertThat(OrderInputs.build(inputs(in)).tag()).isEqualTo(Tags.parse("tee,tdx"));
        in.put("framework", "none");
        assertThat(OrderInputs.build(inputs(in)).tag()).isEqualTo(PocoOrder.NULL_BYTES32);
        in.put("tag", List.of("tee", "gpu"));
        assertThat(Tags.names(OrderInputs.build(inputs(in)).tag())).containsExactly("tee", "gpu");
    }

    @Test
    void restrictionsPricesAndVolumesGoToTheirFields() {
        DatasetOrder ds = (DatasetOrder) OrderInputs.build(inputs(Map.of("kind", "dataset", "resource", APP,
                "price", 7L, "volume", "12", "app-restrict", APP, "workerpool-restrict", POOL)));
        assertThat(ds.datasetprice()).isEqualTo(BigInteger.valueOf(7));
        assertThat(ds.volume()).isEqualTo(BigInteger.valueOf(12));
        assertThat(ds.apprestrict()).isEqualTo(APP);
        assertThat(ds.workerpoolrestrict()).isEqualTo(POOL);
        assertThat(ds.requesterrestrict()).isEqualTo(PocoOrder.NULL_ADDRESS);

        WorkerpoolOrder wp = (WorkerpoolOrder) OrderInputs.build(inputs(Map.of("kind", "workerpool", "resource", POOL,
                "category", 2L, "trust", 1L)));
        assertThat(wp.volume()).isEqualTo(BigInteger.ONE);
        assertThat(wp.category()).isEqualTo(BigInteger.TWO);
    }

    @Test
    void badTermsAreOneClearError() {
        assertThatThrownBy(() -> OrderInputs.build(inputs(Map.of("kind", "app", "resource", APP, "price", "-1"))))
                .isInstanceOf(TeeflowException.class).hasMessageContaining("app.x.order").hasMessageContaining("'price'");
        assertThatThrownBy(() -> OrderInputs.build(inputs(Map.of("kind", "app", "resource", APP, "tag", "tee,sgx"))))
                .isInstanceOf(TeeflowException.class).hasMessageContaining("unknown tag 'sgx'");
        assertThatThrownBy(() -> OrderInputs.build(inputs(Map.of("kind", "app", "resource", "0x12"))))
                .isInstanceOf(TeeflowException.class).hasMessageContaining("apporder.app must be an address");
    }

    @Test
    void ordersWithTheSameTermsButAnotherSaltAreTheSameOffer() {
        PocoOrder a = OrderInputs.build(inputs(Map.of("kind", "app", "resource", APP))).withSalt("0x" + "01".repeat(32));
        PocoOrder b = OrderInputs.build(inputs(Map.of("kind", "app", "resource", APP))).withSalt("0x" + "02".repeat(32));
        PocoOrder c = OrderInputs.build(inputs(Map.of("kind", "app", "resource", APP, "volume", 2L)));
        assertThat(OrderInputs.sameTerms(a, b)).isTrue();
        assertThat(OrderInputs.sameTerms(a, c)).isFalse();
    }
}
