package dev.teeflow.engine.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The steps a section's block makes, in order, for {@link SectionType#makes()}. */
public final class SectionSteps {
    private SectionSteps() {
    }

    /** Pairs of address pattern and step type id, kept in the written order. */
    public static Map<String, String> of(String... addressAndType) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < addressAndType.length; i += 2) {
            out.put(addressAndType[i], addressAndType[i + 1]);
        }
        return Collections.unmodifiableMap(out);
    }
}
