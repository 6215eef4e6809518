package dev.teeflow.devnet;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * {@code devnet.json}: what a running devnet offers, read by steps that target it. Its fields are a contract with
 * other code (the actions' devnet target): do not rename them. The keys are the devnet's PUBLIC TEST KEYS.
 */
@JsonPropertyOrder({"name", "chainId", "rpc", "hub", "appRegistry", "datasetRegistry", "workerpoolRegistry", "rlc",
        "sms", "market", "ipfsGateway", "ipfsNode", "gitHost", "workerpool", "workerpoolApi", "accounts"})
@JsonIgnoreProperties(value = "ipfsNode", allowGetters = true)
public record DevnetInfo(String name, long chainId, String rpc, String hub, String appRegistry,
                         String datasetRegistry, String workerpoolRegistry, String rlc, String sms, String market,
                         String ipfsGateway, String gitHost, String workerpool, String workerpoolApi,
                         List<Account> accounts) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A dev account; {@code privateKey} is a PUBLIC TEST KEY (anvil's default mnemonic). */
    @JsonPropertyOrder({"address", "privateKey", "role"})
    public record Account(String address, String privateKey, String role) {
    }

    public DevnetInfo {
        accounts = List.copyOf(accounts);
    }

    /**
     * Where the iExec SDK uploads to IPFS ({@code POST /api/v0/add}): the devnet's storage is IPFS node and gateway
     * at one URL. Written to devnet.json (after ipfsGateway) for tools that read it; not a field of its own.
     */
    @JsonProperty("ipfsNode")
    public String ipfsNode() {
        return ipfsGateway;
    }

    /** The first account with this role ("deployer", "workerpool-owner", "worker", "user"). */
    public Account account(String role) {
        return accounts.stream().filter(a -> a.role().equals(role)).findFirst()
                .orElseThrow(() -> new DevnetException("devnet.json has no account with role " + role));
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new DevnetException("cannot serialise devnet.json", e);
        }
    }

    /** Writes atomically (temp + rename): readers never see half a file. */
    public void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".devnet-", ".tmp");
            Files.writeString(tmp, toJson() + "\n");
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new DevnetException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static DevnetInfo read(Path file) {
        try {
            return JSON.readValue(file.toFile(), DevnetInfo.class);
        } catch (IOException e) {
            throw new DevnetException("cannot read " + file + " (" + e.getMessage() + "): is the devnet up? "
                    + "Run `teeflow devnet up`", e);
        }
    }
}
