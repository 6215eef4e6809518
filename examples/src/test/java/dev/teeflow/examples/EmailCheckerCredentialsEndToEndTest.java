package dev.teeflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeflow.devnet.git.GitHostServer;
import dev.teeflow.protocol.net.AuthRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.WalletUtils;
import org.web3j.utils.Numeric;

/**
 * The email-checker example with every kind of credential a real run has, each a canary: the wallet is a
 * V3 keystore opened with a password from {@code env:}, the app image goes to a registry that wants a user
 * and password (a second docker-registry with htpasswd), the dataset is pushed to a git host that wants a
 * token (the devnet's own git host class, started here with push authentication), the dataset key is given
 * by the user, and the requester secret is the email. After the run, no canary (nor its base64 or hex) is in
 * the output of any command, in any file of the project or its state directory (but the dataset key in its
 * 0600 secret file), in the devnet's logs and data, or in the registry's and git host's files.
 *
 * <p>Needs what {@link EmailCheckerEndToEndTest} needs, plus the {@code docker-registry} binary (Debian
 * package docker-registry, installed by {@code scripts/ensure-packages.sh}).
 */
class EmailCheckerCredentialsEndToEndTest {
    /** A registry user name is not a secret (the plan shows it, errors name it); its password is. */
    static final String REGISTRY_USER = "teeflow-ci";
    static final String GIT_USER = "x-access-token"; // what teeflow sends with a lone git token

    static final String WALLET_PASSWORD = canary("wallet");
    static final String REGISTRY_PASSWORD = canary("registry");
    static final String GIT_TOKEN = canary("git");
    static final String EMAIL = canary("email") + "@example.org";
    static final String DATASET_KEY = Base64.getEncoder().encodeToString(random(32));

    @TempDir
    static Path home;
    @TempDir
    static Path servers;
    @TempDir
    Path work;

    static ExampleRuns runs;
    static JsonNode devnet;
    static AuthRegistry registry;
    static GitHostServer gitHost;

    @BeforeAll
    static void startServers() throws Exception {
        ExampleRuns.checkDockerParts();
        registry = new AuthRegistry(Files.createDirectories(servers.resolve("registry")), REGISTRY_USER, REGISTRY_PASSWORD);
        gitHost = GitHostServer.start(servers.resolve("git"), 0, GIT_USER, GIT_TOKEN);
        runs = new ExampleRuns(home);
        devnet = runs.devnetUp();
    }

    @AfterAll
    static void stopServers() throws Exception {
        try {
            if (runs != null) {
                runs.devnetDown();
            }
        } finally {
            if (gitHost != null) {
                gitHost.close();
            }
            if (registry != null) {
                registry.close();
            }
        }
    }

    @Test
    void everyCredentialThroughAWholeRunStaysWhereItBelongs() throws Exception {
        Path project = credentialedCopy(work);
        Map<String, String> env = env();
        List<ExampleRuns.Run> printed = new ArrayList<>();

        printed.add(ok(runs.teeflow(project, env, "plan", "--no-color")));
        printed.add(ok(runs.teeflow(project, env, "plan", "--json")));
        ExampleRuns.Run apply = ok(runs.teeflow(project, env, "apply", "--no-color"));
        printed.add(apply);
        assertThat(apply.text()).contains("run.check: This email is safe!");
        printed.add(ok(runs.teeflow(project, env, "apply", "--no-color", "--json")));
        printed.add(ok(runs.teeflow(project, env, "plan", "--no-color")));
        printed.add(ok(runs.teeflow(project, env, "plan", "--json")));
        printed.add(ok(runs.teeflow(project, env, "graph")));
        printed.add(ok(runs.teeflow(project, env, "graph", "--format", "dot")));
        ExampleRuns.Run list = ok(runs.teeflow(project, env, "state", "list"));
        printed.add(list);
        List<String> addresses = list.text().lines().map(l -> l.split("\\s+")[0]).filter(a -> !a.isBlank()).toList();
        assertThat(addresses).contains("app.checker.push", "dataset.emails.encrypt", "dataset.emails.publish",
                "app.checker.deploy", "dataset.emails.push-secret", "run.check.deal");
        Map<String, String> shown = new LinkedHashMap<>();
        for (String address : addresses) {
            ExampleRuns.Run show = ok(runs.teeflow(project, env, "state", "show", address));
            printed.add(show);
            shown.put(address, show.text());
        }

        // Each credential was really used (the registry wants a password, the git host a token for pushes, and
        // the wallet is only in the keystore): the image is in that registry, the dataset in that git host.
        assertThat(shown.get("app.checker.push")).contains(registry.address + "/email-checker:");
        assertThat(shown.get("dataset.emails.publish")).contains(gitHost.url() + "/devnet/email-checker-data/raw/");
        assertThat(servers.resolve("git/devnet/email-checker-data.git")).isDirectory();

        for (Map.Entry<String, List<byte[]>> canary : canaries().entrySet()) {
            for (byte[] form : canary.getValue()) {
                String what = canary.getKey() + " as " + printable(form);
                for (ExampleRuns.Run run : printed) {
                    assertThat(contains(run.text().getBytes(StandardCharsets.UTF_8), form)).as(what + " in:\n" + run.text()).isFalse();
                }
                List<Path> inProject = filesContaining(project, form);
                if (canary.getKey().equals("dataset key")) {
                    // Only the step secret (and, with iexec-layout, the iExec CLI's key file) may hold it, owner-only.
                    assertThat(inProject).as(what).allSatisfy(f -> {
                        assertThat(project.relativize(f).startsWith(".teeflow/secrets")
                                || project.relativize(f).startsWith(".secrets")).as(f.toString()).isTrue();
                        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------");
                    });
                } else {
                    assertThat(inProject).as(what + " in the project and its state directory").isEmpty();
                }
                assertThat(filesContaining(home.resolve("devnet"), form)).as(what + " in the devnet's logs and data").isEmpty();
                assertThat(filesContaining(servers, form)).as(what + " in the registry's and git host's files").isEmpty();
                Path dockerConfig = Path.of(System.getProperty("user.home"), ".docker", "config.json");
                if (Files.isRegularFile(dockerConfig)) {
                    assertThat(contains(Files.readAllBytes(dockerConfig), form)).as(what + " in " + dockerConfig).isFalse();
                }
            }
        }
        // The scan can find what it looks for: the dataset key is in its 0600 secret file, and nowhere else.
        Path keyFile = project.resolve(".teeflow/secrets/dataset.emails.encrypt/key");
        assertThat(Files.readString(keyFile)).isEqualTo(DATASET_KEY);
        assertThat(filesContaining(project, DATASET_KEY.getBytes(StandardCharsets.UTF_8))).containsExactly(keyFile);
        // Every secret file of the state directory (dataset key, result key pair, HMAC key) is owner-only.
        try (Stream<Path> secrets = Stream.concat(Files.walk(project.resolve(".teeflow/secrets")).filter(Files::isRegularFile),
                Stream.of(project.resolve(".teeflow/project.key")))) {
            assertThat(secrets.toList()).hasSizeGreaterThanOrEqualTo(2).allSatisfy(f -> assertThat(
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------"));
        }
    }

    @Test
    void aWrongRegistryPasswordIsNamedWithTheRegistryAndWithoutThePassword() throws Exception {
        assertRefusedWithout("REGISTRY_PASSWORD", "app.checker.push",
                "registry " + registry.address + " refused the credentials of user '" + REGISTRY_USER + "'");
    }

    @Test
    void aWrongWalletPasswordOrGitTokenIsNamedWithoutTheSecret() throws Exception {
        assertRefusedWithout("WALLET_PASSWORD", "app.checker.deploy",
                "wallet: the password from env:WALLET_PASSWORD does not open keystore wallet.json");
        assertRefusedWithout("GIT_TOKEN", "dataset.emails.publish", gitHost.url() + "/devnet/email-checker-data.git refused the credentials");
    }

    /** With a wrong canary in {@code variable}, applying up to {@code target} fails with {@code message} and no trace of it. */
    private void assertRefusedWithout(String variable, String target, String message) throws Exception {
        String wrong = canary("wrong-" + variable.toLowerCase());
        Path project = credentialedCopy(work.resolve(variable));
        Map<String, String> env = new LinkedHashMap<>(env());
        env.put(variable, wrong);

        ExampleRuns.Run run = runs.teeflow(project, env, "apply", "--no-color", "--target", target);

        assertThat(run.code()).as(run.text()).isNotZero();
        assertThat(run.text()).contains(message);
        for (byte[] form : forms(wrong.getBytes(StandardCharsets.UTF_8))) {
            assertThat(contains(run.text().getBytes(StandardCharsets.UTF_8), form)).as(printable(form)).isFalse();
            assertThat(filesContaining(project, form)).as(printable(form) + " in the project").isEmpty();
            assertThat(filesContaining(home.resolve("devnet"), form)).as(printable(form) + " in the devnet").isEmpty();
            assertThat(filesContaining(servers, form)).as(printable(form) + " in the registry's and git host's files").isEmpty();
        }
    }

    /** The example, with a keystore wallet, registry credentials, a git token and a given dataset key. */
    private static Path credentialedCopy(Path parent) throws Exception {
        Path project = ExampleRuns.copyOfTheExample(parent);
        Files.delete(project.resolve("teeflow.groovy")); // one pipeline file: the YAML changed below
        String pipeline = Files.readString(project.resolve("teeflow.yml"));
        pipeline = replaceOnce(pipeline, "wallet: devnet ", "wallet: { keystore: wallet.json, password: env:WALLET_PASSWORD } #");
        pipeline = replaceOnce(pipeline, "tag: 1.0.0 }",
                "tag: 1.0.0, username: " + REGISTRY_USER + ", password: env:REGISTRY_PASSWORD }");
        pipeline = replaceOnce(pipeline, "    file: \"${{ emails-xlsx.xlsx }}\"\n",
                "    file: \"${{ emails-xlsx.xlsx }}\"\n    key: env:DATASET_KEY\n");
        pipeline = replaceOnce(pipeline, "        path: emails.xlsx.enc\n", "        path: emails.xlsx.enc\n        token: env:GIT_TOKEN\n");
        Files.writeString(project.resolve("teeflow.yml"), pipeline);

        // Devnet account 0 (funded), kept in a keystore under the canary password.
        String key = devnet.path("accounts").path(0).path("privateKey").asText();
        String name = WalletUtils.generateWalletFile(WALLET_PASSWORD, ECKeyPair.create(Numeric.toBigInt(key)),
                project.toFile(), false);
        Files.move(project.resolve(name), project.resolve("wallet.json"));
        return project;
    }

    private static Map<String, String> env() {
        return Map.of("TEEFLOW_GIT_HOST", gitHost.url().toString(), "TEEFLOW_REGISTRY", registry.address,
                "MY_EMAIL", EMAIL, "WALLET_PASSWORD", WALLET_PASSWORD, "REGISTRY_PASSWORD", REGISTRY_PASSWORD,
                "GIT_TOKEN", GIT_TOKEN, "DATASET_KEY", DATASET_KEY);
    }

    private static ExampleRuns.Run ok(ExampleRuns.Run run) {
        assertThat(run.code()).as(run.text()).isZero();
        return run;
    }

    private static String replaceOnce(String text, String from, String to) {
        assertThat(text).as("the example's teeflow.yml").containsOnlyOnce(from);
        return text.replace(from, to);
    }

    /** Each canary by name, with every form the Redactor masks (and the dataset key's raw bytes). */
    private static Map<String, List<byte[]>> canaries() {
        Map<String, List<byte[]>> all = new LinkedHashMap<>();
        all.put("wallet password", forms(WALLET_PASSWORD.getBytes(StandardCharsets.UTF_8)));
        all.put("registry password", forms(REGISTRY_PASSWORD.getBytes(StandardCharsets.UTF_8)));
        all.put("git token", forms(GIT_TOKEN.getBytes(StandardCharsets.UTF_8)));
        all.put("requester secret", forms(EMAIL.getBytes(StandardCharsets.UTF_8)));
        List<byte[]> key = new ArrayList<>(forms(DATASET_KEY.getBytes(StandardCharsets.UTF_8)));
        byte[] raw = Base64.getDecoder().decode(DATASET_KEY);
        key.add(raw);
        key.add(HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII));
        all.put("dataset key", key);
        return all;
    }

    private static List<byte[]> forms(byte[] value) {
        String hex = HexFormat.of().formatHex(value);
        return Stream.of(new String(value, StandardCharsets.UTF_8), Base64.getEncoder().encodeToString(value),
                        Base64.getEncoder().withoutPadding().encodeToString(value),
                        Base64.getUrlEncoder().withoutPadding().encodeToString(value), hex, hex.toUpperCase())
                .distinct().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static List<Path> filesContaining(Path dir, byte[] needle) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return contains(Files.readAllBytes(f), needle);
                } catch (IOException e) {
                    return false; // a file that went away (a log rotated, a socket): nothing to leak
                }
            }).toList();
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(new String(needle, StandardCharsets.ISO_8859_1));
    }

    private static String printable(byte[] form) {
        return form.length == 32 && !new String(form, StandardCharsets.ISO_8859_1).matches("\\p{Print}+")
                ? "raw bytes" : new String(form, StandardCharsets.UTF_8);
    }

    private static String canary(String what) {
        return "canary-" + what + "-" + HexFormat.of().formatHex(random(8));
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
