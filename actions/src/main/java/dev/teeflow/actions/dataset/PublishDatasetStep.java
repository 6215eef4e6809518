package dev.teeflow.actions.dataset;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Check;
import dev.teeflow.actions.chain.ChainResolver;
import dev.teeflow.engine.spi.InputFile;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.protocol.dataset.DatasetChecksum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code dataset.publish}: makes an encrypted dataset downloadable at a direct URL, through exactly
 * one of {@code git:}, {@code http:}, {@code file:} or {@code ipfs:}. Inputs {@code ciphertext}, {@code checksum}
 * and {@code filename} normally reference the encrypt step's outputs.
 */
public final class PublishDatasetStep implements StepType {
    public static final String ID = "dataset.publish";
    static final List<String> TARGETS = List.of("git", "http", "file", "ipfs");
    static final List<String> GIT_KEYS = List.of("remote", "branch", "path", "username", "password", "token",
            "ssh-key", "ssh-passphrase", "known-hosts", "host-key-fingerprint", "url", "verify", "author");
    static final List<String> HTTP_KEYS = List.of("url", "method", "headers", "download-url", "verify");
    static final List<String> FILE_KEYS = List.of("dir");
    static final List<String> IPFS_KEYS = List.of("url", "gateway", "token", "verify");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Effect effect() {
        return Effect.EXTERNAL;
    }

    @Override
    public Set<String> outputNames(StepSpec spec) {
        if (spec.inputs().get("git") != null) {
            return Set.of("url", "checksum", "commit", "blob", "path");
        }
        return spec.inputs().get("ipfs") != null ? Set.of("url", "checksum", "cid") : Set.of("url", "checksum");
    }

    @Override
    public void validate(StepSpec spec, Problems problems) {
        StepInputChecks checks = new StepInputChecks(spec, problems);
        checks.required("ciphertext");
        checks.required("checksum");
        checks.onlyKnown("ciphertext", "checksum", "filename", "git", "http", "file", "ipfs", "chain");
        List<String> given = TARGETS.stream().filter(t -> spec.inputs().get(t) != null).toList();
        if (given.size() != 1) {
            checks.error(given.isEmpty() ? "git" : given.get(1), "give exactly one of git:, http:, file: or ipfs:"
                    + (given.isEmpty() ? "" : " (found " + String.join(", ", given) + ")"));
            return;
        }
        String kind = given.get(0);
        if (!(spec.inputs().get(kind) instanceof Map<?, ?> block)) {
            checks.error(kind, "expected a map");
            return;
        }
        switch (kind) {
            case "git" -> {
                checks.onlyKnown(block, "git.", GIT_KEYS);
                requireIn(checks, block, "git", "remote", "path");
                if (block.get("password") != null && block.get("token") != null) {
                    checks.error("git.token", "give git.password or git.token, not both");
                }
                if (block.get("remote") instanceof String remote) {
                    SshSettings.problem(GitRemote.parse(remote), block).ifPresent(m -> checks.error("git.remote", m));
                }
                checks.secretIn(block, "git.", "ssh-key", "ssh-passphrase");
                if (block.get("url") == null && block.get("remote") instanceof String remote
                        && RawUrlTemplate.builtIn(GitRemote.parse(remote)).isEmpty()) {
                    checks.error("git.remote", RawUrlTemplate.missingPatternMessage(GitRemote.parse(remote)));
                }
            }
            case "http" -> {
                checks.onlyKnown(block, "http.", HTTP_KEYS);
                requireIn(checks, block, "http", "url");
            }
            case "ipfs" -> {
                checks.onlyKnown(block, "ipfs.", IPFS_KEYS);
                checks.secretIn(block, "ipfs.", "token");
            }
            default -> {
                checks.onlyKnown(block, "file.", FILE_KEYS);
                requireIn(checks, block, "file", "dir");
            }
        }
    }

    private static void requireIn(StepInputChecks checks, Map<?, ?> block, String kind, String... keys) {
        for (String k : keys) {
            if (block.get(k) == null) {
                checks.error(kind + "." + k, "missing required field '" + k + "'");
            }
        }
    }

    @Override
    public Outputs run(StepContext ctx) throws Exception {
        Job job = job(ctx, true);
        String actual = DatasetChecksum.of(job.job.ciphertext());
        if (!actual.equals(job.job.checksum())) {
            throw new TeeflowException(ctx.address() + ": the ciphertext " + job.job.ciphertext().getFileName()
                    + " no longer has checksum " + job.job.checksum() + "; re-run its encrypt step");
        }
        PublishTarget.Published p = job.target.publish(job.job);
        Outputs.Builder out = Outputs.builder().put("url", p.url()).put("checksum", job.job.checksum());
        if (p.commit() != null) {
            out.put("commit", p.commit()).put("blob", GitPublisher.blobId(job.job.ciphertext()).name()).put("path", p.path());
        }
        if (p.url().startsWith("/ipfs/")) {
            out.put("cid", p.url().substring("/ipfs/".length()));
        }
        return out.build();
    }

    @Override
    public List<InputFile> inputFiles(Inputs inputs) {
        // the devnet's (or a chain.json's) IPFS node and gateway come from a file that can change
        return inputs.has("chain") ? ChainResolver.inputFiles(inputs.child("chain")) : List.of();
    }

    @Override
    public Check verify(StepContext ctx, Outputs recorded) throws Exception {
        Job job = job(ctx, false);
        return job.target.verify(job.job, recorded);
    }

    private record Job(PublishTarget target, PublishTarget.Job job) {
    }

    private static Job job(StepContext ctx, boolean needFile) {
        Inputs in = ctx.inputs();
        List<String> given = TARGETS.stream().filter(in::has).toList();
        if (given.size() != 1) {
            throw new TeeflowException(ctx.address() + ": give exactly one of git:, http:, file: or ipfs:");
        }
        String kind = given.get(0);
        PublishTarget target = switch (kind) {
            case "git" -> new GitPublisher();
            case "http" -> new HttpPublisher();
            case "ipfs" -> new IpfsPublisher();
            default -> new FilePublisher();
        };
        String written = in.string("ciphertext");
        Path ciphertext = Path.of(written).isAbsolute() ? Path.of(written) : ctx.projectDir().resolve(written).normalize();
        if (needFile && !Files.isRegularFile(ciphertext)) {
            throw new TeeflowException(ctx.address() + ": ciphertext '" + written + "' does not exist; re-run its encrypt step");
        }
        String checksum = in.string("checksum");
        if (!DatasetChecksum.isWellFormed(checksum)) {
            throw new TeeflowException(ctx.address() + ": checksum '" + checksum + "' is not 0x + 64 lowercase hex digits");
        }
        String filename = in.string("filename", ciphertext.getFileName().toString());
        return new Job(target, new PublishTarget.Job(ctx, in.child(kind), ciphertext, checksum, filename));
    }
}
