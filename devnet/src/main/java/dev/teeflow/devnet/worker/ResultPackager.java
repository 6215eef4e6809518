package dev.teeflow.devnet.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.web3j.crypto.Hash;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * What TEE post-compute does with {@code /iexec_out} (simulated here, outside any enclave): read
 * computed.json, compute the result digest, check file names, zip the folder and, when asked, encrypt the
 * zip for the beneficiary in the format {@code iexec result decrypt} reads.
 */
final class ResultPackager {
    static final int MAX_FILE_NAME_LENGTH = 31;
    static final String ENCRYPTED_RESULT_ENTRY = "iexec_out.zip.aes";
    static final String ENCRYPTED_KEY_ENTRY = "aes-key.rsa";
    private static final String CONTAINER_OUT = "/iexec_out";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ResultPackager() {
    }

    /**
     * Refuses a symbolic link under /iexec_out that leads out of it (or nowhere): the worker reads the folder
     * on the host, so {@code ln -s /etc/shadow x} would otherwise zip a host file. Links inside the folder
     * stay. Called before anything under the folder is read; the app's container has stopped by then.
     */
    static void refuseLinksOut(Path outDir) throws IOException {
        Path root = outDir.toRealPath();
        List<String> escaping = new ArrayList<>();
        try (Stream<Path> s = Files.walk(outDir)) {
            s.filter(Files::isSymbolicLink).forEach(link -> {
                if (!leadsInside(link, root)) {
                    escaping.add(CONTAINER_OUT + "/" + outDir.relativize(link).toString().replace('\\', '/'));
                }
            });
        }
        if (!escaping.isEmpty()) {
            throw new TaskFailure("result files are symbolic links leading out of " + CONTAINER_OUT + " (refused, "
                    + "as post-compute refuses them): " + escaping);
        }
    }

    private static boolean leadsInside(Path link, Path root) {
        try {
            return link.toRealPath().startsWith(root);
        } catch (IOException dangling) {
            return false;
        }
    }

    /** The host path of computed.json's {@code deterministic-output-path}. */
    static Path deterministicOutput(Path outDir) {
        Path computed = outDir.resolve("computed.json");
        if (!Files.isRegularFile(computed)) {
            throw new TaskFailure("the app wrote no " + CONTAINER_OUT + "/computed.json");
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(computed.toFile());
        } catch (IOException e) {
            throw new TaskFailure(CONTAINER_OUT + "/computed.json is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        String path = json == null ? "" : json.path("deterministic-output-path").asText("");
        if (path.isBlank()) {
            throw new TaskFailure(CONTAINER_OUT + "/computed.json has no \"deterministic-output-path\"");
        }
        String normalized = path.replaceAll("/+$", "");
        if (!normalized.equals(CONTAINER_OUT) && !normalized.startsWith(CONTAINER_OUT + "/")) {
            throw new TaskFailure("deterministic-output-path " + path + " is not inside " + CONTAINER_OUT);
        }
        Path host = outDir.resolve(normalized.substring(CONTAINER_OUT.length()).replaceFirst("^/", "")).normalize();
        if (!host.startsWith(outDir.normalize())) {
            throw new TaskFailure("deterministic-output-path " + path + " leaves " + CONTAINER_OUT);
        }
        if (!Files.exists(host)) {
            throw new TaskFailure("deterministic-output-path " + path + " does not exist");
        }
        return host;
    }

    /**
     * The result digest: 0x + sha256 of a file; for a folder, keccak256 over the sha256 digests of its direct
     * children sorted by name (as iExec's post-compute does: sub-folders and empty files add no bytes).
     */
    static String digest(Path output) throws IOException {
        if (!Files.isDirectory(output)) {
            byte[] data = Files.readAllBytes(output);
            if (data.length == 0) {
                throw new TaskFailure("the deterministic output file " + output.getFileName() + " is empty");
            }
            return "0x" + HexFormat.of().formatHex(DatasetCipher.sha256(data));
        }
        List<Path> children;
        try (Stream<Path> s = Files.list(output)) {
            children = s.sorted().toList();
        }
        if (children.isEmpty()) {
            throw new TaskFailure("the deterministic output folder " + output.getFileName() + " is empty");
        }
        ByteArrayOutputStream concat = new ByteArrayOutputStream();
        for (Path child : children) {
            if (Files.isRegularFile(child)) {
                byte[] data = Files.readAllBytes(child);
                if (data.length > 0) {
                    concat.writeBytes(DatasetCipher.sha256(data));
                }
            }
        }
        return "0x" + HexFormat.of().formatHex(Hash.sha3(concat.toByteArray()));
    }

    /** Every name under /iexec_out must be at most 31 characters (post-compute refuses longer ones). */
    static void checkFileNames(Path outDir) throws IOException {
        List<String> tooLong = new ArrayList<>();
        try (Stream<Path> s = Files.walk(outDir)) {
            s.filter(p -> !p.equals(outDir))
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.length() > MAX_FILE_NAME_LENGTH)
                    .forEach(tooLong::add);
        }
        if (!tooLong.isEmpty()) {
            throw new TaskFailure("result file names longer than " + MAX_FILE_NAME_LENGTH + " characters: " + tooLong);
        }
    }

    /** Zips the folder's files with paths relative to it (deflated), sorted for a stable archive. */
    static void zip(Path dir, Path zipFile) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream out = Files.newOutputStream(zipFile); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Path f : files) {
                zip.putNextEntry(new ZipEntry(dir.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
    }

    /**
     * Encrypts a result zip for the beneficiary: a zip holding {@code iexec_out.zip.aes} (16-byte IV +
     * AES-256-CBC/PKCS#7 of the zip under a fresh 32-byte key) and {@code aes-key.rsa} (that raw key,
     * RSA PKCS#1 v1.5). {@code publicKeySecret} is the web2 secret: base64 of a PEM public key.
     */
    static void encrypt(Path plainZip, String publicKeySecret, Path encryptedZip) throws IOException {
        PublicKey rsa = parsePublicKey(publicKeySecret);
        byte[] key = new byte[32];
        byte[] iv = new byte[16];
        RANDOM.nextBytes(key);
        RANDOM.nextBytes(iv);
        byte[] aes;
        byte[] wrappedKey;
        try {
            Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            byte[] body = c.doFinal(Files.readAllBytes(plainZip));
            aes = new byte[16 + body.length];
            System.arraycopy(iv, 0, aes, 0, 16);
            System.arraycopy(body, 0, aes, 16, body.length);
            Cipher r = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            r.init(Cipher.ENCRYPT_MODE, rsa);
            wrappedKey = r.doFinal(key);
        } catch (GeneralSecurityException e) {
            throw new TaskFailure("cannot encrypt the result for the beneficiary: " + e.getMessage());
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
        try (OutputStream out = Files.newOutputStream(encryptedZip); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(ENCRYPTED_RESULT_ENTRY));
            zip.write(aes);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(ENCRYPTED_KEY_ENTRY));
            zip.write(wrappedKey);
            zip.closeEntry();
        }
    }

    static PublicKey parsePublicKey(String publicKeySecret) {
        String pem;
        try {
            pem = new String(Base64.getMimeDecoder().decode(publicKeySecret.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new TaskFailure("the beneficiary's iexec-result-encryption-public-key is not base64 (push base64 of the PEM)");
        }
        if (!pem.contains("-----BEGIN PUBLIC KEY-----")) {
            throw new TaskFailure("the beneficiary's iexec-result-encryption-public-key is not a base64 PEM "
                    + "\"BEGIN PUBLIC KEY\" (an RSA SubjectPublicKeyInfo)");
        }
        String body = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new TaskFailure("the beneficiary's iexec-result-encryption-public-key is not an RSA public key");
        }
    }
}
