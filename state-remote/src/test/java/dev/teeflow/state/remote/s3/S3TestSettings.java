package dev.teeflow.state.remote.s3;

import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.state.remote.LockMode;
import java.net.URI;
import java.util.Optional;

/** Settings of an s3 state on a loopback store, path-style, with the test store's keys. */
final class S3TestSettings {
    private S3TestSettings() {
    }

    static S3Settings of(URI endpoint, String bucket, String prefix, LockMode lock) {
        return new S3Settings(Optional.of(endpoint), bucket, prefix, "us-east-1", true,
                Secret.ofText(SecretRef.env("AWS_ACCESS_KEY_ID"), S3ProxyServer.ACCESS_KEY),
                Secret.ofText(SecretRef.env("AWS_SECRET_ACCESS_KEY"), S3ProxyServer.SECRET_KEY), Optional.empty(), lock);
    }
}
