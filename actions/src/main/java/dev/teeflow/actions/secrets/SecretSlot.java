package dev.teeflow.actions.secrets;

import dev.teeflow.protocol.sms.SmsClient;
import java.util.Locale;
import org.web3j.crypto.ECKeyPair;

/**
 * Where one secret lives in the SMS: its kind and the address (and name) that identify it. Enough to
 * ask the SMS whether it is there, which is all {@code verify} needs.
 */
record SecretSlot(Kind kind, String address, String name) {
    enum Kind {
        /** A requester secret: requester address + name; write-once. */
        REQUESTER,
        /** A web2 secret: owner address + name; may be replaced with PUT. */
        WEB2,
        /** A dataset key (web3 secret): dataset address; write-once. */
        DATASET,
        /** The app developer secret: app address; write-once. */
        APP
    }

    static SecretSlot requester(String requester, String name) {
        return new SecretSlot(Kind.REQUESTER, requester, name);
    }

    static SecretSlot web2(String owner, String name) {
        return new SecretSlot(Kind.WEB2, owner, name);
    }

    static SecretSlot dataset(String dataset) {
        return new SecretSlot(Kind.DATASET, dataset, "");
    }

    static SecretSlot app(String app) {
        return new SecretSlot(Kind.APP, app, "");
    }

    boolean writeOnce() {
        return kind != Kind.WEB2;
    }

    /** {@code requester secret 'my_email' of 0xabc...}, for messages. */
    String describe() {
        return switch (kind) {
            case REQUESTER -> "requester secret '" + name + "' of " + address;
            case WEB2 -> "web2 secret '" + name + "' of " + address;
            case DATASET -> "dataset key of " + address;
            case APP -> "app developer secret of " + address;
        };
    }

    /** True when {@code other} names the same secret (the SMS compares addresses case-insensitively). */
    boolean sameAs(SecretSlot other) {
        boolean nameMatches = kind == Kind.WEB2 ? name.equalsIgnoreCase(other.name) : name.equals(other.name);
        return kind == other.kind && address.toLowerCase(Locale.ROOT).equals(other.address.toLowerCase(Locale.ROOT))
                && nameMatches;
    }

    boolean exists(SmsClient sms) {
        return switch (kind) {
            case REQUESTER -> sms.requesterSecretExists(address, name);
            case WEB2 -> sms.web2SecretExists(address, name);
            case DATASET -> sms.datasetKeyExists(address);
            case APP -> sms.appSecretExists(address);
        };
    }

    void create(SmsClient sms, ECKeyPair signer, String value) {
        switch (kind) {
            case REQUESTER -> sms.pushRequesterSecret(signer, name, value);
            case WEB2 -> sms.pushWeb2Secret(signer, name, value);
            case DATASET -> sms.pushDatasetKey(signer, address, value);
            case APP -> sms.pushAppSecret(signer, address, value);
        }
    }

    void update(SmsClient sms, ECKeyPair signer, String value) {
        if (kind != Kind.WEB2) {
            throw new IllegalStateException(describe() + " is write-once");
        }
        sms.updateWeb2Secret(signer, name, value);
    }
}
