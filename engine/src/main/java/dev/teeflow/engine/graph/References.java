package dev.teeflow.engine.graph;

import dev.teeflow.engine.model.Ref;
import dev.teeflow.engine.model.Template;
import dev.teeflow.engine.secret.SecretRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Finds the references to other steps inside a step's written inputs. */
public final class References {
    private References() {
    }

    /** Every {@link Ref} in {@code value}, depth first, in written order. */
    public static List<Ref> in(Object value) {
        List<Ref> out = new ArrayList<>();
        collect(value, out);
        return out;
    }

    private static void collect(Object value, List<Ref> out) {
        if (value instanceof Ref r) {
            out.add(r);
        } else if (value instanceof Template t) {
            out.addAll(t.refs());
        } else if (value instanceof SecretRef s && s.scheme().equals(SecretRef.STEP)) {
            int slash = s.name().lastIndexOf('/');
            if (slash > 0) {
                out.add(new Ref(s.name().substring(0, slash), s.name().substring(slash + 1)));
            }
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> collect(v, out));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collect(v, out));
        }
    }
}
