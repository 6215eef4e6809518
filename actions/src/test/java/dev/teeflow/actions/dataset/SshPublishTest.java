package dev.teeflow.actions.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.testing.FakeStepContext;
import dev.teeflow.protocol.dataset.DatasetChecksum;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dataset.publish with git: over SSH against a real SSH git server on 127.0.0.1 (Apache MINA sshd with
 * JGit's packs), with client keys made by OpenSSH's ssh-keygen (ed25519, RSA and ECDSA, one with a passphrase).
 */
class SshPublishTest {
    static final String ADDRESS = "dataset.emails.publish";
    static final String PASSPHRASE = "canary-Passphrase-91c2e7";
    static final String PATH = "enc/emails.xlsx.enc";

    static Path keys;
    static KeyFiles ed25519;
    static KeyFiles rsa;
    static KeyFiles ecdsa;
    static KeyFiles protectedKey;
    static KeyFiles stranger;

    @TempDir
    Path project;
    @TempDir
    Path hosted;
    SshGitTestServer server;
    Repository remoteRepo;
    Path ciphertext;
    String checksum;
    final PublishDatasetStep step = new PublishDatasetStep();

    /** A private key as ssh-keygen writes it, and its public half. */
    record KeyFiles(String privateText, PublicKey publicKey) {
        /** The base64 lines of the private key: none may ever be shown. */
        List<String> secretLines() {
            return privateText.lines().filter(l -> !l.startsWith("-----") && l.length() > 16).toList();
        }
    }

    @BeforeAll
    static void makeKeys() throws Exception {
        keys = Files.createTempDirectory("teeflow-ssh-keys");
        ed25519 = keygen("ed25519", "id_ed25519", "");
        rsa = keygen("rsa", "id_rsa", "");
        ecdsa = keygen("ecdsa", "id_ecdsa", "");
        protectedKey = keygen("ed25519", "id_protected", PASSPHRASE);
        stranger = keygen("ed25519", "id_stranger", "");
    }

    @AfterAll
    static void dropKeys() throws Exception {
        try (var files = Files.list(keys)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(keys);
    }

    static KeyFiles keygen(String type, String name, String passphrase) throws Exception {
        Path file = keys.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", "teeflow-test", "-f", file.toString()));
        if (type.equals("rsa")) {
            cmd.addAll(List.of("-b", "3072"));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("ssh-keygen: " + output).isZero();
        String pub = Files.readString(keys.resolve(name + ".pub")).strip();
        PublicKey key = AuthorizedKeyEntry.parseAuthorizedKeyEntry(pub).resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING);
        return new KeyFiles(Files.readString(file), key);
    }

    @BeforeEach
    void setUp() throws Exception {
        startServer(KeyUtils.generateKeyPair(KeyPairProviderTypes.ED25519, 256), ed25519.publicKey());
        ciphertext = writeCiphertext(1);
    }

    private void startServer(KeyPair hostKey, PublicKey authorized) throws Exception {
        server = new SshGitTestServer(hosted, hostKey, "git", authorized);
        remoteRepo = server.createRepo("alice/data");
    }

    @AfterEach
    void tearDown() throws Exception {
        remoteRepo.close();
        server.close();
    }

    @Test
    void publishesOverSshWithAnEd25519KeyAndASecondRunPushesNothing() throws Exception {
        FakeStepContext ctx = context(git(ed25519, null).knownHosts(server.knownHostsLine()).map);
        Outputs out = step.run(ctx);

        ObjectId head = remoteRepo.resolve("refs/heads/main");
        assertThat(head).isNotNull();
        assertThat(out.get("commit")).isEqualTo(head.name());
        assertThat(GitPublishTest.fileAt(remoteRepo, head, ContentAddressedPath.of(PATH, checksum))).isEqualTo(Files.readAllBytes(ciphertext));
        assertThat(out.get("url")).isEqualTo("https://git.example.org/alice/data/raw/main/" + ContentAddressedPath.of(PATH, checksum));

        FakeStepContext again = context(git(ed25519, null).knownHosts(server.knownHostsLine()).map);
        Outputs second = step.run(again);
        assertThat(second.get("commit")).isEqualTo(head.name());
        assertThat(remoteRepo.resolve("refs/heads/main")).isEqualTo(head);
        assertThat(again.lines()).anyMatch(l -> l.contains("nothing to push"));
        assertThat(step.verify(context(git(ed25519, null).knownHosts(server.knownHostsLine()).map), out).stillHolds()).isTrue();
    }

    @Test
    void publishesWithAnRsaKeyAndAPinnedHostKeyFingerprint() throws Exception {
        tearDown();
        startServer(KeyUtils.generateKeyPair(KeyPairProviderTypes.ED25519, 256), rsa.publicKey());
        Outputs out = step.run(context(git(rsa, null).fingerprint(server.fingerprint()).map));
        ObjectId head = remoteRepo.resolve("refs/heads/main");
        assertThat(out.get("commit")).isEqualTo(head.name());
        assertThat(GitPublishTest.fileAt(remoteRepo, head, ContentAddressedPath.of(PATH, checksum))).isEqualTo(Files.readAllBytes(ciphertext));
    }

    @Test
    void publishesWithAnEcdsaKey() throws Exception {
        tearDown();
        startServer(KeyUtils.generateKeyPair(KeyPairProviderTypes.ED25519, 256), ecdsa.publicKey());
        Outputs out = step.run(context(git(ecdsa, null).fingerprint(server.fingerprint()).map));
        assertThat(out.get("commit")).isEqualTo(remoteRepo.resolve("refs/heads/main").name());
    }

    @Test
    void knownHostsMayBeAFileAndTheKeyAFileSecret() throws Exception {
        Files.writeString(project.resolve("known_hosts"), "# pinned for the test\n" + server.knownHostsLine() + "\n");
        Map<String, Object> g = git(ed25519, null).knownHosts("known_hosts").map;
        // A file: secret loses its final newline when read; the key still loads.
        g.put("ssh-key", Secret.ofText(SecretRef.parse("file:deploy_key").orElseThrow(), ed25519.privateText().strip()));
        step.run(context(g));
        assertThat(remoteRepo.resolve("refs/heads/main")).isNotNull();
    }

    @Test
    void hashedKnownHostsLinesMatchAndRevokedKeysAreRefused() throws Exception {
        Path file = project.resolve("known_hosts");
        Files.writeString(file, server.knownHostsLine() + "\n");
        Process p = new ProcessBuilder("ssh-keygen", "-H", "-f", file.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).isTrue();
        String hashed = Files.readString(file);
        assertThat(hashed).startsWith("|1|").doesNotContain("127.0.0.1");

        Throwable revoked = catchThrowable(() -> step.run(context(git(ed25519, null)
                .knownHosts(hashed + "@revoked " + server.knownHostsLine() + "\n").map)));
        assertThat(revoked).hasMessageContaining("@revoked").hasMessageContaining(server.fingerprint());
        assertThat(remoteRepo.resolve("refs/heads/main")).isNull();

        step.run(context(git(ed25519, null).knownHosts(hashed).map));
        assertThat(remoteRepo.resolve("refs/heads/main")).isNotNull();
    }

    @Test
    void aPassphraseProtectedKeyWorksWithItsPassphrase() throws Exception {
        tearDown();
        startServer(KeyUtils.generateKeyPair(KeyPairProviderTypes.ED25519, 256), protectedKey.publicKey());
        step.run(context(git(protectedKey, PASSPHRASE).knownHosts(server.knownHostsLine()).map));
        assertThat(remoteRepo.resolve("refs/heads/main")).isNotNull();
    }

    @Test
    void aProtectedKeyWithoutOrWithAWrongPassphraseIsOneClearError() throws Exception {
        Throwable none = catchThrowable(() -> step.run(context(git(protectedKey, null).knownHosts(server.knownHostsLine()).map)));
        assertThat(none).isInstanceOf(TeeflowException.class).hasMessageContaining("env:DEPLOY_KEY")
                .hasMessageContaining("passphrase").hasMessageContaining("git.ssh-passphrase");

        Throwable wrong = catchThrowable(() -> step.run(context(git(protectedKey, "not-the-" + PASSPHRASE).knownHosts(server.knownHostsLine()).map)));
        assertThat(wrong).isInstanceOf(TeeflowException.class).hasMessageContaining("wrong passphrase")
                .hasMessageContaining("env:DEPLOY_PASSPHRASE");
        assertNoSecretIn(protectedKey, messages(wrong) + messages(none));
        assertThat(remoteRepo.resolve("refs/heads/main")).isNull();
    }

    @Test
    void aKeyTheServerDoesNotAcceptIsAClearAuthenticationErrorWithoutTheKey() throws Exception {
        FakeStepContext ctx = context(git(stranger, null).knownHosts(server.knownHostsLine()).map);
        Throwable t = catchThrowable(() -> step.run(ctx));
        assertThat(t).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("refused the credentials")
                .hasMessageContaining("env:DEPLOY_KEY")
                .hasMessageContaining(HostKeyCheck.fingerprint(stranger.publicKey()))
                .hasMessageContaining("deploy key");
        assertNoSecretIn(stranger, messages(t) + String.join("\n", ctx.lines()));
        assertThat(remoteRepo.resolve("refs/heads/main")).isNull();
    }

    @Test
    void anUnknownHostKeyIsRefusedWithItsFingerprintAndHowToAcceptIt() throws Exception {
        Throwable t = catchThrowable(() -> step.run(context(git(ed25519, null).map)));
        assertThat(t).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("[127.0.0.1]:" + server.port())
                .hasMessageContaining("not trusted")
                .hasMessageContaining(server.fingerprint())
                .hasMessageContaining("host-key-fingerprint: " + server.fingerprint())
                .hasMessageContaining("known-hosts");
        assertThat(remoteRepo.resolve("refs/heads/main")).isNull();

        // Accepting it exactly as the message says works.
        step.run(context(git(ed25519, null).fingerprint(server.fingerprint()).map));
        assertThat(remoteRepo.resolve("refs/heads/main")).isNotNull();
    }

    @Test
    void aChangedHostKeyIsRefused() throws Exception {
        String before = server.knownHostsLine();
        String oldFingerprint = server.fingerprint();
        tearDown();
        // Same address and port cannot be guaranteed, so the known line is rewritten for the new port.
        startServer(KeyUtils.generateKeyPair(KeyPairProviderTypes.ED25519, 256), ed25519.publicKey());
        String stale = "[127.0.0.1]:" + server.port() + before.substring(before.indexOf(' '));

        Throwable t = catchThrowable(() -> step.run(context(git(ed25519, null).knownHosts(stale).map)));
        assertThat(t).isInstanceOf(TeeflowException.class)
                .hasMessageContaining("does not match")
                .hasMessageContaining(server.fingerprint())
                .hasMessageContaining(oldFingerprint)
                .hasMessageContaining("refused");
        Throwable pinned = catchThrowable(() -> step.run(context(git(ed25519, null).fingerprint(oldFingerprint).map)));
        assertThat(pinned).isInstanceOf(TeeflowException.class).hasMessageContaining("does not match");
        assertThat(remoteRepo.resolve("refs/heads/main")).isNull();
    }

    @Test
    void theKeyAndPassphraseNeverShowInLogsMessagesOrConsoleOutput() throws Exception {
        tearDown();
        startServer(KeyUtils.generateKeyPair(KeyPairProviderTypes.ED25519, 256), protectedKey.publicKey());
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StringBuilder seen = new StringBuilder();
        try (PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            FakeStepContext ok = context(git(protectedKey, PASSPHRASE).knownHosts(server.knownHostsLine()).map);
            step.run(ok);
            seen.append(String.join("\n", ok.lines()));
            FakeStepContext unknownHost = context(git(protectedKey, PASSPHRASE).map);
            seen.append(messages(catchThrowable(() -> step.run(unknownHost)))).append(String.join("\n", unknownHost.lines()));
            FakeStepContext wrongKeyRemote = context(git(protectedKey, PASSPHRASE).knownHosts(server.knownHostsLine()).map);
            wrongKeyRemote.inputs(); // same inputs, missing repository:
            Map<String, Object> missing = git(protectedKey, PASSPHRASE).knownHosts(server.knownHostsLine()).map;
            missing.put("remote", server.remote("alice/missing"));
            seen.append(messages(catchThrowable(() -> step.run(context(missing)))));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        seen.append(console.toString(StandardCharsets.UTF_8));
        assertNoSecretIn(protectedKey, seen.toString());
        assertThat(Files.walk(project).filter(Files::isRegularFile).map(SshPublishTest::read))
                .allSatisfy(text -> assertNoSecretIn(protectedKey, text));
    }

    @Test
    void theUsersSshFolderIsReadOnlyWhenThePipelineNamesIt() throws Exception {
        Path home = Files.createDirectories(project.resolve("home/.ssh")).getParent();
        Files.writeString(home.resolve(".ssh/known_hosts"), server.knownHostsLine() + "\n");
        Files.writeString(home.resolve(".ssh/config"), "Host *\n  StrictHostKeyChecking no\n");
        String before = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            // Not named: ~/.ssh/known_hosts and ~/.ssh/config are not consulted, the host stays untrusted.
            assertThat(catchThrowable(() -> step.run(context(git(ed25519, null).map)))).hasMessageContaining("not trusted");
            // Named explicitly: trusted.
            step.run(context(git(ed25519, null).knownHosts("~/.ssh/known_hosts").map));
        } finally {
            System.setProperty("user.home", before);
        }
        assertThat(remoteRepo.resolve("refs/heads/main")).isNotNull();
    }

    @Test
    void settingsForTheWrongKindOfRemoteAreRefusedBeforeConnecting() {
        Map<String, Object> sshWithToken = git(ed25519, null).map;
        sshWithToken.put("token", Secret.ofText(SecretRef.env("GIT_TOKEN"), "tok-123456"));
        assertThat(catchThrowable(() -> step.run(context(sshWithToken)))).hasMessageContaining("takes git.ssh-key");

        Map<String, Object> httpsWithKey = git(ed25519, null).map;
        httpsWithKey.put("remote", "https://git.example.org/alice/data.git");
        assertThat(catchThrowable(() -> step.run(context(httpsWithKey)))).hasMessageContaining("need an SSH remote");

        Map<String, Object> noKey = git(ed25519, null).map;
        noKey.remove("ssh-key");
        assertThat(catchThrowable(() -> step.run(context(noKey)))).hasMessageContaining("needs git.ssh-key");

        Map<String, Object> badPin = git(ed25519, null).fingerprint("MD5:12:34").map;
        assertThat(catchThrowable(() -> step.run(context(badPin)))).hasMessageContaining("git.host-key-fingerprint 'MD5:12:34'");

        Map<String, Object> notAKey = git(ed25519, null).map;
        notAKey.put("ssh-key", Secret.ofText(SecretRef.env("DEPLOY_KEY"), PublicKeyEntry.toString(ed25519.publicKey())));
        assertThat(catchThrowable(() -> step.run(context(notAKey)))).hasMessageContaining("is not a private key");
    }

    // --- helpers

    /** A git: block for the test server, built up fluently. */
    final class GitBlock {
        final Map<String, Object> map = new LinkedHashMap<>();

        GitBlock knownHosts(String value) {
            map.put("known-hosts", value);
            return this;
        }

        GitBlock fingerprint(String value) {
            map.put("host-key-fingerprint", value);
            return this;
        }
    }

    private GitBlock git(KeyFiles key, String passphrase) {
        GitBlock g = new GitBlock();
        g.map.put("remote", server.remote("alice/data"));
        g.map.put("branch", "main");
        g.map.put("path", PATH);
        g.map.put("url", "https://git.example.org/{owner}/{repo}/raw/{branch}/{path}");
        g.map.put("ssh-key", Secret.ofText(SecretRef.env("DEPLOY_KEY"), key.privateText()));
        if (passphrase != null) {
            g.map.put("ssh-passphrase", Secret.ofText(SecretRef.env("DEPLOY_PASSPHRASE"), passphrase));
        }
        return g;
    }

    private FakeStepContext context(Map<String, Object> git) {
        Map<String, Object> inputs = new HashMap<>();
        inputs.put("ciphertext", ciphertext.toString());
        inputs.put("checksum", checksum);
        inputs.put("git", git);
        return new FakeStepContext(ADDRESS, project, inputs);
    }

    private Path writeCiphertext(int seed) throws Exception {
        byte[] b = new byte[32 * 1024 + 16];
        new Random(seed).nextBytes(b);
        Path p = Files.write(Files.createDirectories(project.resolve("state")).resolve("emails.xlsx.enc"), b);
        checksum = DatasetChecksum.of(p);
        return p;
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c).append('\n');
            for (Throwable s : c.getSuppressed()) {
                sb.append(s).append('\n');
            }
        }
        return sb.toString();
    }

    private static void assertNoSecretIn(KeyFiles key, String text) {
        assertThat(text).doesNotContain(PASSPHRASE);
        for (String line : key.secretLines()) {
            assertThat(text).doesNotContain(line);
        }
    }

    private static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** sshd's key type names used here. */
    static final class KeyPairProviderTypes {
        static final String ED25519 = org.apache.sshd.common.keyprovider.KeyPairProvider.SSH_ED25519;
    }
}
