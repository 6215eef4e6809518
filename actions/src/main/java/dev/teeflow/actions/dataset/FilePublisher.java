package dev.teeflow.actions.dataset;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.spi.Check;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.files.AtomicFiles;
import dev.teeflow.protocol.dataset.DatasetChecksum;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code file: {dir}}: copies the ciphertext into a folder that something else serves, under a name that
 * carries its checksum, so a file a deployed dataset points at is never replaced.
 */
final class FilePublisher implements PublishTarget {
    @Override
    public Published publish(Job job) throws Exception {
        Path dir = job.settings().path("dir");
        Path target = dir.resolve(ContentAddressedPath.of(job.filename(), job.checksum()));
        Path legacy = dir.resolve(job.filename());
        if (holds(target, job)) {
            job.ctx().log().info("already published: " + target);
        } else if (holds(legacy, job)) {
            // published there by an earlier teeflow: keep it, so that its URL (and dataset) stays
            job.ctx().log().info("already published: " + legacy);
            target = legacy;
        } else if (Files.exists(target)) {
            throw new TeeflowException(job.owner() + ": " + target + " already holds other bytes; published bytes are"
                    + " never replaced (a deployed dataset may point at them): move that file away");
        } else {
            try (InputStream in = Files.newInputStream(job.ciphertext())) {
                AtomicFiles.write(target, null, out -> in.transferTo(out));
            }
            job.ctx().log().info("copied the ciphertext to " + target);
        }
        return new Published(target.toUri().toString());
    }

    @Override
    public Check verify(Job job, Outputs recorded) throws Exception {
        Path target = recorded.string("url").filter(u -> u.startsWith("file:")).map(u -> Path.of(URI.create(u)))
                .orElse(job.settings().path("dir").resolve(ContentAddressedPath.of(job.filename(), job.checksum())));
        if (!Files.isRegularFile(target)) {
            return Check.gone(target + " is missing");
        }
        if (!DatasetChecksum.of(target).equals(job.checksum())) {
            return Check.gone(target + " no longer holds the ciphertext (checksum differs)");
        }
        return Check.holds();
    }

    private static boolean holds(Path file, Job job) throws IOException {
        return Files.isRegularFile(file) && Files.size(file) == Files.size(job.ciphertext())
                && DatasetChecksum.of(file).equals(job.checksum());
    }
}
