package dev.teeflow.actions.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeflow.actions.testing.YamlTree;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.testing.FakeStepContext;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.protocol.devnet.DevnetInfo;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;

class WalletsTest {
    static final String PASSWORD = "correct horse battery staple";
    static final String KEY = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

    @TempDir
    Path project;
    @TempDir
    Path home;

    private String keystore(Path dir) throws Exception {
        // the light scrypt parameters keep the test fast; the format is the same V3 keystore
        return WalletUtils.generateWalletFile(PASSWORD, Credentials.create(KEY).getEcKeyPair(), dir.toFile(), false);
    }

    private static Secret secret(String name, String value) {
        return Secret.ofText(SecretRef.env(name), value);
    }

    private Map<String, Object> resolved(Map<String, Object> input, Map<String, Secret> secrets) {
        Map<String, Object> out = new LinkedHashMap<>(input);
        out.replaceAll((k, v) -> v instanceof SecretRef r ? secrets.get(r.name()) : v);
        return out;
    }

    @Test
    void aKeystoreOpensWithItsPasswordAndShowsOnlyTheAddress() throws Exception {
        String file = keystore(project);
        ConfigNode root = YamlTree.parse(project, "target: arbitrum-sepolia\nwallet: { keystore: " + file
                + ", password: env:WALLET_PASSWORD }\n");
        Problems problems = new Problems();
        Map<String, Object> input = Wallets.inputFor(root, problems);
        assertThat(problems.all()).isEmpty();
        assertThat(input).containsEntry("kind", "keystore").containsEntry("keystore", file)
                .containsEntry("password", SecretRef.env("WALLET_PASSWORD"));

        try (FakeStepContext ctx = new FakeStepContext("s", project, Map.of())) {
            Inputs in = Inputs.of("s", project, resolved(input, Map.of("WALLET_PASSWORD", secret("WALLET_PASSWORD", PASSWORD))));
            Wallet w = Wallets.load(in, ctx, new ChainResolver(home));
            assertThat(w.address()).isEqualTo(Keys.toChecksumAddress(Credentials.create(KEY).getAddress()));
            assertThat(w.toString()).contains(w.address()).doesNotContain(KEY);
            assertThat(ctx.redactor().redact("key=" + KEY + " 0x" + KEY)).doesNotContain(KEY);
            assertThat(Wallets.inputFiles(in)).extracting(f -> f.path().getFileName().toString()).containsExactly(file);
        }
    }

    @Test
    void aWrongPasswordIsOneClearErrorWithoutSecrets() throws Exception {
        String file = keystore(project);
        assertThatThrownBy(() -> Wallets.fromKeystore(project.resolve(file), file, secret("WALLET_PASSWORD", "hunter2-wrong")))
                .isInstanceOf(TeeflowException.class)
                .hasMessageContaining("the password from env:WALLET_PASSWORD does not open keystore " + file)
                .hasMessageContaining(Credentials.create(KEY).getAddress().substring(2))
                .hasMessageNotContaining("hunter2-wrong").hasMessageNotContaining(PASSWORD).hasMessageNotContaining(KEY);
    }

    @Test
    void aMissingOrBrokenKeystoreIsNamed() throws Exception {
        assertThatThrownBy(() -> Wallets.fromKeystore(project.resolve("nope.json"), "nope.json", secret("P", PASSWORD)))
                .hasMessageContaining("keystore file nope.json does not exist");
        java.nio.file.Files.writeString(project.resolve("bad.json"), "not json");
        assertThatThrownBy(() -> Wallets.fromKeystore(project.resolve("bad.json"), "bad.json", secret("P", PASSWORD)))
                .hasMessageContaining("bad.json is not a JSON keystore file");
    }

    @Test
    void aPrivateKeyFromASecretWorksAndABadOneIsNotEchoed() {
        Wallet w = Wallets.fromPrivateKey(secret("KEY", "0x" + KEY));
        assertThat(w.address()).isEqualTo(Keys.toChecksumAddress(Credentials.create(KEY).getAddress()));
        assertThatThrownBy(() -> Wallets.fromPrivateKey(secret("KEY", "0x1234-not-a-key")))
                .hasMessageContaining("private key from env:KEY is not 32 bytes").hasMessageNotContaining("1234-not-a-key");
    }

    @Test
    void aDevnetAccountIsAPublicTestKey() throws Exception {
        TargetsTest.devnetInfo().write(DevnetInfo.file(home, "default"));
        ConfigNode root = YamlTree.parse(project, "wallet: { devnet-account: 1 }\n");
        Problems problems = new Problems();
        Map<String, Object> input = Wallets.inputFor(root, problems);
        assertThat(problems.all()).isEmpty();
        assertThat(input).containsEntry("kind", "devnet").containsEntry("account", 1L);
        try (FakeStepContext ctx = new FakeStepContext("s", project, Map.of())) {
            Wallet w = Wallets.load(Inputs.of("s", project, input), ctx, new ChainResolver(home));
            assertThat(w.address()).isEqualTo("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
            assertThat(w.isPublicTestKey()).isTrue();
            assertThat(w.describe()).contains("PUBLIC TEST KEY");
        }
    }

    @Test
    void withoutAWalletTheDevnetUsesAccountZeroAndOtherTargetsComplainOnce() throws Exception {
        Problems devnet = new Problems();
        assertThat(Wallets.inputFor(YamlTree.parse(project, "name: x\n"), devnet)).containsEntry("kind", "devnet")
                .containsEntry("account", 0L);
        assertThat(devnet.all()).isEmpty();

        ConfigNode root = YamlTree.parse(project, "name: x\ntarget: arbitrum\n");
        Problems problems = new Problems();
        Wallets.inputFor(root, problems);
        Wallets.inputFor(root, problems); // a second section asking adds nothing
        assertThat(problems.all()).hasSize(1);
        assertThat(problems.all().get(0).message()).contains("target 'arbitrum' needs a wallet");
    }

    @Test
    void badWalletBlocksAreReportedWithTheirLines() throws Exception {
        List<String> cases = List.of(
                "target: arbitrum\nwallet: devnet\n",
                "target: arbitrum\nwallet: { keystore: w.json }\n",
                "target: arbitrum\nwallet: { keystore: w.json, password: hunter2 }\n",
                "target: arbitrum\nwallet: { private-key: env:K, keystore: w.json }\n",
                "target: arbitrum\nwallet: { privat-key: env:K }\n");
        List<String> expected = List.of("only works with a devnet target", "missing required field 'password'",
                "expected a secret reference", "give exactly one of", "did you mean 'private-key'?");
        for (int i = 0; i < cases.size(); i++) {
            Problems problems = new Problems();
            Wallets.inputFor(YamlTree.parse(project, cases.get(i)), problems);
            String want = expected.get(i);
            assertThat(problems.all()).as(cases.get(i)).anyMatch(d -> d.toString().contains(want)
                    && d.toString().contains("teeflow.yml:2:"));
        }
    }
}
