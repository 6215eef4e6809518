package dev.teeflow.engine.spi;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.secret.Secret;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A step's inputs with every reference resolved: other steps' outputs are values, secret references
 * are {@link Secret}s. Values are {@link String}, {@link Boolean}, {@link Long}, {@link BigDecimal},
 * {@code null}, lists, maps and {@link Secret}.
 *
 * <p>Getters throw {@link TeeflowException} naming the step and field when a value is missing or of
 * the wrong type, so a step type can read its inputs without defensive code.
 */
public final class Inputs {
    private final String owner;
    private final Path projectDir;
    private final Map<String, Object> values;
    private final boolean pathsMayLeaveProject;

    private Inputs(String owner, Path projectDir, Map<String, Object> values, boolean pathsMayLeaveProject) {
        this.owner = owner;
        this.projectDir = projectDir.toAbsolutePath().normalize();
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.pathsMayLeaveProject = pathsMayLeaveProject;
    }

    /**
     * Inputs of step {@code owner} (used in error messages) whose relative paths resolve against
     * {@code projectDir} and must stay inside it.
     */
    public static Inputs of(String owner, Path projectDir, Map<String, Object> values) {
        return new Inputs(owner, projectDir, values, false);
    }

    /** The same, but paths may point outside the project (a pipeline that explicitly allows it). */
    public static Inputs allowingOutsidePaths(String owner, Path projectDir, Map<String, Object> values) {
        return new Inputs(owner, projectDir, values, true);
    }

    public String owner() {
        return owner;
    }

    public Path projectDir() {
        return projectDir;
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public boolean has(String key) {
        return values.get(key) != null;
    }

    public Object raw(String key) {
        return values.get(key);
    }

    public String string(String key) {
        return optionalString(key).orElseThrow(() -> missing(key));
    }

    public String string(String key, String fallback) {
        return optionalString(key).orElse(fallback);
    }

    public Optional<String> optionalString(String key) {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Secret) {
            throw wrongType(key, "a plain value, not a secret");
        }
        if (v instanceof Map || v instanceof List) {
            throw wrongType(key, "a single value");
        }
        return Optional.of(v.toString());
    }

    public boolean bool(String key, boolean fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equals("true") || s.equals("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw wrongType(key, "true or false");
    }

    public long number(String key, long fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof BigDecimal d) {
            return d.longValueExact();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw wrongType(key, "a whole number");
    }

    /** A list of plain values as strings; a single value counts as a one-item list. */
    public List<String> strings(String key) {
        Object v = values.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object item : list) {
                if (item instanceof Secret || item instanceof Map || item instanceof List) {
                    throw wrongType(key, "a list of plain values");
                }
                out.add(String.valueOf(item));
            }
            return out;
        }
        if (v instanceof Secret) {
            throw wrongType(key, "a plain value, not a secret");
        }
        return List.of(v.toString());
    }

    /** A nested map of inputs, as Inputs of its own; empty Inputs when absent. */
    public Inputs child(String key) {
        Object v = values.get(key);
        if (v == null) {
            return new Inputs(owner, projectDir, Map.of(), pathsMayLeaveProject);
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> m = new LinkedHashMap<>();
            map.forEach((k, val) -> m.put(String.valueOf(k), val));
            return new Inputs(owner, projectDir, m, pathsMayLeaveProject);
        }
        throw wrongType(key, "a map");
    }

    public List<Object> list(String key) {
        Object v = values.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return Collections.unmodifiableList(new ArrayList<>(l));
        }
        throw wrongType(key, "a list");
    }

    public Secret secret(String key) {
        return optionalSecret(key).orElseThrow(() -> missing(key));
    }

    public Optional<Secret> optionalSecret(String key) {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Secret s) {
            return Optional.of(s);
        }
        throw wrongType(key, "a secret reference (env:NAME, file:PATH)");
    }

    /** A file or folder path, resolved against the project folder, that may not leave it. */
    public Path path(String key) {
        return resolvePath(key, string(key));
    }

    public Optional<Path> optionalPath(String key) {
        return optionalString(key).map(p -> resolvePath(key, p));
    }

    /** Resolves {@code written} (relative to the project) as the value of field {@code key}. */
    public Path resolvePath(String key, String written) {
        Path resolved = projectDir.resolve(written).normalize();
        if (!pathsMayLeaveProject && !resolved.startsWith(projectDir)) {
            throw new TeeflowException(owner + ": " + key + ": path '" + written
                    + "' leaves the project folder " + projectDir + " (set 'allow-outside-paths: true' to allow it)");
        }
        if (!pathsMayLeaveProject) {
            ProjectContainment.escape(projectDir, resolved).ifPresent(why -> {
                throw new TeeflowException(owner + ": " + key + ": path '" + written + "' leaves the project folder "
                        + "through a symbolic link: " + why + " (set 'allow-outside-paths: true' to allow it)");
            });
        }
        return resolved;
    }

    private TeeflowException missing(String key) {
        return new TeeflowException(owner + ": missing input '" + key + "'");
    }

    private TeeflowException wrongType(String key, String expected) {
        return new TeeflowException(owner + ": input '" + key + "' must be " + expected);
    }

    @Override
    public String toString() {
        return "Inputs(" + owner + ", " + values.keySet() + ")";
    }
}
