package dev.teeflow.cli.github;

import dev.teeflow.engine.secret.Redactor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * teeflow's standard output under GitHub Actions. It sits below the redacting stream, so everything it
 * receives is already masked, and it keeps two promises:
 * <ul>
 * <li>every secret form the redactor knows is announced with {@code ::add-mask::} before the next
 * byte of output, so GitHub also masks it in what other programs print;</li>
 * <li>ordinary text (plans, step logs, tool output, error messages) is written with workflow commands
 * stopped ({@code ::stop-commands::<token>}), so a log line such as {@code ::add-mask::x} or
 * {@code ::warning::...} is shown, never obeyed. Only teeflow's own commands run, between blocks.</li>
 * </ul>
 */
final class CommandStream extends OutputStream {
    private final OutputStream raw;
    private final Redactor redactor;
    private final Set<String> announced = new HashSet<>();
    private List<String> lastSeenForms;
    /** Non-null while workflow commands are stopped. */
    private String stopToken;
    private boolean atLineStart = true;

    CommandStream(OutputStream raw, Redactor redactor) {
        this.raw = raw;
        this.redactor = redactor;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        announceMasks();
        stop();
        raw.write(b, off, len);
        atLineStart = b[off + len - 1] == '\n';
    }

    /** Writes one of teeflow's own workflow commands, masked, with commands enabled. */
    synchronized void command(String line) {
        try {
            announceMasks();
            resume();
            rawLine(redactor.redact(line));
            raw.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Announces secret forms registered since the last call; cheap when nothing changed. */
    synchronized void announceMasks() throws IOException {
        List<String> forms = redactor.maskedForms();
        if (forms == lastSeenForms) {
            return;
        }
        lastSeenForms = forms;
        boolean first = true;
        for (String form : forms) {
            if (announced.add(form)) {
                if (first) {
                    // add-mask is ignored while commands are stopped: resume first.
                    resume();
                    first = false;
                }
                rawLine("::add-mask::" + WorkflowCommands.escapeData(form));
            }
        }
        if (!first) {
            raw.flush();
        }
    }

    /** Leaves the stream with commands enabled, so later steps of the job are not affected. */
    synchronized void finish() {
        try {
            announceMasks();
            resume();
            raw.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        raw.flush();
    }

    private void stop() throws IOException {
        if (stopToken == null) {
            stopToken = WorkflowCommands.randomToken();
            rawLine("::stop-commands::" + stopToken);
        }
    }

    /** Before standard error gets text: masks announced and commands stopped (the runner reads both pipes). */
    private synchronized void beforeErrorText() throws IOException {
        announceMasks();
        stop();
        raw.flush();
    }

    private void resume() throws IOException {
        if (stopToken != null) {
            rawLine("::" + stopToken + "::");
            stopToken = null;
        }
    }

    private void rawLine(String line) throws IOException {
        if (!atLineStart) {
            raw.write('\n');
        }
        raw.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        atLineStart = true;
    }

    /**
     * Standard error: new masks are announced and commands stopped on standard output before a byte
     * goes through, so an error message quoting a tool's output cannot issue commands either.
     */
    OutputStream stderr(OutputStream rawErr) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                beforeErrorText();
                rawErr.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                rawErr.flush();
            }
        };
    }
}
