package dev.teeflow.actions.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.engine.TeeflowException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads the two files chains may come from: a teeflow chains file ({@code chains: chains.yaml} in
 * the pipeline; YAML or JSON, the same map as an inline {@code chains:}) and the iExec SDK's
 * {@code chain.json} in the project folder.
 */
public final class ChainFiles {
    /** The iExec SDK's chain file, read from the project folder when present. */
    public static final String SDK_CHAIN_FILE = "chain.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChainFiles() {
    }

    /** Entries by name from a teeflow chains file. */
    public static Map<String, Map<?, ?>> readChainsFile(Path file) {
        Object doc;
        try {
            String text = Files.readString(file);
            doc = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromString(text);
        } catch (IOException e) {
            throw new TeeflowException("cannot read chains file " + file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new TeeflowException("chains file " + file + " is not valid YAML or JSON: " + firstLine(e.getMessage()));
        }
        if (doc instanceof Map<?, ?> m && m.size() == 1 && m.get("chains") instanceof Map<?, ?> inner) {
            doc = inner;
        }
        return entries(file, doc, "a map of chain name to { id, rpc, hub, sms, ... }");
    }

    /** Entries by name from an iExec SDK {@code chain.json} ({@code {"default": .., "chains": {..}}}). */
    public static Map<String, Map<?, ?>> readSdkChainJson(Path file) {
        Object doc;
        try {
            doc = JSON.readValue(Files.readString(file), Object.class);
        } catch (IOException e) {
            throw new TeeflowException("cannot read iExec SDK chain file " + file + ": " + firstLine(e.getMessage()));
        }
        Object chains = doc instanceof Map<?, ?> m ? m.get("chains") : null;
        if (chains == null) {
            return Map.of();
        }
        return entries(file, chains, "\"chains\": { name: { id, host, hub, sms, ... } }");
    }

    private static Map<String, Map<?, ?>> entries(Path file, Object doc, String expected) {
        if (!(doc instanceof Map<?, ?> map)) {
            throw new TeeflowException(file + ": expected " + expected);
        }
        Map<String, Map<?, ?>> out = new LinkedHashMap<>();
        for (var e : map.entrySet()) {
            if (e.getValue() == null) {
                out.put(String.valueOf(e.getKey()), Map.of());
            } else if (e.getValue() instanceof Map<?, ?> entry) {
                out.put(String.valueOf(e.getKey()), entry);
            } else {
                throw new TeeflowException(file + ": chain '" + e.getKey() + "' must be a map, not " + e.getValue());
            }
        }
        return out;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
