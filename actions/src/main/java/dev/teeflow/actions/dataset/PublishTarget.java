package dev.teeflow.actions.dataset;

import dev.teeflow.engine.spi.Check;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.Outputs;
import dev.teeflow.engine.spi.StepContext;
import java.nio.file.Path;

/** One way to make a ciphertext downloadable (git, http, file). */
interface PublishTarget {
    /** What one publish works on: the step's context, this target's settings block, the ciphertext. */
    record Job(StepContext ctx, Inputs settings, Path ciphertext, String checksum, String filename) {
        String owner() {
            return ctx.address();
        }
    }

    /**
     * Where the bytes now are: the download URL, and for git the commit and the path in the repository
     * ({@code null} otherwise).
     */
    record Published(String url, String commit, String path) {
        Published(String url) {
            this(url, null, null);
        }
    }

    Published publish(Job job) throws Exception;

    /** Whether the recorded URL / remote still serves these bytes. Read-only. */
    Check verify(Job job, Outputs recorded) throws Exception;
}
