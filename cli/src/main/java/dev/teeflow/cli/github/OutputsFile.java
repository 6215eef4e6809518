package dev.teeflow.cli.github;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Redactor;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Outputs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Step outputs for later workflow steps, appended to the file named by {@code $GITHUB_OUTPUT}: each
 * plain output as {@code <address, dots as __>__<output>}, plus friendly aliases for the values users
 * look for first. Secret outputs are never written; every value is masked all the same.
 */
final class OutputsFile {
    /** A friendly name: the first step under {@code section} that has one of {@code outputs}. */
    record Alias(String name, String section, List<String> outputs) {
    }

    static final List<Alias> ALIASES = List.of(
            new Alias("app-address", "app.", List.of("address", "app-address", "appAddress")),
            new Alias("dataset-address", "dataset.", List.of("address", "dataset-address", "datasetAddress")),
            new Alias("task-id", "run.", List.of("task-id", "taskId", "task")),
            new Alias("result-path", "run.", List.of("result-path", "resultPath", "path", "result", "dir")));

    private static final ObjectMapper JSON = new ObjectMapper();

    private OutputsFile() {
    }

    /** Output name for one step output: only letters, digits, '-' and '_' survive. */
    static String name(String address, String output) {
        return (address.replace(".", "__") + "__" + output).replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** The name/value pairs for these steps' outputs (in order), aliases last. */
    static Map<String, String> entries(Map<String, Outputs> byAddress) {
        Map<String, String> entries = new LinkedHashMap<>();
        byAddress.forEach((address, outputs) -> outputs.values().forEach((output, value) -> {
            String text = text(value);
            if (text != null) {
                entries.put(name(address, output), text);
            }
        }));
        for (Alias alias : ALIASES) {
            found:
            for (Map.Entry<String, Outputs> e : byAddress.entrySet()) {
                if (!e.getKey().startsWith(alias.section())) {
                    continue;
                }
                for (String output : alias.outputs()) {
                    String text = text(e.getValue().get(output));
                    if (text != null) {
                        entries.put(alias.name(), text);
                        break found;
                    }
                }
            }
        }
        return entries;
    }

    private static String text(Object value) {
        if (value == null || value instanceof SecretRef) {
            return null;
        }
        if (value instanceof Outputs.FileOutput f) {
            return f.path().toString();
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            try {
                return JSON.writeValueAsString(value);
            } catch (IOException e) {
                return String.valueOf(value);
            }
        }
        return String.valueOf(value);
    }

    /** All entries as one JSON object, for {@code fromJSON(steps.<id>.outputs.outputs)['<name>']}. */
    static String json(Map<String, String> entries) {
        try {
            return JSON.writeValueAsString(entries);
        } catch (IOException e) {
            throw new TeeflowException("cannot encode the step outputs as JSON: " + e.getMessage());
        }
    }

    /** Appends the entries to {@code file}, multi-line values in GitHub's heredoc form. */
    static void append(Path file, Map<String, String> entries, Redactor redactor) {
        StringBuilder sb = new StringBuilder();
        entries.forEach((name, value) -> sb.append(format(name, redactor.redact(value))));
        try {
            Files.writeString(file, sb.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new TeeflowException("cannot write the step outputs to $GITHUB_OUTPUT (" + file + "): " + e.getMessage());
        }
    }

    static String format(String name, String value) {
        if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return name + "=" + value + "\n";
        }
        String delimiter;
        do {
            delimiter = "teeflow_" + UUID.randomUUID().toString().replace("-", "");
        } while (value.contains(delimiter));
        return name + "<<" + delimiter + "\n" + value + "\n" + delimiter + "\n";
    }
}
