package dev.teeflow.protocol.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.teeflow.protocol.sign.Hex;

/** Check vectors from the protocol notes (shared/iexec-protocol.md section 2). */
class SmsChallengesTest {
    @Test
    void domainHash() {
        assertThat(Hex.encode(SmsChallenges.domain()))
                .isEqualTo("0x0a26923d45a019b77e856d0001681f98ab9707ec15b2b98048cc91eed00b6793");
    }

    @Test
    void web3ChallengeForDatasetKey() {
        assertThat(Hex.encode(SmsChallenges.web3("0x0000000000000000000000000000000000000001",
                "ubA6H9emVPJT91/flYAmnKHC0phSV3cfuqsLxQfgow0=")))
                .isEqualTo("0xa7b40e51475c99465a6083b04f1d1624a7c1bb1813dc54557f7fc6908d010182");
    }

    @Test
    void web2ChallengeForResultEncryptionKey() {
        assertThat(Hex.encode(SmsChallenges.web2("0x0000000000000000000000000000000000000002",
                "iexec-result-encryption-public-key", "abc")))
                .isEqualTo("0xf5ac1dba4c9fc09ecf7d10055e76e8c29576790b15e60df8acb80d92662e7911");
    }

    @Test
    void addressCaseDoesNotChangeTheChallenge() {
        assertThat(SmsChallenges.web3("0xABCDEFabcdef0000000000000000000000000001", "v"))
                .isEqualTo(SmsChallenges.web3("0xabcdefabcdef0000000000000000000000000001", "v"));
    }

    @Test
    void appDeveloperChallengeIsWeb2WithNameOne() {
        String app = "0x00000000000000000000000000000000000000aa";
        assertThat(SmsChallenges.appDeveloper(app, "s")).isEqualTo(SmsChallenges.web2(app, "1", "s"));
    }
}
