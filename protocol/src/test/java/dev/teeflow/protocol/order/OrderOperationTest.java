package dev.teeflow.protocol.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

import dev.teeflow.protocol.sign.Eip712Domain;

/**
 * Expected values were computed independently with ethers v6 (the iexec CLI's node_modules):
 * {@code TypedDataEncoder.hash(domain, {DatasetOrderOperation, DatasetOrder}, {order, operation})} and
 * {@code Wallet.signTypedData}; the type hashes are the constants of PoCo 6.1's {@code IexecLibOrders_v5.sol}.
 */
class OrderOperationTest {
    static final Eip712Domain DOMAIN = Eip712Domain.poco(65535, "0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f");
    static final ECKeyPair OWNER = ECKeyPair.create(new BigInteger("42".repeat(32), 16));

    static DatasetOrder order() {
        return new DatasetOrder("0x1111111111111111111111111111111111111111", BigInteger.valueOf(5), BigInteger.valueOf(100),
                Tags.parse("tee,tdx"), "0x2222222222222222222222222222222222222222", null, null, "0x" + "ab".repeat(32), null);
    }

    @Test
    void operationTypesAreThoseOfPoco() {
        assertThat(OrderOperation.encodeType(OrderKind.DATASET)).isEqualTo("DatasetOrderOperation(DatasetOrder order,uint256 operation)"
                + "DatasetOrder(address dataset,uint256 datasetprice,uint256 volume,bytes32 tag,address apprestrict,"
                + "address workerpoolrestrict,address requesterrestrict,bytes32 salt)");
        assertThat(Numeric.toHexString(OrderOperation.typeHash(OrderKind.APP)))
                .isEqualTo("0x0638bb0702457e2b4b01be8a202579b8bf97e587fb4f2cc4d4aad01f21a06ee0");
        assertThat(Numeric.toHexString(OrderOperation.typeHash(OrderKind.DATASET)))
                .isEqualTo("0x075eb6f7578ff4292c241bd2484cd5c1d5e6ecc2ddd3317e1d8176b5a45865ec");
        assertThat(Numeric.toHexString(OrderOperation.typeHash(OrderKind.WORKERPOOL)))
                .isEqualTo("0x322d980b7d7a6a1f7c39ff0c5445da6ae1d8e0393ff0dd468c8be3e2c8644388");
        assertThat(Numeric.toHexString(OrderOperation.typeHash(OrderKind.REQUEST)))
                .isEqualTo("0x0ded7b52c2d77595a40d242eca751df172b18e686326dbbed3f4748828af77c7");
    }

    @Test
    void closeAndSignHashesAndTheOwnersSignatureMatchEthers() {
        assertThat(OrderSigner.hash(order(), DOMAIN)).isEqualTo("0x844592607054fa321e57351233d18520d43a6617b3f8c74094996cdd714866d1");
        assertThat(OrderOperation.CLOSE.hash(order(), DOMAIN))
                .isEqualTo("0x121bf077127628acebe2670c1e523eff2ea4dd734abbc9fdb12bec5581067cb0");
        assertThat(OrderOperation.SIGN.hash(order(), DOMAIN))
                .isEqualTo("0xaf9c65e6784a075560fbec4bef2f94d7efe5d94d02a578a027b073bb2857db37");
        assertThat(OrderOperation.CLOSE.sign(order(), DOMAIN, OWNER)).isEqualTo("0x33806bd9fcb210e36c627042d08835ef0d27e14bf166a62f"
                + "2b3658f57fbd07f6036b9b45e17232ab5d7bcbc5d08bead2b12d1e69f2a820c55f0709577fb28dd51b");
    }

    @Test
    void calldataCallsTheKindsManageFunctionWithTheOperationNumber() {
        String selector = Hash.sha3String(("manageDatasetOrder(((address,uint256,uint256,bytes32,address,"
                + "address,address,bytes32,bytes),uint8,bytes))")).substring(0, 10);
        String data = OrderOperation.CLOSE.calldata(order().withSign("0x" + "01".repeat(65)), "");
        assertThat(OrderOperation.signature(OrderKind.DATASET)).isEqualTo(
                "manageDatasetOrder(((address,uint256,uint256,bytes32,address,address,address,bytes32,bytes),uint8,bytes))");
        assertThat(data).startsWith(selector);
        // head: offset of the operation tuple; tuple: offset of the order, operation = 1 (CLOSE), offset of sign
        String words = data.substring(10);
        assertThat(words.substring(64 + 64, 64 + 128)).isEqualTo("0".repeat(63) + "1");
        assertThat(OrderOperation.SIGN.calldata(order().withSign("0x" + "01".repeat(65)), "").substring(10 + 128, 10 + 192))
                .isEqualTo("0".repeat(64));
    }
}
