package dev.teeflow.actions.dataset;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.protocol.dataset.DatasetFormatException;
import dev.teeflow.protocol.dataset.DatasetKey;

/** Turns secrets into dataset keys with errors that name where the key came from, never its value. */
final class DatasetKeys {
    private DatasetKeys() {
    }

    static DatasetKey fromSecret(String owner, String field, Secret secret) {
        try {
            return DatasetKey.parse(secret.bytes());
        } catch (DatasetFormatException e) {
            throw new TeeflowException(owner + ": " + field + " (" + secret.source() + "): " + e.getMessage());
        }
    }
}
