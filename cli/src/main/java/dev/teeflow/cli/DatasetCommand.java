package dev.teeflow.cli;

import dev.teeflow.actions.dataset.DatasetDecryptCommand;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "dataset", description = "Dataset tools.", subcommands = DatasetCommand.Decrypt.class)
final class DatasetCommand {
    @Command(name = "decrypt", description = "Decrypts a dataset file made by teeflow or the iExec SDK, to check it.")
    static final class Decrypt implements Callable<Integer> {
        private final CliContext ctx;

        @Parameters(paramLabel = "FILE", description = "The encrypted file (16-byte IV, then AES-256-CBC).")
        Path file;

        @Option(names = "--key", required = true, paramLabel = "REF",
                description = "Where the base64 key is: env:NAME or file:PATH (never the key itself).")
        String key;

        @Option(names = "--out", paramLabel = "FILE", description = "Where to write (default: FILE without .enc).")
        Path out;

        Decrypt(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            Path written = new DatasetDecryptCommand(ctx.env, Path.of("").toAbsolutePath()).decrypt(file, key, out);
            ctx.terminal.out.println("decrypted " + file + " -> " + written);
            return Main.OK;
        }
    }
}
