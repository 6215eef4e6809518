package dev.teeflow.protocol.dataset;

/** Told how far a long piece of work is: {@code done} of {@code total} bytes ({@code total} -1 when unknown). */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> { };

    void progress(long done, long total);
}
