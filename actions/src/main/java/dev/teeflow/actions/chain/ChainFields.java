package dev.teeflow.actions.chain;

import dev.teeflow.engine.spi.Field;
import dev.teeflow.engine.spi.FieldKind;

/**
 * The {@code chain} and {@code wallet} inputs every chain-bound step type declares in its schema. Sections fill
 * them from {@code target:}, {@code chains:} and {@code wallet:} ({@link Targets#inputFor}, {@link Wallets#inputFor});
 * a step under {@code steps:} writes them itself.
 */
public final class ChainFields {
    private ChainFields() {
    }

    /** {@code chain: {name: devnet}}: the target chain, and its inline entry or chains file when there is one. */
    public static final Field CHAIN = Field.block("chain",
                    Field.text("name").required().doc("devnet, devnet:<name>, a built-in chain or one defined under chains:"),
                    Field.map("entry", FieldKind.ANY).doc("the chain's settings when defined inline under chains:"),
                    Field.path("file").doc("the chains file, when chains: names one"))
            .doc("the chain, as chain: { name: devnet } (or devnet:<name>, a built-in chain such as arbitrum-sepolia, or a"
                    + " chain under chains:); sections fill it from target:");

    /** {@code wallet: {kind: devnet}}: the wallet that signs. */
    public static final Field WALLET = Field.block("wallet",
                    Field.text("kind").required().oneOf("devnet", "keystore", "private-key").doc("where the key comes from"),
                    Field.text("devnet").doc("kind devnet: the devnet's name"),
                    Field.number("account").doc("kind devnet: the account index"),
                    Field.path("keystore").doc("kind keystore: the encrypted V3 keystore file"),
                    Field.secret("password").doc("kind keystore: its password"),
                    Field.secret("private-key").doc("kind private-key: the raw key"))
            .doc("the signing wallet: { kind: devnet } (optionally devnet: <name>, account: N), { kind: private-key,"
                    + " private-key: { secret: env:NAME } } or { kind: keystore, keystore: FILE, password: { secret: env:NAME } };"
                    + " sections fill it from wallet:");

    /** The chain field when only the chain is needed, for steps that may also run without it. */
    public static Field optionalChain(String doc) {
        return CHAIN.doc(doc);
    }
}
