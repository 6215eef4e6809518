package dev.teeflow.devnet.sms;

import java.util.Optional;

/**
 * The devnet worker's read path into the SMS (what a real SMS hands to a task's enclave session).
 * Addresses in any case. Implemented by {@link SecretVault}; values are returned, never logged.
 */
public interface SecretReader {
    Optional<String> datasetKey(String dataset);

    Optional<String> web2Secret(String owner, String name);

    Optional<String> requesterSecret(String requester, String name);

    Optional<String> appDeveloperSecret(String app);
}
