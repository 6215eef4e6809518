package dev.teeflow.actions.dataset;

import dev.teeflow.files.AtomicFiles;
import dev.teeflow.protocol.dataset.DatasetKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The key file where the iExec CLI looks for a dataset's key, {@code .secrets/datasets/<file>.key}
 * (base64, no newline), written atomically at mode 0600 for users who mix teeflow with the CLI.
 */
final class IexecKeyFile {
    private IexecKeyFile() {
    }

    static Path location(Path projectDir, String datasetFileName) {
        return projectDir.resolve(".secrets/datasets").resolve(datasetFileName + ".key");
    }

    static void write(Path file, DatasetKey key) throws IOException {
        AtomicFiles.writeBytes(file, AtomicFiles.OWNER_ONLY, key.toBase64Bytes());
    }

    /** True when {@code file} holds exactly this key. */
    static boolean holds(Path file, DatasetKey key) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            return DatasetKey.parse(Files.readString(file)).sameAs(key);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
