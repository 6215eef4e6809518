package dev.teeflow.cli.init;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Named starting points for {@code teeflow init --template NAME}: a language, with a dataset and a
 * requester secret, or with task args only. The other choices (TEE, target, name) keep their defaults.
 */
public final class Templates {
    public static final String DEFAULT = "python-dataset";

    private record Preset(String language, boolean dataset, String input) {
    }

    private static final Map<String, Preset> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("python-dataset", new Preset("python", true, "secret"));
        PRESETS.put("python", new Preset("python", false, "args"));
        PRESETS.put("javascript-dataset", new Preset("javascript", true, "secret"));
        PRESETS.put("javascript", new Preset("javascript", false, "args"));
    }

    private Templates() {
    }

    public static List<String> names() {
        return List.copyOf(PRESETS.keySet());
    }

    public static Optional<ScaffoldChoices> choices(String template, String name, String tee, String target) {
        Preset p = PRESETS.get(template);
        return p == null ? Optional.empty() : Optional.of(new ScaffoldChoices(name, p.language(), tee, p.dataset(), p.input(), target));
    }
}
