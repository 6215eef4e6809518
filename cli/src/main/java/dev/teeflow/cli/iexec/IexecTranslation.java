package dev.teeflow.cli.iexec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns an {@link IexecProject} into the equivalent {@code teeflow.yml}: the app as the image the CLI
 * deployed (a prebuilt app: teeflow builds nothing for it), the dataset from {@code datasets/original} with
 * the CLI's key referenced as {@code file:} (never copied), its deploy and key push, a run. Everything it
 * cannot carry over is named in {@link #notTranslated()}.
 */
public final class IexecTranslation {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final IexecProject project;
    private final StringBuilder yaml = new StringBuilder();
    private final List<String> notTranslated = new ArrayList<>();

    private IexecTranslation(IexecProject project) {
        this.project = project;
    }

    public static IexecTranslation of(IexecProject project, String pipelineName) {
        IexecTranslation t = new IexecTranslation(project);
        t.write(pipelineName);
        return t;
    }

    public String yaml() {
        return yaml.toString();
    }

    /** What could not be carried over, each with why and what to do. */
    public List<String> notTranslated() {
        return List.copyOf(notTranslated);
    }

    private void write(String pipelineName) {
        String chain = project.defaultChain();
        String target = builtIn(chain).orElse(chain);
        String chainId = project.chainId(chain).orElse(null);
        line("apiVersion: teeflow/v1");
        line("kind: Pipeline");
        line("name: " + q(pipelineName));
        line("description: translated from an iExec CLI project by 'teeflow init --from-iexec'; 'teeflow import' adopts"
                + " what the iExec CLI already deployed, so the first apply deploys and pushes nothing again");
        line("");
        line("# chain.json's default chain (teeflow reads the project's chain.json too)");
        line("target: " + q(target));
        wallet();
        boolean customChain = builtIn(chain).isEmpty();
        if (customChain) {
            line("");
            line("params:");
            line("  # chain.json names no workerpool: give the one you ran on (iexec app run --workerpool) with -p workerpool=0x...");
            line("  workerpool: { description: the workerpool the run uses }");
        }
        String app = app(chainId);
        String dataset = dataset(chainId);
        boolean result = result();
        run(app, dataset, customChain, result);
        if (chainId == null) {
            notTranslated.add("chain.json: chain '" + chain + "' has no id, so deployed.json could not be read for it");
        }
        if (project.hasOrders()) {
            notTranslated.add("orders (iexec.json 'order', orders.json): a run signs the orders of the assets your wallet"
                    + " owns by itself; to offer your app or dataset to others, add an order: block to them (docs/deploy-and-orders.md)");
        }
        notTranslated.add("requester secrets (iexec requester push-secret): the iExec CLI keeps no list of them; add each"
                + " under secrets: (e.g. my_email: env:MY_EMAIL) and to the run's secrets:, then run 'teeflow import' again");
    }

    private void wallet() {
        Optional<String> kind = project.walletKind();
        if (kind.isPresent() && kind.get().equals("keystore")) {
            line("wallet: { keystore: wallet.json, password: env:WALLET_PASSWORD }   # the iExec CLI's wallet.json");
            return;
        }
        line("wallet: { private-key: env:WALLET_PRIVATE_KEY }");
        notTranslated.add(kind.isPresent()
                ? "wallet.json holds an unencrypted key: teeflow reads a wallet only from an encrypted keystore or a secret"
                        + " reference, so the file says wallet: { private-key: env:WALLET_PRIVATE_KEY }: export the key there"
                        + " (or make an encrypted keystore and use wallet: { keystore: ..., password: env:... })"
                : "the wallet: the project has no wallet.json (the iExec CLI keeps it in ~/.ethereum/keystore): the file"
                        + " says wallet: { private-key: env:WALLET_PRIVATE_KEY }; or point wallet: { keystore: <file>,"
                        + " password: env:WALLET_PASSWORD } at that keystore");
    }

    private String app(String chainId) {
        Optional<JsonNode> node = project.app();
        if (node.isEmpty()) {
            notTranslated.add("iexec.json has no app: the run needs one; add an app: block");
            return null;
        }
        JsonNode app = node.get();
        String name = text(app, "name");
        String multiaddr = text(app, "multiaddr");
        String checksum = text(app, "checksum");
        if (name.isEmpty() || multiaddr.isEmpty() || checksum.isEmpty()) {
            notTranslated.add("iexec.json's app lacks a name, multiaddr or checksum: push the image and fill them in"
                    + " (or build it with teeflow: docs/apps.md), then run init again");
            return null;
        }
        String block = blockName(name, "app");
        line("");
        line("app:");
        line("  " + block + ":");
        String at = chainId == null ? null : project.deployed("app", chainId).orElse(null);
        line("    # iexec.json's app: the image the iExec CLI deployed" + (at == null ? "" : " (deployed.json: " + at + ")")
                + ". teeflow builds nothing for it");
        line("    # and deploys exactly these values: the same values are the same app on chain, so nothing is sent.");
        line("    deploy:");
        line("      name: " + q(name));
        line("      multiaddr: " + q(multiaddr));
        line("      checksum: " + q(checksum));
        String mrenclave = mrenclave(app.get("mrenclave"));
        if (!mrenclave.isEmpty()) {
            line("      mrenclave: " + q(mrenclave));
        }
        project.dockerfile().ifPresent(d -> dockerfileHint(multiaddr, mrenclave));
        return block;
    }

    private void dockerfileHint(String multiaddr, String mrenclave) {
        int slash = multiaddr.lastIndexOf('/');
        int colon = multiaddr.lastIndexOf(':');
        String repository = colon > slash ? multiaddr.substring(0, colon) : multiaddr;
        String tag = colon > slash ? multiaddr.substring(colon + 1) : "1.0.0";
        String framework = mrenclave.toUpperCase(Locale.ROOT).contains("SCONE") ? "scone" : "tdx";
        line("    # The Dockerfile here is not used yet. To build, convert and push the app with teeflow from now on,");
        line("    # replace deploy's multiaddr, checksum and mrenclave with these (a new image is a new checksum, so the");
        line("    # next apply then deploys a new app):");
        line("    #   build: { context: ., dockerfile: Dockerfile }");
        line("    #   tee: { framework: " + framework + " }" + (framework.equals("scone")
                ? "   # and entrypoint, binary, heap, fs-dir as in your sconify.sh (docs/apps.md)" : ""));
        line("    #   push: { repository: " + repository + ", tag: " + tag + " }");
    }

    /** iExec SDK v9 takes mrenclave as text; v8 wrote an object, stored as its JSON text in the order written. */
    private static String mrenclave(JsonNode n) {
        if (n == null || n.isNull()) {
            return "";
        }
        if (n.isTextual()) {
            return n.asText();
        }
        try {
            return JSON.writeValueAsString(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "";
        }
    }

    private String dataset(String chainId) {
        Optional<JsonNode> node = project.dataset();
        if (node.isEmpty()) {
            return null;
        }
        JsonNode ds = node.get();
        String name = text(ds, "name");
        String checksum = text(ds, "checksum").toLowerCase(Locale.ROOT);
        String multiaddr = text(ds, "multiaddr");
        List<Path> originals = project.originals();
        Path original = null;
        for (Path p : originals) {
            Path enc = project.ciphertextOf(p);
            if (java.nio.file.Files.isRegularFile(enc) && IexecProject.checksum(enc).equals(checksum)) {
                original = p;
            }
        }
        String at = chainId == null ? null : project.deployed("dataset", chainId).orElse(null);
        if (original == null) {
            notTranslated.add("iexec.json's dataset '" + name + "': no file in datasets/original has a ciphertext in"
                    + " datasets/encrypted with the checksum " + checksum + ", so teeflow cannot take the dataset over;"
                    + (at != null ? " the run uses it by its address " + at + " (deployed.json)" : " add a dataset: block"));
            return at;
        }
        String file = original.getFileName().toString();
        Optional<Path> keyFile = project.keyFileOf(original);
        if (keyFile.isEmpty()) {
            notTranslated.add(".secrets/datasets/" + file + ".key is missing: without the key of the deployed ciphertext"
                    + " teeflow cannot take the dataset over (apply would encrypt with a new key and deploy a new dataset)");
        }
        if (multiaddr.isEmpty()) {
            notTranslated.add("iexec.json's dataset has no multiaddr: publish the ciphertext and fill it in, or add a"
                    + " publish: block (docs/datasets.md)");
        }
        String block = blockName(name, "dataset");
        line("");
        line("dataset:");
        line("  " + block + ":");
        line("    # iexec.json's dataset" + (at == null ? "" : " (deployed.json: " + at + ")")
                + ": encrypted by the iExec CLI, its ciphertext published by you at multiaddr");
        line("    file: " + q(project.dir().relativize(original).toString()));
        keyFile.ifPresent(k -> line("    key: " + q("file:" + project.dir().relativize(k))
                + "   # the iExec CLI's key, referenced (never copied); 'teeflow import' checks it decrypts the ciphertext"));
        line("    deploy:");
        line("      name: " + q(name));
        if (!multiaddr.isEmpty()) {
            line("      multiaddr: " + q(multiaddr));
        }
        line("    # and push-secret (on by default): the key in the SMS, as 'iexec dataset push-secret' did");
        return block;
    }

    private boolean result() {
        Optional<Path> key = project.resultKey();
        if (key.isEmpty()) {
            return false;
        }
        line("");
        line("result:");
        line("  encryption: true           # iexec result generate-encryption-keypair's key, referenced (never copied)");
        line("  private-key: " + q("file:" + project.dir().relativize(key.get())));
        return true;
    }

    private void run(String app, String dataset, boolean customChain, boolean encrypt) {
        if (app == null) {
            return;
        }
        line("");
        line("run:");
        line("  main:                      # iexec app run");
        line("    app: " + q(app));
        if (dataset != null) {
            line("    dataset: " + q(dataset));
        }
        if (customChain) {
            line("    workerpool: \"${{ params.workerpool }}\"");
        }
        project.buyConf().map(b -> b.path("params").path("iexec_args").asText(""))
                .filter(a -> !a.isBlank()).ifPresent(a -> line("    args: " + q(a) + "   # iexec.json buyConf.params.iexec_args"));
        if (encrypt) {
            line("    encrypt-result: true");
        }
        line("    fetch: { to: out/main }    # iexec task show --download, unzipped");
    }

    private static Optional<String> builtIn(String sdkName) {
        return Optional.ofNullable(switch (sdkName) {
            case "arbitrum-sepolia-testnet", "arbitrum-sepolia" -> "arbitrum-sepolia";
            case "arbitrum-mainnet", "arbitrum" -> "arbitrum";
            case "bellecour" -> "bellecour";
            default -> null;
        });
    }

    private static String blockName(String name, String fallback) {
        String n = name.replaceAll("[^A-Za-z0-9_-]+", "-").replaceAll("^[-_]+", "");
        return n.isEmpty() ? fallback : n;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText().strip();
    }

    /** A YAML double-quoted scalar (JSON's escaping is valid there). */
    static String q(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void line(String s) {
        yaml.append(s).append('\n');
    }
}
