package dev.teeflow.actions.dataset;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.protocol.dataset.DatasetFormatException;
import dev.teeflow.protocol.dataset.DeterministicZip;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * What a dataset step encrypts: one file as is, or a folder zipped deterministically. Checked up
 * front (exists, readable, not empty) so that a bad input fails before anything is written.
 */
final class Plaintext {
    private final Path path;
    private final String datasetFileName;
    private final List<DeterministicZip.Entry> entries; // null for a single file
    private final long size;
    private final String fingerprint;

    private Plaintext(Path path, String datasetFileName, List<DeterministicZip.Entry> entries, long size, String fingerprint) {
        this.path = path;
        this.datasetFileName = datasetFileName;
        this.entries = entries;
        this.size = size;
        this.fingerprint = fingerprint;
    }

    /** Inspects {@code path} (written as {@code written} in field {@code field} of step {@code owner}). */
    static Plaintext inspect(String owner, String field, Path path, String written) {
        String where = owner + ": " + field + ": ";
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.exists(path)) {
            throw new TeeflowException(where + "'" + written + "' does not exist (looked at " + path + ")");
        }
        if (!Files.exists(path)) {
            throw new TeeflowException(where + "'" + written + "' is a symbolic link to something that does not exist");
        }
        try {
            if (Files.isDirectory(path)) {
                List<DeterministicZip.Entry> entries = DeterministicZip.list(path);
                if (entries.stream().noneMatch(e -> !e.directory())) {
                    throw new TeeflowException(where + "folder '" + written + "' holds no files; there is nothing to encrypt");
                }
                long total = entries.stream().mapToLong(DeterministicZip.Entry::size).sum();
                StringBuilder meta = new StringBuilder("folder\n");
                for (DeterministicZip.Entry e : entries) {
                    meta.append(e.name()).append('\t').append(e.size()).append('\t').append(e.modifiedMillis()).append('\n');
                }
                return new Plaintext(path, path.getFileName() + ".zip", entries, total, digest(meta));
            }
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attrs.isRegularFile()) {
                throw new TeeflowException(where + "'" + written + "' is neither a regular file nor a folder");
            }
            try (var probe = Files.newByteChannel(path)) {
                // opened, not just access(2)-checked: that says yes to root even where the open is refused
            }
            if (attrs.size() == 0) {
                throw new TeeflowException(where + "'" + written + "' is empty; an iExec dataset needs content");
            }
            String meta = "file\n" + attrs.size() + "\t" + attrs.lastModifiedTime().toMillis() + "\n";
            return new Plaintext(path, path.getFileName().toString(), null, attrs.size(), digest(new StringBuilder(meta)));
        } catch (DatasetFormatException e) {
            throw new TeeflowException(where + e.getMessage());
        } catch (AccessDeniedException e) {
            throw new TeeflowException(where + "cannot read '" + written + "' (permission denied)");
        } catch (IOException e) {
            throw new TeeflowException(where + "cannot read '" + written + "': " + e.getMessage(), e);
        }
    }

    /** The name iExec's tools would give the plaintext: the file's name, or {@code <folder>.zip}. */
    String datasetFileName() {
        return datasetFileName;
    }

    boolean isFolder() {
        return entries != null;
    }

    /** Plaintext bytes (a folder's file sizes summed; the zip differs slightly). */
    long size() {
        return size;
    }

    /**
     * A digest of the plaintext's names, sizes and modification times: cheap to compute, and equal
     * only when the content is (almost certainly) unchanged. Holds no content.
     */
    String fingerprint() {
        return fingerprint;
    }

    /**
     * Whether iExec's format of this plaintext can be {@code ciphertextSize} bytes long: the 16-byte IV, then
     * AES-CBC with PKCS#7 padding. A folder's zip size is not known before zipping: any size may fit.
     */
    boolean mayEncryptTo(long ciphertextSize) {
        return entries != null || ciphertextSize == 16 + (size / 16 + 1) * 16;
    }

    /** Writes the bytes to encrypt (the file, or the folder's zip) into {@code out}, then closes it. */
    void writeTo(OutputStream out) throws IOException {
        if (entries != null) {
            DeterministicZip.write(entries, out);
            return;
        }
        try (out; InputStream in = Files.newInputStream(path)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                out.write(buf, 0, n);
            }
        }
    }

    private static String digest(StringBuilder meta) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return "meta:" + HexFormat.of().formatHex(sha.digest(meta.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
