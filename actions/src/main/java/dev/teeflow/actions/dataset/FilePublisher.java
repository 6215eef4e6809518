package dev.teeflow.actions.dataset;

import dev.teeflow.engine.spi.Check;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.files.AtomicFiles;
import dev.teeflow.protocol.dataset.DatasetChecksum;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code file: {dir}}: copies the ciphertext into a folder that something else serves. */
final class FilePublisher implements PublishTarget {
    @Override
    public Published publish(Job job) throws Exception {
        Path target = target(job);
        if (Files.isRegularFile(target) && Files.size(target) == Files.size(job.ciphertext())
                && DatasetChecksum.of(target).equals(job.checksum())) {
            job.ctx().log().info("already published: " + target);
        } else {
            try (InputStream in = Files.newInputStream(job.ciphertext())) {
                AtomicFiles.write(target, null, out -> in.transferTo(out));
            }
            job.ctx().log().info("copied the ciphertext to " + target);
        }
        return new Published(target.toUri().toString(), null);
    }

    @Override
    public Check verify(Job job, Outputs recorded) throws Exception {
        Path target = target(job);
        if (!Files.isRegularFile(target)) {
            return Check.gone(target + " is missing");
        }
        if (!DatasetChecksum.of(target).equals(job.checksum())) {
            return Check.gone(target + " no longer holds the ciphertext (checksum differs)");
        }
        return Check.holds();
    }

    private static Path target(Job job) {
        return job.settings().path("dir").resolve(job.filename());
    }
}
