package dev.teeflow.protocol.sign;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/** Vectors computed with ethers v6 (the iExec SDK's signer): TypedDataEncoder.hash and Wallet.signTypedData. */
class WorkerpoolChallengeTest {
    static final long CHAIN = 134134;
    static final String TEXT = "dGhlIGNoYWxsZW5nZQ==";
    static final Credentials KEY = Credentials.create("0x" + "11".repeat(32));

    @Test
    void theHashIsTheIexecCoreTypedDataHashEthersComputes() {
        assertThat(Hex.encode(WorkerpoolChallenge.hash(CHAIN, TEXT)))
                .isEqualTo("0x53db5352223bae3bc86d59a1a541f1d1304e4999ceb6417e1b54cbf2cd3776d2");
    }

    @Test
    void theAuthorizationIsHashSignatureAndAddressAsTheSdkSendsIt() {
        String header = WorkerpoolChallenge.authorization(CHAIN, TEXT, KEY.getEcKeyPair());
        assertThat(header).isEqualToIgnoringCase("0x53db5352223bae3bc86d59a1a541f1d1304e4999ceb6417e1b54cbf2cd3776d2_"
                + "0xa7ac2029657a8880c5aa6de8408e27b25e0089df2d5579e7f3fe3c4104270f1b693b9350c2bb39200a340f9d38d2ed533cc0137dcc2ac45443aaae8948cba7731c_"
                + "0x19E7E376E7C213B7E7e7e46cc70A5dD086DAff2A");
    }

    @Test
    void verifyAcceptsOnlyTheNamedSignerOfThisChallenge() {
        String header = WorkerpoolChallenge.authorization(CHAIN, TEXT, KEY.getEcKeyPair());
        assertThat(WorkerpoolChallenge.verify(CHAIN, TEXT, header)).hasValueSatisfying(
                a -> assertThat(a).isEqualToIgnoringCase(KEY.getAddress()));
        assertThat(WorkerpoolChallenge.verify(CHAIN, "another challenge", header)).isEmpty();
        assertThat(WorkerpoolChallenge.verify(CHAIN + 1, TEXT, header)).isEmpty();
        String otherAddress = header.substring(0, header.lastIndexOf('_') + 1) + "0x" + "22".repeat(20);
        assertThat(WorkerpoolChallenge.verify(CHAIN, TEXT, otherAddress)).isEmpty();
        assertThat(WorkerpoolChallenge.verify(CHAIN, TEXT, "nonsense")).isEmpty();
        assertThat(WorkerpoolChallenge.verify(CHAIN, TEXT, null)).isEmpty();
        assertThat(WorkerpoolChallenge.addressOf(header)).hasValueSatisfying(
                a -> assertThat(a).isEqualToIgnoringCase(KEY.getAddress()));
    }
}
