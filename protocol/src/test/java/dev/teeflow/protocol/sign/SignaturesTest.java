package dev.teeflow.protocol.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;

import dev.teeflow.protocol.sms.SmsChallenges;

class SignaturesTest {
    /** anvil's first dev account: a public test key. */
    static final ECKeyPair KEY = ECKeyPair.create(
            new BigInteger("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", 16));
    static final String ADDRESS = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

    @Test
    void personalSignMatchesEthersSignMessageOverTheSmsChallenge() {
        byte[] challenge = SmsChallenges.web3("0x0000000000000000000000000000000000000001",
                "ubA6H9emVPJT91/flYAmnKHC0phSV3cfuqsLxQfgow0=");
        // computed independently with ethers v6 Wallet.signMessage(getBytes(challenge))
        assertThat(Signatures.personalSign(challenge, KEY).toHex()).isEqualTo(
                "0xe25d00b825bfee6526209fc455e01ebab258533ffd148d55b5691db8cd74d631"
                        + "553e97b0d583b3bc261dbba20b698f56889078480b573c63adf814ae66a894b31c");
    }

    @Test
    void personalSignRoundTripsAndVIs27Or28() {
        byte[] msg = new byte[32];
        msg[5] = 42;
        Signature sig = Signatures.personalSign(msg, KEY);
        assertThat(sig.v()).isIn(27, 28);
        assertThat(Signatures.addressOf(KEY)).isEqualTo(ADDRESS);
        assertThat(Signatures.recoverPersonal(msg, Signature.parse(sig.toHex()))).contains(ADDRESS);
        assertThat(Signatures.isPersonalSignedBy(msg, sig.toHex(), ADDRESS.toUpperCase().replace("0X", "0x"))).isTrue();
    }

    @Test
    void aSignatureOverAnotherMessageRecoversAnotherAddress() {
        Signature sig = Signatures.personalSign(new byte[] {1}, KEY);
        assertThat(Signatures.isPersonalSignedBy(new byte[] {2}, sig.toHex(), ADDRESS)).isFalse();
        assertThat(Signatures.isPersonalSignedBy(new byte[] {1}, "0x1234", ADDRESS)).isFalse();
    }

    @Test
    void digestSignatureRoundTrips() {
        byte[] digest = GatewayChallenge.hash(65535, "x");
        Signature sig = Signatures.signDigest(digest, KEY);
        assertThat(Signatures.recoverDigest(digest, sig)).contains(ADDRESS);
    }

    @Test
    void signatureParseAcceptsV0And1AndRejectsGarbage() {
        Signature sig = Signatures.personalSign(new byte[] {1}, KEY);
        byte[] raw = sig.toBytes();
        raw[64] = (byte) (sig.v() - 27);
        assertThat(Signature.parse(Hex.encode(raw))).isEqualTo(sig);
        assertThatThrownBy(() -> Signature.parse("0xzz")).isInstanceOf(IllegalArgumentException.class);
        raw[64] = 5;
        assertThatThrownBy(() -> Signature.parse(Hex.encode(raw))).hasMessageContaining("v must be 27 or 28");
    }

    @Test
    void gatewayChallengeHashMatchesEthersTypedDataEncoder() {
        assertThat(Hex.encode(GatewayChallenge.hash(65535, "Sign this message to log into iExec Gateway: abcdef")))
                .isEqualTo("0xafd84e75bcabc7924f9c15e80629d242e330825b8d56c0a30c84d3cf8932b464");
    }

    @Test
    void gatewayAuthorizationIsHashSignatureAddress() {
        String auth = GatewayChallenge.authorization(65535, "t", KEY);
        String[] parts = auth.split("_");
        assertThat(parts).hasSize(3);
        assertThat(parts[2]).isEqualTo(ADDRESS);
        assertThat(Signatures.recoverDigest(Hex.decode(parts[0]), Signature.parse(parts[1]))).contains(ADDRESS);
    }

    @Test
    void domainTypeLeavesOutVerifyingContractWhenAbsent() {
        assertThat(Eip712Domain.gateway(1).type().encodeType())
                .isEqualTo("EIP712Domain(string name,string version,uint256 chainId)");
        assertThat(Eip712Domain.poco(1, "0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f").type().encodeType())
                .isEqualTo("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    }
}
