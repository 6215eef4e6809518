package dev.teeflow.actions.secrets;

import dev.teeflow.engine.TeeflowException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The result encryption key pair in the forms iExec uses: RSA 4096, private key as PKCS#8 PEM and
 * public key as SPKI PEM, 64-character lines and a final newline (what {@code iexec result
 * generate-encryption-keypair} writes).
 */
final class RsaKeys {
    static final int BITS = 4096;
    private static final String PRIVATE = "PRIVATE KEY";
    private static final String PUBLIC = "PUBLIC KEY";

    private RsaKeys() {
    }

    static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(BITS);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is not available", e);
        }
    }

    static String privatePem(PrivateKey key) {
        return pem(PRIVATE, key.getEncoded());
    }

    static String publicPem(PublicKey key) {
        return pem(PUBLIC, key.getEncoded());
    }

    /** The key pair of a PKCS#8 PEM private key (the public half is derived from it). */
    static KeyPair fromPrivatePem(String pem) {
        try {
            String body = pem.replace("-----BEGIN " + PRIVATE + "-----", "").replace("-----END " + PRIVATE + "-----", "")
                    .replaceAll("\\s", "");
            KeyFactory f = KeyFactory.getInstance("RSA");
            PrivateKey priv = f.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
            if (!(priv instanceof RSAPrivateCrtKey crt)) {
                throw new TeeflowException("the kept result encryption key is not an RSA CRT key");
            }
            PublicKey pub = f.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            return new KeyPair(pub, priv);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // never echo the PEM
            throw new TeeflowException("the kept result encryption private key cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** {@code sha256:<hex>} of the public key's DER (SPKI) bytes; public information. */
    static String fingerprint(PublicKey key) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }
}
