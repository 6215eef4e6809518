package dev.teeflow.actions.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The request order's {@code params}: a JSON text, signed and stored on chain as is, so it is built
 * byte for byte the same way every time (fixed key order, no spaces, keys left out when unused, like
 * the iExec SDK): {@code iexec_args}, {@code iexec_input_files}, {@code iexec_secrets},
 * {@code iexec_result_encryption}, {@code iexec_result_storage_provider}.
 */
record RequestParams(String args, List<String> inputFiles, Map<String, String> secrets, boolean encryptResult,
                     String storageProvider) {
    private static final ObjectMapper JSON = new ObjectMapper();

    RequestParams {
        inputFiles = List.copyOf(inputFiles);
        TreeMap<String, String> sorted = new TreeMap<>(java.util.Comparator.comparingInt(Integer::parseInt));
        sorted.putAll(secrets);
        secrets = java.util.Collections.unmodifiableMap(sorted);
    }

    /** {@code args} as the worker gives them to the app: a list is joined with spaces, each item quoted when needed. */
    static String joinArgs(List<String> args) {
        StringBuilder sb = new StringBuilder();
        for (String a : args) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(a.isEmpty() || a.matches(".*[\\s\"'\\\\].*") ? quote(a) : a);
        }
        return sb.toString();
    }

    private static String quote(String a) {
        return "\"" + a.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    String toJson() {
        ObjectNode n = JSON.createObjectNode();
        if (args != null && !args.isEmpty()) {
            n.put("iexec_args", args);
        }
        if (!inputFiles.isEmpty()) {
            n.putArray("iexec_input_files").addAll(inputFiles.stream().map(JSON.getNodeFactory()::textNode).toList());
        }
        if (!secrets.isEmpty()) {
            ObjectNode s = n.putObject("iexec_secrets");
            secrets.forEach(s::put);
        }
        if (encryptResult) {
            n.put("iexec_result_encryption", true);
        }
        n.put("iexec_result_storage_provider", storageProvider == null ? "ipfs" : storageProvider);
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
