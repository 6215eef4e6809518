package dev.teeflow.actions.dataset;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.protocol.dataset.DatasetDecryptor;
import dev.teeflow.protocol.dataset.DatasetFormatException;
import dev.teeflow.protocol.dataset.DatasetKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * {@code teeflow dataset decrypt FILE --key env:NAME|file:PATH [--out F]}: lets a dataset owner check
 * a ciphertext. The key is read from the environment or a file, never from the command line.
 */
public final class DatasetDecryptCommand {
    private final Map<String, String> env;
    private final Path workingDir;

    public DatasetDecryptCommand() {
        this(System.getenv(), Path.of("").toAbsolutePath());
    }

    public DatasetDecryptCommand(Map<String, String> env, Path workingDir) {
        this.env = env;
        this.workingDir = workingDir;
    }

    /**
     * Decrypts {@code file} with the key {@code keyRef} points at into {@code out} (default: the file
     * without its {@code .enc}, or with {@code .dec} added), written atomically; returns that path.
     */
    public Path decrypt(Path file, String keyRef, Path out) {
        Path in = workingDir.resolve(file);
        Path target = out != null ? workingDir.resolve(out) : defaultOutput(in);
        if (target.toAbsolutePath().normalize().equals(in.toAbsolutePath().normalize())) {
            throw new TeeflowException("--out " + target + " is the encrypted file itself; choose another path");
        }
        DatasetKey key = readKey(keyRef);
        try {
            DatasetDecryptor.decryptFile(in, target, key);
            return target;
        } catch (NoSuchFileException e) {
            throw new TeeflowException(file + " does not exist");
        } catch (DatasetFormatException e) {
            throw new TeeflowException(file + ": " + e.getMessage());
        } catch (IOException e) {
            throw new TeeflowException("cannot decrypt " + file + ": " + e.getMessage(), e);
        }
    }

    static Path defaultOutput(Path in) {
        String name = in.getFileName().toString();
        return in.resolveSibling(name.endsWith(".enc") && name.length() > 4 ? name.substring(0, name.length() - 4) : name + ".dec");
    }

    private DatasetKey readKey(String keyRef) {
        Optional<SecretRef> ref = keyRef == null ? Optional.empty()
                : SecretRef.parse(keyRef).filter(r -> !r.scheme().equals(SecretRef.STEP));
        if (ref.isEmpty()) {
            throw new TeeflowException("--key must be env:NAME or file:PATH (a key is never written on the command line)");
        }
        String text;
        if (ref.get().scheme().equals(SecretRef.ENV)) {
            text = env.get(ref.get().name());
            if (text == null) {
                throw new TeeflowException("--key " + keyRef + ": environment variable " + ref.get().name() + " is not set");
            }
        } else {
            try {
                text = Files.readString(workingDir.resolve(ref.get().name()));
            } catch (IOException e) {
                throw new TeeflowException("--key " + keyRef + ": cannot read " + ref.get().name());
            }
        }
        try {
            return DatasetKey.parse(text);
        } catch (DatasetFormatException e) {
            throw new TeeflowException("--key " + keyRef + ": " + e.getMessage());
        }
    }
}
