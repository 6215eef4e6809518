package dev.teeflow.actions.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.InputValues;
import dev.teeflow.engine.config.MapReader;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.secret.Redactor;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.spi.InputFile;
import dev.teeflow.engine.spi.Inputs;
import dev.teeflow.engine.spi.StepContext;
import dev.teeflow.protocol.devnet.DevnetInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.crypto.exception.CipherException;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.utils.Numeric;

/**
 * The pipeline's {@code wallet:} as a step input, and the loading of it at run time.
 *
 * <pre>
 * wallet: { keystore: wallet.json, password: env:WALLET_PASSWORD }   # encrypted V3 keystore
 * wallet: { private-key: env:PRIVATE_KEY }                           # raw key from a secret
 * wallet: devnet                                                     # devnet account 0 (public test key)
 * wallet: { devnet-account: 2 }                                      # another devnet account
 * </pre>
 *
 * Without {@code wallet:}, a devnet target uses devnet account 0; other targets need one.
 */
public final class Wallets {
    public static final String KEY = "wallet";
    static final String KIND = "kind";
    static final String KEYSTORE = "keystore";
    static final String PRIVATE_KEY = "private-key";
    static final String DEVNET = "devnet";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Wallets() {
    }

    /**
     * The value to put under a step's {@code wallet} input: {@code {kind: keystore, keystore: <path>,
     * password: <SecretRef>}}, {@code {kind: private-key, private-key: <SecretRef>}} or {@code {kind:
     * devnet, devnet: <name>, account: <n>}}. Problems are recorded once however many sections ask.
     */
    public static Map<String, Object> inputFor(ConfigNode root, Problems problems) {
        ConfigNode w = root == null ? null : root.get(KEY);
        String target = Targets.targetName(root);
        Optional<String> devnet = Targets.devnetName(target);
        final Map<String, Object> input = new LinkedHashMap<>();
        if (w == null || w.isNull()) {
            if (devnet.isEmpty()) {
                Targets.once(problems, root, "target '" + target + "' needs a wallet: add wallet: { keystore: wallet.json,"
                        + " password: env:WALLET_PASSWORD } or wallet: { private-key: env:PRIVATE_KEY }");
            }
            return devnetInput(devnet.orElse(DevnetInfo.DEFAULT_NAME), 0);
        }
        if (w.isScalar() && DEVNET.equals(w.value())) {
            requireDevnet(w, target, devnet, problems);
            return devnetInput(devnet.orElse(DevnetInfo.DEFAULT_NAME), 0);
        }
        if (!w.isMap()) {
            Targets.once(problems, w, "expected devnet, { keystore: FILE, password: env:NAME }, { private-key: env:NAME }"
                    + " or { devnet-account: N }, found " + w.describeKind());
            return input;
        }
        Problems local = new Problems();
        MapReader r = new MapReader(w, local);
        boolean keystore = r.has(KEYSTORE);
        boolean key = r.has(PRIVATE_KEY);
        boolean account = r.has("devnet-account");
        r.allow("password");
        if ((keystore ? 1 : 0) + (key ? 1 : 0) + (account ? 1 : 0) != 1) {
            local.error(w, "give exactly one of 'keystore' (with 'password'), 'private-key' or 'devnet-account'");
        } else if (keystore) {
            input.put(KIND, KEYSTORE);
            input.put(KEYSTORE, r.requiredString(KEYSTORE));
            r.requiredNode("password").flatMap(p -> InputValues.secretRef(p, local)).ifPresent(ref -> input.put("password", ref));
        } else if (key) {
            input.put(KIND, PRIVATE_KEY);
            r.node(PRIVATE_KEY).flatMap(p -> InputValues.secretRef(p, local)).ifPresent(ref -> input.put(PRIVATE_KEY, ref));
            if (w.get("password") != null) {
                local.error(w.get("password"), "'password' goes with 'keystore', not with 'private-key'");
            }
        } else {
            long n = r.number("devnet-account", 0);
            if (n < 0) {
                local.error(w.get("devnet-account"), "expected an account index of 0 or more");
            }
            requireDevnet(w, target, devnet, local);
            input.putAll(devnetInput(devnet.orElse(DevnetInfo.DEFAULT_NAME), n));
        }
        r.rejectUnknownKeys();
        local.all().forEach(d -> {
            if (!problems.all().contains(d)) {
                problems.add(d);
            }
        });
        return input;
    }

    private static Map<String, Object> devnetInput(String devnetName, long account) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put(KIND, DEVNET);
        input.put(DEVNET, devnetName);
        input.put("account", account);
        return input;
    }

    private static void requireDevnet(ConfigNode w, String target, Optional<String> devnet, Problems problems) {
        if (devnet.isEmpty()) {
            Targets.once(problems, w, "a devnet account only works with a devnet target, and the target is '" + target
                    + "'; use { keystore: FILE, password: env:NAME } or { private-key: env:NAME }");
        }
    }

    /** The keystore file, whose content decides the address, for a step's cache key. */
    public static List<InputFile> inputFiles(Inputs walletInput) {
        if (KEYSTORE.equals(walletInput.string(KIND, "")) && walletInput.has(KEYSTORE)) {
            return List.of(InputFile.of("wallet keystore", walletInput.path(KEYSTORE)));
        }
        return List.of();
    }

    /** Loads the wallet a step's {@code wallet} input describes, once per run, and masks its key. */
    public static Wallet load(Inputs walletInput, StepContext ctx) {
        return load(walletInput, ctx, ChainResolver.of(ctx));
    }

    public static Wallet load(Inputs walletInput, StepContext ctx, ChainResolver chains) {
        String kind = walletInput.string(KIND, DEVNET);
        String cacheKey = "teeflow.wallet." + switch (kind) {
            case KEYSTORE -> KEYSTORE + ":" + walletInput.path(KEYSTORE) + ":" + walletInput.secret("password").source();
            case PRIVATE_KEY -> PRIVATE_KEY + ":" + walletInput.secret(PRIVATE_KEY).source();
            default -> DEVNET + ":" + chains.teeflowHome() + ":" + walletInput.string(DEVNET, DevnetInfo.DEFAULT_NAME)
                    + ":" + walletInput.number("account", 0);
        };
        Wallet wallet = ctx.shared(cacheKey, Wallet.class, () -> open(walletInput, chains));
        registerKey(ctx.redactor(), wallet);
        return wallet;
    }

    /** Loads the wallet a resolved {@code wallet} input describes, outside a step run, and masks its key. */
    public static Wallet load(Inputs walletInput, ChainResolver chains, Redactor redactor) {
        Wallet wallet = open(walletInput, chains);
        registerKey(redactor, wallet);
        return wallet;
    }

    private static Wallet open(Inputs walletInput, ChainResolver chains) {
        String kind = walletInput.string(KIND, DEVNET);
        return switch (kind) {
            case KEYSTORE -> fromKeystore(walletInput.path(KEYSTORE), walletInput.string(KEYSTORE), walletInput.secret("password"));
            case PRIVATE_KEY -> fromPrivateKey(walletInput.secret(PRIVATE_KEY));
            case DEVNET -> fromDevnet(chains, walletInput.string(DEVNET, DevnetInfo.DEFAULT_NAME),
                    (int) walletInput.number("account", 0));
            default -> throw new TeeflowException(walletInput.owner() + ": unknown wallet kind '" + kind + "'");
        };
    }

    /** Opens an encrypted V3 keystore; a wrong password gives one clear error that shows no secret. */
    public static Wallet fromKeystore(Path file, String written, Secret password) {
        if (!Files.isRegularFile(file)) {
            throw new TeeflowException("wallet: keystore file " + written + " does not exist (" + file + ")");
        }
        String address = keystoreAddress(file, written);
        try {
            Credentials c = WalletUtils.loadCredentials(password.text(), file.toFile());
            return new Wallet(c, "keystore " + written, false);
        } catch (CipherException e) {
            throw new TeeflowException("wallet: the password from " + password.source() + " does not open keystore "
                    + written + (address == null ? "" : " (address " + address + ")")
                    + "; check that secret, or use the keystore it belongs to");
        } catch (IOException | RuntimeException e) {
            throw new TeeflowException("wallet: " + written + " is not a readable Ethereum V3 keystore ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** A wallet from a raw private key (64 hex digits, 0x optional) kept in a secret. */
    public static Wallet fromPrivateKey(Secret key) {
        String hex = key.text().strip();
        String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
        if (!digits.matches("[0-9a-fA-F]{64}")) {
            throw new TeeflowException("wallet: the private key from " + key.source()
                    + " is not 32 bytes written as 64 hex digits (0x optional)");
        }
        return new Wallet(Credentials.create(digits), "private key " + key.source(), false);
    }

    /** Account {@code index} of a running devnet: a PUBLIC TEST KEY. */
    public static Wallet fromDevnet(ChainResolver chains, String devnetName, int index) {
        DevnetInfo info = chains.devnetInfo(devnetName);
        if (index < 0 || index >= info.accounts().size()) {
            throw new TeeflowException("devnet '" + devnetName + "' has " + info.accounts().size() + " accounts (0.."
                    + (info.accounts().size() - 1) + "); account " + index + " does not exist");
        }
        DevnetInfo.Account account = info.accounts().get(index);
        String digits = Numeric.cleanHexPrefix(account.privateKey() == null ? "" : account.privateKey());
        if (!digits.matches("[0-9a-fA-F]{64}")) {
            throw new TeeflowException("devnet '" + devnetName + "' account " + index + " has no valid private key in its info file");
        }
        return new Wallet(Credentials.create(digits), "devnet account " + index, true);
    }

    private static void registerKey(Redactor redactor, Wallet wallet) {
        String hex = Numeric.toHexStringNoPrefixZeroPadded(wallet.keyPair().getPrivateKey(), 64);
        redactor.register(hex);
        redactor.register("0x" + hex);
        redactor.register(Numeric.hexStringToByteArray(hex));
    }

    /** The public address a keystore declares, for error messages; null when absent. */
    private static String keystoreAddress(Path file, String written) {
        try {
            JsonNode n = JSON.readTree(file.toFile());
            JsonNode a = n == null ? null : n.get("address");
            return a == null || !a.isTextual() ? null : Numeric.prependHexPrefix(a.asText());
        } catch (IOException e) {
            throw new TeeflowException("wallet: " + written + " is not a JSON keystore file");
        }
    }
}
