package dev.teeflow.actions.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.actions.chain.ChainConfig;
import dev.teeflow.actions.chain.ChainResolver;
import dev.teeflow.actions.deploy.ChainAccess;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.spi.InputFile;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.actions.chain.ChainFields;
import dev.teeflow.engine.spi.Field;
import dev.teeflow.engine.spi.FieldKind;
import dev.teeflow.engine.spi.StepOutput;
import dev.teeflow.engine.spi.StepSchema;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code run.fetch}: downloads a task's result from the target's IPFS gateway, decrypts it when it was
 * encrypted for the requester (with the private key of {@code result.encryption-key}), and unpacks it
 * into {@code to} (replacing what an earlier fetch put there). Pure: the same location gives the same
 * files.
 *
 * <p>Outputs: {@code dir}, {@code files} (relative paths), {@code result} (the deterministic output file
 * named by computed.json, else result.txt), {@code result-text} (its content when it is small UTF-8
 * text; the CLI prints it at the end of apply).
 *
 * <p>With input {@code tasks} (the wait step's, for {@code volume} > 1) instead of {@code location}, every
 * task's result goes to {@code to/<task index>/}; {@code files} are then {@code <index>/<path>},
 * {@code result} is task 0's, {@code result-text} has one "task i: text" line per task, and {@code tasks}
 * lists each task's index, task-id, dir, result and result-text.
 */
public final class FetchStep implements StepType {
    public static final String ID = "run.fetch";
    static final long MAX_DOWNLOAD = 1_100_000_000L;
    static final int MAX_TEXT = 4096;
    /** Marks a folder teeflow unpacked a result into, so that it may replace it next time. */
    static final String MARKER = ".teeflow-result";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Made on first download: an HttpClient sets up TLS, too slow for commands that only plan. */
    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** Given by a test; else each run's from the environment the engine gives the step. */
    private final ChainResolver chains;

    public FetchStep() {
        this(null);
    }

    FetchStep(ChainResolver chains) {
        this.chains = chains;
    }

    private ChainResolver chains(StepContext ctx) {
        return chains != null ? chains : ChainResolver.of(ctx);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Effect effect() {
        return Effect.PURE;
    }

    static final StepSchema SCHEMA = StepSchema.builder("Downloads each task's result, checks it against the chain's"
                    + " result digest, unzips it safely into a folder and decrypts it when it is encrypted.")
            .field(Field.path("to").required().doc("the folder the results go to"))
            .field(Field.of("tasks", FieldKind.ANY).doc("the tasks and where their results are (normally the wait step's output)"))
            .field(Field.text("location").doc("where one result is, without tasks"))
            // Only names which task's on-chain digest the result is checked against: it comes from the deal that
            // also gave location, so it changes only when that does; keyed, it would fetch every result again.
            .field(Field.list("task-ids", FieldKind.TEXT).unkeyed().doc("the tasks whose result digest is checked"))
            .field(Field.bool("encrypted").withDefault(false).doc("the results are encrypted with the wallet's result key"))
            .field(Field.secret("private-key").doc("the result key (normally the result key step's output)"))
            .field(ChainFields.CHAIN.required().doc("the chain whose result storage to read; a steps: block gives the"
                    + " target itself, as chain: { name: <the target, e.g. devnet:ci> }"))
            .output(StepOutput.text("dir", "the folder the results are in"))
            .output(new StepOutput("files", "list", false, "the files fetched", null))
            .output(StepOutput.file("result", "the first result file"))
            .output(StepOutput.text("result-text", "the first result's text, when short"))
            .output(new StepOutput("tasks", "list", false, "each task's folder and files", null))
            .output(new StepOutput("verified", "bool", false, "whether every result matched the chain's digest", null))
            .output(StepOutput.text("verification", "how each result was checked"))
            .build();

    @Override
    public StepSchema schema() {
        return SCHEMA;
    }

    @Override
    public List<InputFile> inputFiles(Inputs inputs) {
        return ChainResolver.inputFiles(inputs.child("chain"));
    }

    @Override
    public Outputs run(StepContext ctx) throws Exception {
        Inputs in = ctx.inputs();
        Path dir = in.path("to");
        checkOurs(dir);
        // Everything lands in a staging folder first: only a download that matches the chain replaces the
        // previous result; one that does not is kept aside for inspection.
        Path staging = dir.resolveSibling("." + dir.getFileName() + ".teeflow-incoming");
        deleteTree(staging);
        Files.createDirectories(staging);
        ChainAccess chain = ChainAccess.readOnly(ctx, chains(ctx));
        if (!in.has("tasks")) {
            String location = in.string("location");
            List<Object> ids = in.has("task-ids") ? in.list("task-ids") : List.of();
            String taskId = ids.isEmpty() ? null : String.valueOf(ids.get(0));
            Fetched one = unpack(ctx, open(ctx, location), staging);
            ChainVerification v = verify(ctx, chain, taskId, staging, dir);
            install(staging, dir);
            Files.writeString(dir.resolve(MARKER), location + "\n");
            ctx.log().info("unpacked " + one.files().size() + " file(s) into " + dir);
            Fetched placed = one.movedTo(staging, dir);
            return placed.outputs(ctx, dir).put("verified", v != null).put("verification", describe(v)).build();
        }
        // volume > 1: task i's result in <to>/<i>/; the step's own result and text are task 0's and all.
        List<Object> tasks = in.list("tasks");
        List<String> allFiles = new ArrayList<>();
        List<Map<String, Object>> perTask = new ArrayList<>();
        StringBuilder texts = new StringBuilder();
        Fetched first = null;
        boolean allVerified = true;
        for (int i = 0; i < tasks.size(); i++) {
            Map<?, ?> task = tasks.get(i) instanceof Map<?, ?> m ? m : Map.of();
            String taskId = String.valueOf(task.get("task-id"));
            if (!(task.get("result-location") instanceof String location) || location.isBlank()) {
                throw new TeeflowException(ctx.address() + ": task " + i + " (" + taskId + ") has no result location");
            }
            Path taskStaging = staging.resolve(String.valueOf(i));
            Path taskDir = dir.resolve(String.valueOf(i));
            Files.createDirectories(taskStaging);
            ctx.log().info("task " + i + " (" + taskId + ")");
            Fetched f = unpack(ctx, open(ctx, location), taskStaging).movedTo(staging, dir);
            ChainVerification v = verify(ctx, chain, taskId, taskStaging, dir);
            allVerified &= v != null;
            first = first == null ? f : first;
            for (String name : f.files()) {
                allFiles.add(i + "/" + name);
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("index", (long) i);
            row.put("task-id", taskId);
            row.put("dir", relative(ctx, taskDir));
            row.put("result", f.result() == null ? "" : relative(ctx, f.result()));
            row.put("result-text", f.text());
            row.put("verified", v != null);
            row.put("verification", describe(v));
            perTask.add(row);
            texts.append(texts.isEmpty() ? "" : "\n").append("task ").append(i).append(": ").append(f.text());
        }
        install(staging, dir);
        Files.writeString(dir.resolve(MARKER), tasks.size() + " tasks\n");
        ctx.log().info("unpacked " + allFiles.size() + " file(s) of " + tasks.size() + " tasks into " + dir);
        Outputs.Builder out = Outputs.builder().put("dir", relative(ctx, dir)).put("files", allFiles);
        if (first != null && first.result() != null) {
            out.file("result", first.result());
        } else {
            out.put("result", "");
        }
        return out.put("result-text", texts.toString()).put("tasks", perTask)
                .put("verified", allVerified)
                .put("verification", allVerified ? "every task's result verified against the chain" : "not every task's result was verified")
                .build();
    }

    /**
     * Recomputes the digest of the result unpacked in {@code unpacked} and checks it against the chain. A
     * mismatch moves the whole download aside ({@code <to>.rejected}) and fails, leaving {@code to} as it
     * was. Null when there is no task id to check against.
     */
    private static ChainVerification verify(StepContext ctx, ChainAccess chain, String taskId, Path unpacked, Path dir)
            throws IOException {
        if (taskId == null || taskId.isBlank() || taskId.equals("null")) {
            ctx.log().warn("the result was not verified against the chain: no task id");
            return null;
        }
        try {
            ResultDigest computed = ResultDigest.of(unpacked);
            ChainVerification v = ChainVerification.check(chain.hub(), taskId, computed);
            ctx.log().info(v.describe());
            return v;
        } catch (ResultDigest.Unverifiable | ChainVerification.Mismatch e) {
            Path staging = dir.resolveSibling("." + dir.getFileName() + ".teeflow-incoming");
            Path rejected = dir.resolveSibling(dir.getFileName() + ".rejected");
            deleteTree(rejected);
            Files.move(staging, rejected);
            Files.writeString(rejected.resolve(MARKER), "rejected: " + e.getMessage() + "\n");
            throw new TeeflowException(ctx.address() + ": " + e.getMessage() + ". The previous result in "
                    + relative(ctx, dir) + " is unchanged; the rejected download is kept in " + relative(ctx, rejected)
                    + " for inspection");
        }
    }

    private static String describe(ChainVerification v) {
        return v == null ? "not verified against the chain" : v.describe();
    }

    /** One task's result, unpacked into {@code dir}. */
    private record Fetched(List<String> files, Path result, String text) {
        /** The same result once its staging folder {@code from} is installed as {@code to}. */
        Fetched movedTo(Path from, Path to) {
            return new Fetched(files, result == null ? null : to.resolve(from.relativize(result)), text);
        }

        Outputs.Builder outputs(StepContext ctx, Path dir) {
            Outputs.Builder out = Outputs.builder().put("dir", relative(ctx, dir)).put("files", files);
            if (result != null) {
                out.file("result", result);
            } else {
                out.put("result", "");
            }
            return out.put("result-text", text);
        }
    }

    private static String relative(StepContext ctx, Path p) {
        return ctx.projectDir().relativize(p.toAbsolutePath()).toString();
    }

    /** Downloads a result and decrypts it when it was encrypted for the requester: the result zip. */
    private byte[] open(StepContext ctx, String location) throws Exception {
        Inputs in = ctx.inputs();
        ChainConfig chain = chains(ctx).chain(in.child("chain"), ctx.projectDir());
        URI url = resultUrl(chain, location);
        ctx.log().info("downloading the result from " + url);
        byte[] downloaded = download(ctx, url);
        Map<String, byte[]> entries = SafeZip.read(downloaded, ResultDecryptor.MAX_DATA,
                Set.of(ResultDecryptor.KEY_ENTRY, ResultDecryptor.DATA_ENTRY));
        byte[] zip = downloaded;
        if (ResultDecryptor.isEncrypted(entries)) {
            Secret key = in.optionalSecret("private-key").orElseThrow(() -> new TeeflowException(ctx.address()
                    + ": the result is encrypted, but this run has no result key: add 'result: { encryption: true }'"
                    + " and 'encrypt-result: true' to the run"));
            if (entries.get(ResultDecryptor.KEY_ENTRY).length > ResultDecryptor.MAX_KEY * 2) {
                throw new TeeflowException(ctx.address() + ": " + ResultDecryptor.KEY_ENTRY + " is too large");
            }
            zip = ResultDecryptor.decrypt(entries.get(ResultDecryptor.KEY_ENTRY), entries.get(ResultDecryptor.DATA_ENTRY),
                    key.text());
            ctx.log().info("decrypted the result with the requester's result key");
        } else if (in.bool("encrypted", false)) {
            throw new TeeflowException(ctx.address() + ": the run asked for an encrypted result, but " + url
                    + " holds a plain one (no " + ResultDecryptor.KEY_ENTRY + "): the worker did not encrypt it");
        }
        return zip;
    }

    private static Fetched unpack(StepContext ctx, byte[] zip, Path dir) throws IOException {
        List<String> files = SafeZip.unzip(zip, dir);
        Path result = deterministicOutput(dir, files);
        if (result != null) {
            ctx.log().info("result " + relative(ctx, result));
        }
        return new Fetched(files, result, result == null ? "" : smallText(result));
    }

    static URI resultUrl(ChainConfig chain, String location) {
        if (location.startsWith("http://") || location.startsWith("https://")) {
            return URI.create(location);
        }
        if (chain.ipfsGateway() == null) {
            throw new TeeflowException("chain '" + chain.name() + "' has no IPFS gateway to download " + location
                    + " from: add 'ipfs-gateway:' to it under chains:");
        }
        String base = chain.ipfsGateway().replaceAll("/+$", "");
        String path = location.startsWith("/") ? location : "/ipfs/" + location;
        return URI.create(base + path);
    }

    private static byte[] download(StepContext ctx, URI url) throws IOException, InterruptedException {
        HttpResponse<InputStream> res = Http.CLIENT.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(10)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = res.body()) {
            if (res.statusCode() != 200) {
                throw new TeeflowException(ctx.address() + ": " + url + " answered HTTP " + res.statusCode()
                        + ": the result is not (or no longer) there");
            }
            long total = res.headers().firstValueAsLong("content-length").orElse(-1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[256 * 1024];
            long n = 0;
            int r;
            while ((r = body.read(buf)) > 0) {
                n += r;
                if (n > MAX_DOWNLOAD) {
                    throw new TeeflowException(ctx.address() + ": the result at " + url + " is larger than "
                            + MAX_DOWNLOAD + " bytes; refusing it");
                }
                out.write(buf, 0, r);
                ctx.log().progress("downloading result", n, total, "bytes");
            }
            return out.toByteArray();
        }
    }

    /** Refuses a folder holding files an earlier fetch did not write. */
    private static void checkOurs(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            boolean empty;
            try (Stream<Path> s = Files.list(dir)) {
                empty = s.findAny().isEmpty();
            }
            if (!empty && !Files.exists(dir.resolve(MARKER))) {
                throw new TeeflowException("fetch.to: " + dir + " already holds files teeflow did not put there;"
                        + " choose another folder or empty it");
            }
        }
    }

    /** Replaces what an earlier fetch put in {@code dir} with the verified staging folder's content. */
    private static void install(Path staging, Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    deleteTree(p);
                }
            }
        }
        Files.createDirectories(dir);
        try (Stream<Path> s = Files.list(staging)) {
            for (Path p : s.toList()) {
                Files.move(p, dir.resolve(p.getFileName().toString()));
            }
        }
        Files.delete(staging);
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    /** computed.json's deterministic-output-path (a /iexec_out/... path), else result.txt, else null. */
    static Path deterministicOutput(Path dir, List<String> files) {
        Path computed = dir.resolve("computed.json");
        if (Files.isRegularFile(computed)) {
            try {
                JsonNode n = JSON.readTree(computed.toFile());
                String p = n == null ? "" : n.path("deterministic-output-path").asText("");
                String rel = p.replaceFirst("^/?iexec_out/?", "");
                Path candidate = dir.resolve(rel).normalize();
                if (!rel.isEmpty() && candidate.startsWith(dir) && Files.isRegularFile(candidate)) {
                    return candidate;
                }
            } catch (IOException e) {
                // fall back to result.txt
            }
        }
        return files.contains("result.txt") ? dir.resolve("result.txt") : null;
    }

    /** The file's content when it is at most 4 KiB of UTF-8 text, else "". */
    static String smallText(Path file) throws IOException {
        if (Files.size(file) > MAX_TEXT) {
            return "";
        }
        byte[] b = Files.readAllBytes(file);
        try {
            String s = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b)).toString();
            return s.indexOf('\0') >= 0 ? "" : s.strip();
        } catch (CharacterCodingException e) {
            return "";
        }
    }
}
