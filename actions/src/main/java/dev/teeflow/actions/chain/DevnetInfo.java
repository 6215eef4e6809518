package dev.teeflow.actions.chain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.state.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a running local devnet tells its clients, read from
 * {@code ${TEEFLOW_HOME:-~/.teeflow}/devnet/<name>/devnet.json} (written by {@code teeflow devnet up},
 * mode 0600). The accounts are the devnet's funded test accounts: their keys are PUBLIC TEST KEYS,
 * known to everyone, and worthless anywhere else.
 *
 * @param teeFramework optional; {@code tdx} when absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DevnetInfo(String name, long chainId, String rpc, String hub, String appRegistry,
                         String datasetRegistry, String workerpoolRegistry, String rlc, String sms, String market,
                         String ipfsGateway, String gitHost, String workerpool, String teeFramework,
                         List<Account> accounts) {
    /** The devnet {@code target: devnet} means. */
    public static final String DEFAULT_NAME = "default";
    public static final String FILE_NAME = "devnet.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public DevnetInfo {
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
    }

    /** A funded devnet account. Its key is a public test key, but still never printed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Account(String address, String privateKey) {
        @Override
        public String toString() {
            return "Account(" + address + ")";
        }
    }

    /** {@code $TEEFLOW_HOME}, or {@code ~/.teeflow}. */
    public static Path home(Map<String, String> env) {
        String home = env.get("TEEFLOW_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        return Path.of(System.getProperty("user.home"), ".teeflow");
    }

    /** Where the devnet called {@code name} keeps its info file under {@code home}. */
    public static Path file(Path home, String name) {
        return home.resolve("devnet").resolve(name).resolve(FILE_NAME);
    }

    /** Reads the info file of a running devnet; a clear error when there is none. */
    public static DevnetInfo read(Path file) {
        try {
            DevnetInfo info = JSON.readValue(Files.readString(file), DevnetInfo.class);
            if (info.rpc() == null || info.hub() == null || info.sms() == null || info.chainId() <= 0) {
                throw new TeeflowException("devnet info file " + file + " lacks chainId, rpc, hub or sms;"
                        + " restart the devnet (teeflow devnet up) to rewrite it");
            }
            return info;
        } catch (NoSuchFileException e) {
            String name = file.getParent() == null ? DEFAULT_NAME : file.getParent().getFileName().toString();
            throw new TeeflowException("devnet '" + name + "' is not running: " + file + " does not exist; start it with"
                    + " '" + ChainConfig.startCommand(name) + "' or choose another target (target: arbitrum-sepolia, ...)");
        } catch (IOException e) {
            throw new TeeflowException("cannot read devnet info file " + file + ": " + e.getMessage());
        }
    }

    /** Writes this info atomically at mode 0600 (it holds the test accounts' keys). */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, JSON.writeValueAsBytes(this), true);
    }

    /** The account at {@code index}; a clear error when the devnet has fewer. */
    public Account account(int index) {
        if (index < 0 || index >= accounts.size()) {
            throw new TeeflowException("devnet '" + name + "' has " + accounts.size() + " accounts (0.."
                    + (accounts.size() - 1) + "); account " + index + " does not exist");
        }
        return accounts.get(index);
    }

    /** This devnet as a chain. */
    public ChainEntry toEntry() {
        Map<String, String> registries = new LinkedHashMap<>();
        if (appRegistry != null) {
            registries.put("app", appRegistry);
        }
        if (datasetRegistry != null) {
            registries.put("dataset", datasetRegistry);
        }
        if (workerpoolRegistry != null) {
            registries.put("workerpool", workerpoolRegistry);
        }
        return new ChainEntry(chainId, rpc, hub, Map.of(ChainConfig.ANY_FRAMEWORK, sms), market, ipfsGateway,
                workerpool, teeFramework == null ? ChainConfig.TDX : teeFramework, registries, true);
    }

    @Override
    public String toString() {
        return "DevnetInfo(" + name + ", chain " + chainId + ", " + rpc + ", " + accounts.size() + " accounts)";
    }
}
