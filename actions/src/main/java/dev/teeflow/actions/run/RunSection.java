package dev.teeflow.actions.run;

import dev.teeflow.actions.chain.Targets;
import dev.teeflow.actions.chain.Wallets;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.InputValues;
import dev.teeflow.engine.config.MapReader;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.SectionType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@code run:}: tasks to run on iExec, each a chain of three steps:
 *
 * <pre>
 * run:
 *   check:
 *     app: checker                 # a block under app: (its deploy address) or an address
 *     dataset: emails              # a block under dataset: or an address (optional)
 *     workerpool: 0x...            # optional; default: the target's workerpool
 *     secrets: { 1: my_email }     # IEXEC_REQUESTER_SECRET_1 = requester secret my_email
 *     args: [--verbose]            # or one string
 *     input-files: [https://...]
 *     encrypt-result: true         # needs result: { encryption: true }
 *     tag: [tee, tdx]              # default: tee + the chain's framework
 *     category: 0
 *     trust: 0
 *     volume: 1
 *     deposit: auto                # auto (default on a devnet) or never
 *     fetch: { to: out/ }
 *     always: false
 *     for-each: [ { dataset: a }, { dataset: b } ]   # or matrix: { dataset: [a, b] }
 * </pre>
 *
 * Emits {@code run.<n>.deal}, {@code run.<n>.wait} and {@code run.<n>.fetch}; with {@code for-each} or
 * {@code matrix}, one chain per entry named {@code run.<n>-<i>.*} (i from 0).
 */
public final class RunSection implements SectionType {
    public static final String KEY = "run";
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    static final Set<String> FIELDS = Set.of("app", "dataset", "workerpool", "secrets", "args", "input-files",
            "encrypt-result", "tag", "category", "trust", "volume", "deposit", "fetch", "always", "for-each", "matrix",
            "tee-framework", "wait");
    /** Fields an entry of for-each/matrix may override. */
    static final Set<String> VARYING = Set.of("app", "dataset", "workerpool", "secrets", "args", "input-files");

    public static String address(String run, String step) {
        return KEY + "." + run + "." + step;
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public void expand(ConfigNode section, ConfigNode root, Problems problems, Consumer<StepSpec> emit) {
        if (section.isNull()) {
            return;
        }
        if (!section.isMap()) {
            problems.error(section, "expected a map of run name to its settings, such as"
                    + " { check: { app: checker, dataset: emails } }, found " + section.describeKind());
            return;
        }
        for (var e : section.entries().entrySet()) {
            String name = e.getKey();
            ConfigNode block = e.getValue();
            if (!NAME.matcher(name).matches()) {
                problems.error(block, "run name '" + name + "' must be lowercase letters, digits, '_' and '-',"
                        + " starting with a letter or digit");
                continue;
            }
            if (!block.isMap()) {
                problems.error(block, "expected the run's settings as a map ({ app: ..., dataset: ... }), found "
                        + block.describeKind());
                continue;
            }
            List<Map<String, ConfigNode>> variants = variants(block, problems);
            for (int i = 0; i < variants.size(); i++) {
                String runName = variants.size() == 1 && block.get("for-each") == null && block.get("matrix") == null
                        ? name : name + "-" + i;
                expandOne(runName, block, variants.get(i), root, problems, emit);
            }
        }
    }

    /** The entries of for-each / matrix as field overrides; one empty override without them. */
    private static List<Map<String, ConfigNode>> variants(ConfigNode block, Problems problems) {
        List<Map<String, ConfigNode>> out = new ArrayList<>();
        ConfigNode forEach = block.get("for-each");
        ConfigNode matrix = block.get("matrix");
        if (forEach != null && matrix != null) {
            problems.error(matrix, "give either 'for-each' or 'matrix', not both");
            return List.of(Map.of());
        }
        if (forEach != null) {
            if (!forEach.isList() || forEach.items().isEmpty()) {
                problems.error(forEach, "expected a non-empty list of overrides, such as [ { dataset: a }, { dataset: b } ]");
                return List.of(Map.of());
            }
            for (ConfigNode item : forEach.items()) {
                if (!item.isMap()) {
                    problems.error(item, "expected a map of overrides, such as { dataset: a }, found " + item.describeKind());
                    continue;
                }
                Map<String, ConfigNode> o = new LinkedHashMap<>();
                item.entries().forEach((k, v) -> {
                    if (!VARYING.contains(k)) {
                        problems.error(v, "'" + k + "' cannot vary per entry; fields that can: " + String.join(", ", VARYING));
                    } else {
                        o.put(k, v);
                    }
                });
                out.add(o);
            }
            return out.isEmpty() ? List.of(Map.of()) : out;
        }
        if (matrix != null) {
            if (!matrix.isMap() || matrix.entries().isEmpty()) {
                problems.error(matrix, "expected a map of field to its values, such as { dataset: [a, b] }");
                return List.of(Map.of());
            }
            out.add(new LinkedHashMap<>());
            for (var axis : matrix.entries().entrySet()) {
                if (!VARYING.contains(axis.getKey())) {
                    problems.error(axis.getValue(), "'" + axis.getKey() + "' cannot vary; fields that can: "
                            + String.join(", ", VARYING));
                    continue;
                }
                if (!axis.getValue().isList() || axis.getValue().items().isEmpty()) {
                    problems.error(axis.getValue(), "expected a non-empty list of values for '" + axis.getKey() + "'");
                    continue;
                }
                List<Map<String, ConfigNode>> next = new ArrayList<>();
                for (Map<String, ConfigNode> partial : out) {
                    for (ConfigNode value : axis.getValue().items()) {
                        Map<String, ConfigNode> m = new LinkedHashMap<>(partial);
                        m.put(axis.getKey(), value);
                        next.add(m);
                    }
                }
                out = next;
            }
            return out;
        }
        return List.of(Map.of());
    }

    private static void expandOne(String name, ConfigNode block, Map<String, ConfigNode> overrides, ConfigNode root,
                                  Problems problems, Consumer<StepSpec> emit) {
        MapReader r = new MapReader(block, problems);
        r.allow(FIELDS.toArray(String[]::new));
        Set<String> needs = new LinkedHashSet<>();
        Map<String, Object> deal = new LinkedHashMap<>();
        deal.put("chain", Targets.inputFor(root, problems));
        deal.put("wallet", Wallets.inputFor(root, problems));

        ConfigNode app = pick("app", block, overrides);
        if (app == null) {
            problems.error(block, "missing 'app': the name of a block under app: or an app address");
        } else {
            deal.put("app", asset(app, "app", root, problems));
        }
        ConfigNode dataset = pick("dataset", block, overrides);
        if (dataset != null && !dataset.isNull()) {
            deal.put("dataset", asset(dataset, "dataset", root, problems));
            datasetKeyStep(dataset, root).ifPresent(needs::add);
        }
        ConfigNode pool = pick("workerpool", block, overrides);
        if (pool != null && !pool.isNull()) {
            deal.put("workerpool", InputValues.read(pool, problems));
        }
        ConfigNode args = pick("args", block, overrides);
        if (args != null && !args.isNull()) {
            deal.put("args", InputValues.read(args, problems));
        }
        ConfigNode files = pick("input-files", block, overrides);
        if (files != null && !files.isNull()) {
            deal.put("input-files", InputValues.read(files, problems));
        }
        ConfigNode secrets = pick("secrets", block, overrides);
        if (secrets != null && !secrets.isNull()) {
            readSecrets(secrets, root, problems, deal);
        }
        boolean encrypt = r.bool("encrypt-result", false);
        deal.put("encrypt-result", encrypt);
        if (encrypt) {
            if (resultEncryptionDeclared(root)) {
                deal.put("result-key", new Ref("result.encryption-key", "public-key-fingerprint"));
            } else {
                problems.error(block.get("encrypt-result"), "encrypt-result needs the result encryption key: add"
                        + " 'result: { encryption: true }' to the pipeline (teeflow keeps the private key that decrypts)");
            }
        }
        r.node("tag").ifPresent(t -> deal.put("tag", t.isList() ? String.join(",", r.strings("tag")) : t.asText()));
        r.optionalString("tee-framework").ifPresent(f -> deal.put("tee-framework", f));
        if (app != null) {
            appFramework(app, root).ifPresent(framework -> matchTagToApp(framework, app, block, deal, problems));
        }
        BudgetSection.nrlc(root, new Problems()).ifPresent(b -> deal.put(DealStep.BUDGET, b.toString()));
        deal.put("category", r.number("category", 0));
        deal.put("trust", r.number("trust", 0));
        long volume = r.number("volume", 1);
        if (volume < 1) {
            problems.error(block.get("volume"), "volume must be 1 or more");
        }
        deal.put("volume", volume);
        String deposit = r.string("deposit", "");
        if (!deposit.isEmpty() && !deposit.equals("auto") && !deposit.equals("never")) {
            problems.error(block.get("deposit"), "deposit must be 'auto' (deposit the missing RLC from the wallet)"
                    + " or 'never'");
        }
        if (!deposit.isEmpty()) {
            deal.put("deposit", deposit);
        }
        boolean always = r.bool("always", false);
        String fetchTo = "out/" + name;
        boolean fetch = true;
        ConfigNode fetchNode = block.get("fetch");
        if (fetchNode != null) {
            if (fetchNode.isScalar() && Boolean.FALSE.equals(fetchNode.value())) {
                fetch = false;
            } else {
                MapReader f = new MapReader(fetchNode, problems);
                fetchTo = f.string("to", fetchTo);
                f.rejectUnknownKeys();
            }
        }
        long waitTimeout = 0;
        ConfigNode waitNode = block.get("wait");
        if (waitNode != null) {
            MapReader w = new MapReader(waitNode, problems);
            waitTimeout = w.number("timeout-seconds", 0);
            w.rejectUnknownKeys();
        }
        r.rejectUnknownKeys();

        String dealAddress = address(name, "deal");
        emit.accept(new StepSpec(dealAddress, DealStep.ID, deal, needs, always, block.location(), block));

        Map<String, Object> wait = new LinkedHashMap<>();
        wait.put("chain", deal.get("chain"));
        wait.put("deal-id", new Ref(dealAddress, "deal-id"));
        wait.put("task-ids", new Ref(dealAddress, "task-ids"));
        if (waitTimeout > 0) {
            wait.put("timeout-seconds", waitTimeout);
        }
        String waitAddress = address(name, "wait");
        emit.accept(new StepSpec(waitAddress, WaitStep.ID, wait, Set.of(), false, block.location(), block));

        if (fetch) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("chain", deal.get("chain"));
            if (volume > 1) {
                // every task's result, each in its own folder <to>/<task index>/
                f.put("tasks", new Ref(waitAddress, "tasks"));
            } else {
                f.put("location", new Ref(waitAddress, "result-location"));
                f.put("task-ids", new Ref(dealAddress, "task-ids"));
            }
            f.put("encrypted", encrypt);
            if (encrypt && resultEncryptionDeclared(root)) {
                f.put("private-key", new Ref("result.encryption-key", "private-key"));
            }
            f.put("to", fetchTo);
            emit.accept(new StepSpec(address(name, "fetch"), FetchStep.ID, f, Set.of(), false, block.location(), block));
        }
    }

    /**
     * The folders the runs of {@code root} fetch results into (project-relative, as written or the default
     * {@code out/<run>}), so that other sections keep teeflow's own outputs out of what they hash.
     */
    public static List<String> fetchFolders(ConfigNode root) {
        ConfigNode section = root == null ? null : root.get(KEY);
        if (section == null || !section.isMap()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (var e : section.entries().entrySet()) {
            ConfigNode block = e.getValue();
            if (!block.isMap()) {
                continue;
            }
            ConfigNode fetch = block.get("fetch");
            if (fetch != null && fetch.isMap() && fetch.get("to") != null && fetch.get("to").value() instanceof String to) {
                out.add(to);
                continue;
            }
            int variants = variants(block, new Problems()).size();
            boolean varies = block.get("for-each") != null || block.get("matrix") != null;
            for (int i = 0; i < variants; i++) {
                out.add("out/" + e.getKey() + (varies ? "-" + i : ""));
            }
        }
        return out;
    }

    /** The TEE framework a named app block is converted for, when written as a plain value. */
    private static java.util.Optional<String> appFramework(ConfigNode app, ConfigNode root) {
        if (!(app.value() instanceof String name) || root == null || root.get("app") == null
                || !root.get("app").isMap() || root.get("app").get(name.trim()) == null) {
            return java.util.Optional.empty();
        }
        ConfigNode block = root.get("app").get(name.trim());
        if (dev.teeflow.actions.app.PrebuiltApp.is(block)) {
            return java.util.Optional.of(dev.teeflow.actions.app.PrebuiltApp.framework(block));
        }
        ConfigNode tee = block.isMap() ? block.get("tee") : null;
        if (tee == null || !tee.isMap() || tee.get("framework") == null) {
            return java.util.Optional.of("tdx");
        }
        return tee.get("framework").value() instanceof String f && !f.contains("${{")
                ? java.util.Optional.of(f.trim().toLowerCase(java.util.Locale.ROOT)) : java.util.Optional.empty();
    }

    /**
     * A deal's tag must ask for workers of the app's framework: a SCONE app on a TDX worker (or a standard
     * app on a TEE one) fails or never starts. Without tag: (or tee-framework:), a SCONE app's run asks
     * for tee,scone (and the SCONE SMS), a standard app's for no tag; a written tag that contradicts the
     * app is refused.
     */
    private static void matchTagToApp(String framework, ConfigNode app, ConfigNode block, Map<String, Object> deal,
                                      Problems problems) {
        Object written = deal.get("tag");
        if (written == null) {
            Object asked = deal.get("tee-framework");
            if (asked != null && !framework.equals("none") && !asked.toString().equalsIgnoreCase(framework)) {
                problems.error(block.get("tee-framework"), "app " + app.asText() + " is converted for " + framework
                        + " (tee.framework), but the run asks for tee-framework " + asked + ": give the same framework");
            } else if (asked == null && framework.equals("scone")) {
                deal.put("tee-framework", "scone");
            } else if (asked == null && framework.equals("none")) {
                deal.put("tag", "");
            }
            return;
        }
        List<String> names = List.of(written.toString().toLowerCase(java.util.Locale.ROOT).split("\\s*,\\s*"));
        String wanted = framework.equals("none") ? "no tee tag" : "tee," + framework;
        boolean teeAsked = names.contains("tee") || names.contains("scone") || names.contains("tdx") || names.contains("gramine");
        boolean mismatch = framework.equals("none") ? teeAsked
                : names.stream().anyMatch(n -> List.of("scone", "tdx", "gramine").contains(n) && !n.equals(framework));
        if (mismatch) {
            problems.error(block.get("tag"), "app " + app.asText() + " is converted for " + framework + " (tee.framework),"
                    + " but the tag asks for '" + written + "': workers of another kind cannot run it; use " + wanted
                    + " (or leave tag: out and teeflow derives it from the app)");
        }
    }

    private static ConfigNode pick(String key, ConfigNode block, Map<String, ConfigNode> overrides) {
        return overrides.containsKey(key) ? overrides.get(key) : block.get(key);
    }

    /**
     * An asset as an input: an address stays as written, {@code ${{ ... }}} stays a reference, a name
     * becomes a reference to the block's deploy address.
     */
    private static Object asset(ConfigNode node, String kind, ConfigNode root, Problems problems) {
        if (!node.isScalar() || !(node.value() instanceof String s) || s.isBlank()) {
            problems.error(node, "expected the name of a block under " + kind + ": or an address (0x + 40 hex digits)");
            return null;
        }
        String v = s.trim();
        if (ADDRESS.matcher(v).matches() || v.contains("${{")) {
            return InputValues.read(node, problems);
        }
        ConfigNode blocks = root == null ? null : root.get(kind);
        if (blocks == null || !blocks.isMap() || blocks.get(v) == null) {
            Set<String> known = blocks != null && blocks.isMap() ? blocks.entries().keySet() : Set.of();
            problems.error(node, "'" + v + "' is neither an address nor a block under " + kind + ":"
                    + dev.teeflow.engine.config.Suggestions.didYouMean(v, known)
                    + (known.isEmpty() ? "" : "; known: " + String.join(", ", known)));
            return null;
        }
        return new Ref(kind + "." + v + ".deploy", "address");
    }

    /**
     * {@code secrets: {1: my_email}}: index to requester secret name. A name declared under the pipeline's
     * {@code secrets:} becomes a reference to its fingerprint, so a changed value re-runs the deal and
     * the push runs first; other names must already be in the SMS (checked before paying).
     */
    private static void readSecrets(ConfigNode secrets, ConfigNode root, Problems problems, Map<String, Object> deal) {
        if (!secrets.isMap()) {
            problems.error(secrets, "expected a map of index to requester secret name, such as { 1: my_email }");
            return;
        }
        Map<String, Object> names = new LinkedHashMap<>();
        Map<String, Object> fingerprints = new LinkedHashMap<>();
        ConfigNode declared = root == null ? null : root.get("secrets");
        for (var e : secrets.entries().entrySet()) {
            String index = e.getKey();
            if (!index.matches("[1-9][0-9]*")) {
                problems.error(e.getValue(), "secret index '" + index + "' must be a whole number from 1"
                        + " (the app reads IEXEC_REQUESTER_SECRET_<index>)");
                continue;
            }
            if (!e.getValue().isScalar() || !(e.getValue().value() instanceof String name)
                    || !name.matches("[A-Za-z0-9_-]{1,64}")) {
                problems.error(e.getValue(), "expected a requester secret name (1 to 64 of A-Z a-z 0-9 _ -)");
                continue;
            }
            if (declared != null && declared.isMap() && declared.get(name) != null) {
                // The push step says which name the SMS holds (a versioned secret's name follows its value).
                names.put(index, new Ref("requester.secret." + name, "name"));
                fingerprints.put(name, new Ref("requester.secret." + name, "fingerprint"));
            } else {
                names.put(index, name);
            }
        }
        deal.put("secrets", names);
        if (!fingerprints.isEmpty()) {
            deal.put("secret-fingerprints", fingerprints);
        }
    }

    /**
     * {@code dataset.<d>.push-secret} when the named dataset block deploys and pushes its key (the default
     * with deploy): a task cannot read the dataset before its key is in the SMS.
     */
    /**
     * A generic step ({@code steps:}) of type {@code sms.dataset-key} whose {@code dataset} is written as the
     * run's dataset (the same address or the same reference): the deal waits for it, or the worker finds no key.
     */
    private static java.util.Optional<String> genericDatasetKeyStep(String dataset, ConfigNode root) {
        ConfigNode steps = root == null ? null : root.get("steps");
        if (steps == null || !steps.isMap()) {
            return java.util.Optional.empty();
        }
        String wanted = dataset.replaceAll("\\s+", "");
        for (var e : steps.entries().entrySet()) {
            ConfigNode step = e.getValue();
            ConfigNode with = step.isMap() ? step.get("with") : null;
            if (step.isMap() && step.get("type") != null
                    && dev.teeflow.actions.secrets.DatasetKeyStep.ID.equals(step.get("type").value())
                    && with != null && with.isMap() && with.get("dataset") != null
                    && with.get("dataset").value() instanceof String d && d.replaceAll("\\s+", "").equalsIgnoreCase(wanted)) {
                return java.util.Optional.of(e.getKey());
            }
        }
        return java.util.Optional.empty();
    }

    private static java.util.Optional<String> datasetKeyStep(ConfigNode dataset, ConfigNode root) {
        if (!dataset.isScalar() || !(dataset.value() instanceof String name)) {
            return java.util.Optional.empty();
        }
        ConfigNode blocks = root == null ? null : root.get("dataset");
        ConfigNode block = blocks != null && blocks.isMap() ? blocks.get(name.trim()) : null;
        if (block == null || !block.isMap()) {
            return genericDatasetKeyStep(name.trim(), root);
        }
        ConfigNode deploy = block.get("deploy");
        ConfigNode push = block.get("push-secret");
        boolean deployed = deploy != null && !deploy.isNull() && !Boolean.FALSE.equals(deploy.value());
        boolean pushed = push == null || !Boolean.FALSE.equals(push.value());
        return deployed && pushed ? java.util.Optional.of("dataset." + name.trim() + ".push-secret") : java.util.Optional.empty();
    }

    private static boolean resultEncryptionDeclared(ConfigNode root) {
        ConfigNode result = root == null ? null : root.get("result");
        ConfigNode enc = result != null && result.isMap() ? result.get("encryption") : null;
        return enc != null && enc.isScalar() && Boolean.TRUE.equals(enc.value());
    }
}
