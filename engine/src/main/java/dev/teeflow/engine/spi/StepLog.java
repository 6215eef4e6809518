package dev.teeflow.engine.spi;

/**
 * Where a running step reports what it is doing. Every line is masked for secrets before anyone
 * sees it; long work reports progress so that a person never stares at a silent terminal.
 */
public interface StepLog {
    /** One line of the step's own narrative ("pushed 3 layers"). */
    void info(String line);

    /** Something the user should look at although the step goes on. */
    void warn(String line);

    /** A line of output from a tool the step drives (docker build, the app's logs). */
    void output(String line);

    /**
     * How far a long piece of work is: {@code done} of {@code total} {@code unit}s ("bytes",
     * "blocks"); {@code total} is -1 when unknown.
     */
    void progress(String what, long done, long total, String unit);
}
