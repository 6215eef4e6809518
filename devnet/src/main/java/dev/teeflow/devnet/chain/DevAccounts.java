package dev.teeflow.devnet.chain;

import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

import java.util.List;

/**
 * The ten accounts anvil funds from its default mnemonic ("test test ... junk").
 *
 * <p>PUBLIC TEST KEYS: these private keys are published in Foundry's and Hardhat's documentation and
 * known to everyone. Never send real funds to these addresses, on any chain.
 */
public final class DevAccounts {
    /** Deploys PoCo and owns the hub, the registries and the RLC token. */
    public static final int DEPLOYER = 0;
    /** Owns the devnet workerpool and signs scheduler authorizations. */
    public static final int SCHEDULER = 1;
    /** The devnet worker's wallet. */
    public static final int WORKER = 2;
    /** The default user wallet (owner of apps and datasets, requester) for examples and tests. */
    public static final int USER = 3;

    private static final List<String> PUBLIC_TEST_KEYS = List.of(
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
            "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
            "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
            "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
            "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
            "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
            "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
            "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
            "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
            "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6");

    private DevAccounts() {
    }

    public static int count() {
        return PUBLIC_TEST_KEYS.size();
    }

    /** The credentials of dev account {@code index} (0..9). PUBLIC TEST KEY. */
    public static Credentials credentials(int index) {
        return Credentials.create(publicTestKey(index));
    }

    /** The private key of dev account {@code index}, 0x-prefixed. PUBLIC TEST KEY, printed on purpose. */
    public static String publicTestKey(int index) {
        if (index < 0 || index >= PUBLIC_TEST_KEYS.size()) {
            throw new IllegalArgumentException("dev account index must be 0.." + (PUBLIC_TEST_KEYS.size() - 1));
        }
        return PUBLIC_TEST_KEYS.get(index);
    }

    public static String address(int index) {
        return Keys.toChecksumAddress(credentials(index).getAddress());
    }
}
