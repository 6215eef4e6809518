package dev.teeflow.devnet.sms;

/** The four kinds of secrets the SMS keeps; only WEB2 secrets can be updated. */
public enum SecretKind {
    /** A dataset's key, id = dataset address. */
    WEB3,
    /** A web2 secret, id = owner address + name (both lowercased, as iExec's SMS does). */
    WEB2,
    /** A requester secret, id = requester address + name (name kept as given). */
    REQUESTER,
    /** The app developer secret, id = app address. */
    APP
}
