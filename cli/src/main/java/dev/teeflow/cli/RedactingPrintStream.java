package dev.teeflow.cli;

import dev.teeflow.engine.secret.Redactor;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A PrintStream that masks every known secret before a line leaves the process. It buffers up to
 * each newline so that a secret written in two pieces is still seen whole.
 */
final class RedactingPrintStream extends PrintStream {
    RedactingPrintStream(OutputStream target, Redactor redactor) {
        super(new LineMasker(target, redactor), true, StandardCharsets.UTF_8);
    }

    private static final class LineMasker extends OutputStream {
        private final OutputStream target;
        private final Redactor redactor;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineMasker(OutputStream target, Redactor redactor) {
            this.target = target;
            this.redactor = redactor;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            line.write(b);
            if (b == '\n' || b == '\r') {
                emit();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public synchronized void flush() throws java.io.IOException {
            // A partial line (a prompt, a progress bar) is flushed as it is, masked on its own.
            emit();
            target.flush();
        }

        private void emit() throws java.io.IOException {
            if (line.size() == 0) {
                return;
            }
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            target.write(redactor.redact(text).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() throws java.io.IOException {
            flush();
        }
    }
}
