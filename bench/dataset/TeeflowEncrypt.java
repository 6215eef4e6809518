import dev.teeflow.protocol.dataset.AtomicFiles;
import dev.teeflow.protocol.dataset.DatasetEncryptor;
import dev.teeflow.protocol.dataset.DatasetKey;
import dev.teeflow.protocol.dataset.EncryptionResult;
import java.nio.file.Path;

/**
 * Benchmark driver: encrypts one file in iExec's format with teeflow's protocol code, exactly as the
 * dataset.encrypt step does (temp file + rename, checksum in the same pass), writes the key 0600
 * next to it and prints the checksum. Usage: TeeflowEncrypt PLAINTEXT CIPHERTEXT KEYFILE
 */
public final class TeeflowEncrypt {
    public static void main(String[] args) throws Exception {
        DatasetKey key = DatasetKey.generate();
        EncryptionResult r = DatasetEncryptor.encryptFile(Path.of(args[0]), Path.of(args[1]), key, null, null);
        AtomicFiles.writeBytes(Path.of(args[2]), AtomicFiles.OWNER_ONLY, key.toBase64Bytes());
        System.out.println(r.checksum() + "  " + args[1]);
    }
}
