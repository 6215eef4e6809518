package dev.teeflow.actions.dataset;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Effect;
import dev.teeflow.engine.model.StepSpec;
import dev.teeflow.engine.spi.Check;
import dev.teeflow.engine.spi.Field;
import dev.teeflow.engine.spi.FieldKind;
import dev.teeflow.actions.chain.ChainFields;
import dev.teeflow.actions.chain.ChainResolver;
import dev.teeflow.engine.spi.InputFile;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.engine.spi.StepOutput;
import dev.teeflow.engine.spi.StepProblems;
import dev.teeflow.engine.spi.StepSchema;
import dev.teeflow.engine.spi.StepType;
import dev.teeflow.protocol.dataset.DatasetChecksum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code dataset.publish}: makes an encrypted dataset downloadable at a direct URL, through exactly
 * one of {@code git:}, {@code http:}, {@code file:} or {@code ipfs:}. Inputs {@code ciphertext}, {@code checksum}
 * and {@code filename} normally reference the encrypt step's outputs.
 */
public final class PublishDatasetStep implements StepType {
    public static final String ID = "dataset.publish";
    static final List<String> TARGETS = List.of("git", "http", "file", "ipfs");
    static final Field GIT = Field.block("git",
                    Field.text("remote").required().doc("the git remote (https://, ssh:// or user@host:path)"),
                    Field.text("branch").withDefault("main").doc("the branch to push to"),
                    Field.text("path").doc("the file's path in the repository (default: the ciphertext's name)"),
                    Field.of("username", FieldKind.TEXT_OR_SECRET).doc("the user name for HTTPS"),
                    Field.secret("password").doc("the password for HTTPS"),
                    Field.secret("token").doc("a token for HTTPS, instead of a password"),
                    Field.secret("ssh-key").doc("the private key for ssh remotes"),
                    Field.secret("ssh-passphrase").doc("the ssh key's passphrase"),
                    Field.of("known-hosts", FieldKind.ANY).doc("known_hosts lines (text, a list or a secret) for ssh"),
                    Field.of("host-key-fingerprint", FieldKind.ANY).doc("the ssh host key's SHA256 fingerprint, or a list of them"),
                    Field.text("url").doc("the raw download URL pattern, for hosts teeflow does not know"),
                    Field.bool("verify").doc("download the published file and compare its checksum"),
                    Field.text("author").doc("the commit author, as Name <email>"))
            .doc("push the ciphertext to a git repository");
    static final Field HTTP = Field.block("http",
                    Field.text("url").required().doc("where to upload"),
                    Field.text("method").oneOf("PUT", "POST").withDefault("PUT").doc("the upload method"),
                    Field.map("headers", FieldKind.TEXT_OR_SECRET).doc("request headers (values may be secrets)"),
                    Field.text("download-url").doc("where workers download it, when not the upload URL"),
                    Field.bool("verify").doc("download the published file and compare its checksum"))
            .doc("upload the ciphertext over HTTP");
    static final Field FILE = Field.block("file", Field.path("dir").required().doc("the folder to copy it into"))
            .doc("copy the ciphertext into a folder (served by something else)");
    static final Field IPFS = Field.block("ipfs",
                    Field.text("url").doc("the IPFS node's API URL (default: the target chain's)"),
                    Field.text("gateway").doc("the gateway workers download from (default: the target chain's)"),
                    Field.secret("token").doc("a bearer token for the node's API"),
                    Field.bool("verify").withDefault(true).doc("read it back through the gateway"))
            .doc("add the ciphertext to IPFS");
    static final StepSchema SCHEMA = StepSchema.builder("Makes an encrypted dataset downloadable at a direct URL,"
                    + " through exactly one of git, http, file or ipfs; content-addressed paths, never overwritten.")
            .field(Field.path("ciphertext").required().doc("the encrypted file (normally the encrypt step's output)"))
            .field(Field.text("checksum").required().doc("its checksum (normally the encrypt step's output)"))
            .field(Field.text("filename").doc("its file name (default: the ciphertext's)"))
            .field(GIT).field(HTTP).field(FILE).field(IPFS)
            .field(ChainFields.CHAIN.doc("for ipfs: the chain whose IPFS node and gateway to use"))
            .exactlyOne("git", "http", "file", "ipfs")
            .output(StepOutput.text("url", "the direct download URL (a multiaddr /ipfs/<cid> for ipfs)"))
            .output(StepOutput.text("checksum", "the published file's checksum"))
            .output(StepOutput.text("commit", "the git commit").when("git"))
            .output(StepOutput.text("blob", "the git blob id").when("git"))
            .output(StepOutput.text("path", "the file's path in the repository").when("git"))
            .output(StepOutput.text("cid", "the IPFS content id").when("ipfs"))
            .build();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Effect effect() {
        return Effect.EXTERNAL;
    }

    @Override
    public StepSchema schema() {
        return SCHEMA;
    }

    /** What the schema cannot say: one git credential, a usable ssh setup, a remote whose raw URL is known. */
    @Override
    public void validate(StepSpec spec, Problems problems) {
        if (!(spec.inputs().get("git") instanceof Map<?, ?> block)) {
            return;
        }
        if (block.get("password") != null && block.get("token") != null) {
            StepProblems.error(spec, problems, "git.token", "give git.password or git.token, not both");
        }
        if (block.get("remote") instanceof String remote) {
            SshSettings.problem(GitRemote.parse(remote), block)
                    .ifPresent(m -> StepProblems.error(spec, problems, "git.remote", m));
            if (block.get("url") == null && RawUrlTemplate.builtIn(GitRemote.parse(remote)).isEmpty()) {
                StepProblems.error(spec, problems, "git.remote", RawUrlTemplate.missingPatternMessage(GitRemote.parse(remote)));
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
