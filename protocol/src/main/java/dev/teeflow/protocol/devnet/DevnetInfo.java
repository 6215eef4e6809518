package dev.teeflow.protocol.devnet;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.teeflow.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code devnet.json}: what a running devnet offers its clients, written by the devnet when it is up
 * ({@code ${TEEFLOW_HOME:-~/.teeflow}/devnet/<name>/devnet.json}, mode 0600) and read by the steps that
 * target it and by {@code teeflow devnet}. The one definition of the file for both sides: its field names
 * are a contract with devnets already running, do not rename them. The accounts' keys are the devnet's
 * PUBLIC TEST KEYS (anvil's default mnemonic), known to everyone and worthless anywhere else.
 *
 * @param workerpoolApi the devnet worker's task API; absent in files of older devnets
 * @param compass the devnet's Compass (served by its workerpool API, as iExec's Compass maps a workerpool to
 *     its API); absent in files of older devnets
 * @param teeFramework the TEE the devnet's workerpool simulates; {@code tdx} when absent
 */
@JsonIgnoreProperties(value = "ipfsNode", allowGetters = true, ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "chainId", "rpc", "hub", "appRegistry", "datasetRegistry", "workerpoolRegistry", "rlc",
        "sms", "market", "ipfsGateway", "ipfsNode", "gitHost", "workerpool", "workerpoolApi", "compass", "teeFramework", "accounts"})
public record DevnetInfo(String name, long chainId, String rpc, String hub, String appRegistry,
                         String datasetRegistry, String workerpoolRegistry, String rlc, String sms, String market,
                         String ipfsGateway, String gitHost, String workerpool, String workerpoolApi,
                         String compass, String teeFramework, List<Account> accounts) {
    /** The devnet {@code target: devnet} and {@code teeflow devnet} mean. */
    public static final String DEFAULT_NAME = "default";
    public static final String FILE_NAME = "devnet.json";
    /** The framework of a file that names none. */
    public static final String DEFAULT_TEE_FRAMEWORK = "tdx";
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public DevnetInfo {
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
    }

    /**
     * A funded devnet account. Its key is a public test key, but still never printed.
     *
     * @param role what the devnet uses it for ("deployer", "workerpool-owner", "worker", "user", "spare");
     *     absent in files of older devnets
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"address", "privateKey", "role"})
    public record Account(String address, String privateKey, String role) {
        @Override
        public String toString() {
            return "Account(" + address + (role == null ? "" : ", " + role) + ")";
        }
    }

    /** A devnet's file is missing a field its readers need. */
    public static final class Incomplete extends IOException {
        Incomplete(String message) {
            super(message);
        }
    }

    /** Where the devnet called {@code name} keeps its file under the teeflow home. */
    public static Path file(Path teeflowHome, String name) {
        return teeflowHome.resolve("devnet").resolve(name).resolve(FILE_NAME);
    }

    /**
     * Reads a devnet's file.
     *
     * @throws java.nio.file.NoSuchFileException when there is none (no devnet is up)
     * @throws Incomplete when it lacks chainId, rpc, hub or sms
     */
    public static DevnetInfo read(Path file) throws IOException {
        DevnetInfo info = JSON.readValue(Files.readString(file), DevnetInfo.class);
        if (info == null || info.rpc() == null || info.hub() == null || info.sms() == null || info.chainId() <= 0) {
            throw new Incomplete(file + " lacks chainId, rpc, hub or sms");
        }
        return info;
    }

    /** The file's bytes, as the devnet writes them. */
    public byte[] toJson() {
        try {
            return (JSON.writeValueAsString(this) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("a devnet's info is always serialisable", e);
        }
    }

    /** Writes the file atomically at mode 0600 (it lists the test accounts' keys). */
    public void write(Path file) throws IOException {
        AtomicFiles.writeBytes(file, AtomicFiles.OWNER_ONLY, toJson());
    }

    /**
     * Where the iExec SDK uploads to IPFS ({@code POST /api/v0/add}): the devnet's storage is IPFS node and gateway
     * at one URL. Written to devnet.json (after ipfsGateway) for tools that read it; not a field of its own.
     */
    @JsonProperty("ipfsNode")
    public String ipfsNode() {
        return ipfsGateway;
    }

    /** The TEE framework the devnet's workerpool runs. */
    public String teeFrameworkOrDefault() {
        return teeFramework == null ? DEFAULT_TEE_FRAMEWORK : teeFramework;
    }

    /** The first account with this role ("deployer", "workerpool-owner", "worker", "user"). */
    public Account account(String role) {
        return accounts.stream().filter(a -> role.equals(a.role())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("devnet.json has no account with role " + role));
    }

    @Override
    public String toString() {
        return "DevnetInfo(" + name + ", chain " + chainId + ", " + rpc + ", " + accounts.size() + " accounts)";
    }
}
