package dev.teeflow.actions.dataset;

import dev.teeflow.actions.chain.Targets;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.InputValues;
import dev.teeflow.engine.config.MapReader;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.secret.SecretRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code publish: {git: {...}} | {http: {...}} | {file: {...}} | {ipfs: {...}}} of a dataset: the
 * {@code dataset.<name>.publish} step, fed by the encrypt step's outputs. Optional: a dataset
 * without {@code publish} is only encrypted.
 */
final class PublishContributor implements DatasetStepContributor {
    static final String STEP = "publish";

    @Override
    public void contribute(DatasetBlock dataset, MapReader fields, Problems problems, Consumer<StepSpec> emit) {
        Optional<ConfigNode> publish = fields.node("publish");
        if (publish.isEmpty()) {
            return;
        }
        int before = problems.all().size();
        MapReader p = new MapReader(publish.get(), problems);
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("ciphertext", dataset.output(EncryptContributor.STEP, "ciphertext"));
        inputs.put("checksum", dataset.output(EncryptContributor.STEP, "checksum"));
        inputs.put("filename", dataset.output(EncryptContributor.STEP, "filename"));
        List<String> given = PublishDatasetStep.TARGETS.stream().filter(p::has).toList();
        p.rejectUnknownKeys();
        if (publish.get().isMap() && given.size() != 1) {
            problems.error(publish.get(), given.isEmpty()
                    ? "give one of git:, http:, file: or ipfs: (where the ciphertext goes)"
                    : "give only one of git:, http:, file: or ipfs:, found " + String.join(", ", given));
        }
        if (given.size() == 1) {
            String kind = given.get(0);
            ConfigNode block = publish.get().get(kind);
            Map<String, Object> settings = switch (kind) {
                case "git" -> git(dataset, block, problems);
                case "http" -> http(block, problems);
                case "ipfs" -> ipfs(block, problems);
                default -> file(block, problems);
            };
            inputs.put(kind, settings);
            if (kind.equals("ipfs") && settings != null && !(settings.containsKey("url") && settings.containsKey("gateway"))) {
                inputs.put("chain", Targets.inputFor(dataset.root(), problems)); // its ipfsNode and ipfsGateway
            }
        }
        if (problems.all().size() == before) {
            emit.accept(new StepSpec(dataset.address(STEP), PublishDatasetStep.ID, inputs, Set.of(), false,
                    publish.get().location(), publish.get()));
        }
    }

    private static Map<String, Object> git(DatasetBlock dataset, ConfigNode node, Problems problems) {
        MapReader r = new MapReader(node, problems);
        Map<String, Object> out = new LinkedHashMap<>();
        String remote = r.requiredString("remote");
        out.put("remote", remote);
        out.put("branch", r.string("branch", "main"));
        Optional<ConfigNode> path = r.node("path");
        out.put("path", path.isPresent() ? InputValues.read(path.get(), problems)
                : dataset.output(EncryptContributor.STEP, "filename"));
        r.node("username").ifPresent(n -> out.put("username", secretOrValue(n, problems)));
        r.node("password").flatMap(n -> InputValues.secretRef(n, problems)).ifPresent(s -> out.put("password", s));
        r.node("token").flatMap(n -> InputValues.secretRef(n, problems)).ifPresent(s -> out.put("token", s));
        if (out.containsKey("password") && out.containsKey("token")) {
            problems.error(node.get("token"), "give git.password or git.token, not both");
        }
        r.node("ssh-key").flatMap(n -> InputValues.secretRef(n, problems)).ifPresent(s -> out.put("ssh-key", s));
        r.node("ssh-passphrase").flatMap(n -> InputValues.secretRef(n, problems)).ifPresent(s -> out.put("ssh-passphrase", s));
        r.node("known-hosts").ifPresent(n -> out.put("known-hosts", n.isList() ? InputValues.read(n, problems) : secretOrValue(n, problems)));
        r.node("host-key-fingerprint").ifPresent(n -> out.put("host-key-fingerprint", InputValues.read(n, problems)));
        if (remote != null) {
            SshSettings.problem(GitRemote.parse(remote), out).ifPresent(m -> problems.error(node.get("remote"), m));
        }
        Optional<String> url = r.optionalString("url");
        url.ifPresent(u -> out.put("url", u));
        if (url.isEmpty() && remote != null && RawUrlTemplate.builtIn(GitRemote.parse(remote)).isEmpty()) {
            problems.error(node.get("remote"), RawUrlTemplate.missingPatternMessage(GitRemote.parse(remote)));
        }
        if (r.has("verify")) {
            out.put("verify", r.bool("verify", false));
        }
        r.optionalString("author").ifPresent(a -> out.put("author", a));
        r.rejectUnknownKeys();
        return out;
    }

    private static Map<String, Object> http(ConfigNode node, Problems problems) {
        MapReader r = new MapReader(node, problems);
        Map<String, Object> out = new LinkedHashMap<>();
        r.node("url").ifPresentOrElse(n -> out.put("url", InputValues.read(n, problems)), () -> r.requiredString("url"));
        r.optionalString("method").ifPresent(m -> {
            if (!m.equalsIgnoreCase("PUT") && !m.equalsIgnoreCase("POST")) {
                problems.error(node.get("method"), "method must be PUT or POST, not '" + m + "'");
            }
            out.put("method", m.toUpperCase(java.util.Locale.ROOT));
        });
        r.node("download-url").ifPresent(n -> out.put("download-url", InputValues.read(n, problems)));
        r.node("headers").ifPresent(h -> {
            if (!h.isMap()) {
                problems.error(h, "expected a map of header names to values, found " + h.describeKind());
                return;
            }
            Map<String, Object> headers = new LinkedHashMap<>();
            h.entries().forEach((name, value) -> headers.put(name, secretOrValue(value, problems)));
            out.put("headers", headers);
        });
        if (r.has("verify")) {
            out.put("verify", r.bool("verify", false));
        }
        r.rejectUnknownKeys();
        return out;
    }

    private static Map<String, Object> ipfs(ConfigNode node, Problems problems) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (node.isScalar() && node.value() == null) {
            return out; // ipfs: (nothing): the target's node and gateway
        }
        MapReader r = new MapReader(node, problems);
        r.node("url").ifPresent(n -> out.put("url", InputValues.read(n, problems)));
        r.node("gateway").ifPresent(n -> out.put("gateway", InputValues.read(n, problems)));
        r.node("token").flatMap(n -> InputValues.secretRef(n, problems)).ifPresent(s -> out.put("token", s));
        if (r.has("verify")) {
            out.put("verify", r.bool("verify", true));
        }
        r.rejectUnknownKeys();
        return out;
    }

    private static Map<String, Object> file(ConfigNode node, Problems problems) {
        MapReader r = new MapReader(node, problems);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dir", r.requiredString("dir"));
        r.rejectUnknownKeys();
        return out;
    }

    /** {@code env:NAME}, {@code file:PATH} or {@code {secret: ...}} become a secret; anything else a plain value. */
    private static Object secretOrValue(ConfigNode n, Problems problems) {
        if (n.isMap()) {
            return InputValues.secretRef(n, problems).orElse(null);
        }
        if (n.value() instanceof String s) {
            Optional<SecretRef> ref = SecretRef.parse(s).filter(x -> !x.scheme().equals(SecretRef.STEP));
            if (ref.isPresent()) {
                return ref.get();
            }
        }
        return InputValues.read(n, problems);
    }
}
