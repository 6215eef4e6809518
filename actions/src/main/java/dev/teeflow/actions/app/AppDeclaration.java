package dev.teeflow.actions.app;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.InputValues;
import dev.teeflow.engine.config.MapReader;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.StepSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One app of an {@code app:} section ({@code app.checker}) while its parts are read: its name, its
 * block, and helpers that give every part the same addressing and input conventions.
 */
public final class AppDeclaration {
    private final String name;
    private final ConfigNode node;
    private final MapReader reader;
    private final Problems problems;
    private final ConfigNode root;

    AppDeclaration(String name, ConfigNode node, MapReader reader, Problems problems) {
        this(name, node, reader, problems, null);
    }

    AppDeclaration(String name, ConfigNode node, MapReader reader, Problems problems, ConfigNode root) {
        this.name = name;
        this.node = node;
        this.reader = reader;
        this.problems = problems;
        this.root = root;
    }

    /** The whole pipeline file, for parts that read {@code target:} and {@code wallet:} (chain steps). */
    public ConfigNode root() {
        return root;
    }

    public String name() {
        return name;
    }

    public ConfigNode node() {
        return node;
    }

    public Problems problems() {
        return problems;
    }

    /** The block of a part ({@code build:}, {@code push:}); marks the key as known. */
    public Optional<ConfigNode> block(String key) {
        return reader.node(key);
    }

    public boolean has(String key) {
        return reader.has(key);
    }

    /** The address of this app's step {@code part}: {@code app.checker.push}. */
    public String address(String part) {
        return "app." + name + "." + part;
    }

    /** A reference to another part's output, such as {@code ${{ app.checker.build.image-id }}}. */
    public Ref ref(String part, String output) {
        return new Ref(address(part), output);
    }

    /** A local repository name derived from the app name (Docker wants lowercase). */
    public String localRepository() {
        return "teeflow-app/" + name.toLowerCase(java.util.Locale.ROOT);
    }

    /** Copies the written value of each key (resolved into input values) from {@code r} into {@code inputs}. */
    public void copy(MapReader r, Map<String, Object> inputs, String... keys) {
        for (String key : keys) {
            r.node(key).ifPresent(n -> inputs.put(key, InputValues.read(n, problems)));
        }
    }

    /** A step declared at {@code block} (or at the app when the block is absent). */
    public StepSpec step(String part, String type, Map<String, Object> inputs, ConfigNode block) {
        ConfigNode at = block != null ? block : node;
        return new StepSpec(address(part), type, new LinkedHashMap<>(inputs), Set.of(), false, at.location(), at);
    }
}
