package dev.teeflow.engine.run;

import dev.teeflow.engine.TeeflowException;
import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.Template;
import dev.teeflow.engine.secret.Secret;
import dev.teeflow.engine.secret.SecretRef;
import dev.teeflow.engine.spi.Outputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Replaces the references in a step's written inputs with values: another step's output becomes
 * its value (a file output becomes its path relative to the project), a secret reference becomes a
 * {@link Secret}.
 */
final class InputResolver {
    private final String owner;
    private final Path projectDir;
    private final Function<String, Outputs> upstreamOutputs;
    private final SecretResolver secrets;

    InputResolver(String owner, Path projectDir, Function<String, Outputs> upstreamOutputs, SecretResolver secrets) {
        this.owner = owner;
        this.projectDir = projectDir;
        this.upstreamOutputs = upstreamOutputs;
        this.secrets = secrets;
    }

    Map<String, Object> resolve(Map<String, Object> inputs) {
        Map<String, Object> out = new LinkedHashMap<>();
        inputs.forEach((k, v) -> out.put(k, value(v)));
        return out;
    }

    private Object value(Object v) {
        if (v instanceof Ref r) {
            return output(r);
        }
        if (v instanceof Template t) {
            return t.render(r -> {
                Object value = output(r);
                if (value instanceof Secret) {
                    throw new TeeflowException(owner + ": secret output " + r + " cannot be embedded in text");
                }
                return value;
            });
        }
        if (v instanceof SecretRef s) {
            return secrets.resolve(s);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), value(val)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(item -> out.add(value(item)));
            return out;
        }
        return v;
    }

    private Object output(Ref r) {
        Outputs outputs = upstreamOutputs.apply(r.address());
        if (outputs == null || !outputs.has(r.output())) {
            throw new TeeflowException(owner + ": " + r + " has no value (step " + r.address()
                    + " recorded no output '" + r.output() + "'); run it again");
        }
        Object value = outputs.get(r.output());
        if (value instanceof Outputs.FileOutput f) {
            Path abs = f.path().toAbsolutePath().normalize();
            return abs.startsWith(projectDir) ? projectDir.relativize(abs).toString() : abs.toString();
        }
        if (value instanceof SecretRef s) {
            return secrets.resolve(s);
        }
        return value;
    }
}
