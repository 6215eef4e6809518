package dev.teeflow.devnet.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A compiled contract read from a Hardhat artifact, a hardhat-deploy deployment file or a Truffle
 * build file: its ABI, creation bytecode and library link references.
 */
final class ContractArtifact {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final JsonNode abi;
    private final String bytecode; // hex without 0x, may hold __$..$__ placeholders
    private final JsonNode linkReferences;

    private ContractArtifact(String name, JsonNode abi, String bytecode, JsonNode linkReferences) {
        this.name = name;
        this.abi = abi;
        this.bytecode = bytecode;
        this.linkReferences = linkReferences;
    }

    static ContractArtifact read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DevChainException("contract artifact " + file + " is missing: the package cache is damaged;"
                    + " delete it and start again");
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            String code = root.path("bytecode").asText("");
            if (!root.has("abi") || code.length() < 4) {
                throw new DevChainException("contract artifact " + file + " has no abi or bytecode");
            }
            String name = file.getFileName().toString().replaceFirst("\\.json$", "");
            return new ContractArtifact(name, root.get("abi"), Numeric.cleanHexPrefix(code), root.path("linkReferences"));
        } catch (IOException e) {
            throw new DevChainException("cannot read contract artifact " + file + ": " + e.getMessage(), e);
        }
    }

    String name() {
        return name;
    }

    /**
     * The creation bytecode with libraries linked.
     *
     * @param libraries fully qualified library name ("contracts/libs/X.sol:X" as in linkReferences) to address
     */
    String creationCode(Map<String, String> libraries) {
        StringBuilder code = new StringBuilder(bytecode);
        for (Map.Entry<String, JsonNode> file : linkReferences.properties()) {
            for (Map.Entry<String, JsonNode> lib : file.getValue().properties()) {
                String qualified = file.getKey() + ":" + lib.getKey();
                String address = libraries.get(qualified);
                if (address == null) {
                    throw new DevChainException(name + " needs library " + qualified + " linked, but it was not deployed");
                }
                String hex = Numeric.cleanHexPrefix(address).toLowerCase();
                for (JsonNode ref : lib.getValue()) {
                    int start = ref.get("start").asInt() * 2;
                    code.replace(start, start + ref.get("length").asInt() * 2, hex);
                }
            }
        }
        if (code.indexOf("__") >= 0) {
            throw new DevChainException(name + " still has unlinked library placeholders");
        }
        return "0x" + code;
    }

    String creationCode() {
        return creationCode(Map.of());
    }

    /** The 4-byte selectors (0x-hex) of every function in the ABI. */
    List<String> selectors() {
        List<String> out = new ArrayList<>();
        for (JsonNode entry : abi) {
            if ("function".equals(entry.path("type").asText())) {
                out.add(selector(signature(entry)));
            }
        }
        return out;
    }

    static String signature(JsonNode function) {
        List<String> types = new ArrayList<>();
        for (JsonNode input : function.path("inputs")) {
            types.add(canonicalType(input));
        }
        return function.get("name").asText() + "(" + String.join(",", types) + ")";
    }

    /** Tuples are written as their component types in parentheses, keeping any array suffix. */
    static String canonicalType(JsonNode param) {
        String type = param.get("type").asText();
        if (!type.startsWith("tuple")) {
            return type;
        }
        List<String> components = new ArrayList<>();
        for (JsonNode c : param.path("components")) {
            components.add(canonicalType(c));
        }
        return "(" + String.join(",", components) + ")" + type.substring("tuple".length());
    }

    static String selector(String signature) {
        return Numeric.toHexString(Hash.sha3(signature.getBytes(StandardCharsets.UTF_8)), 0, 4, true);
    }
}
