package dev.teeflow.engine.model;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.SourceLocation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One step as the pipeline file declares it, before anything is resolved.
 *
 * <p>Input values are {@link String}, {@link Boolean}, {@link Long}, {@link java.math.BigDecimal},
 * {@code null}, {@code List<Object>}, {@code Map<String, Object>}, {@link Ref} (another step's
 * output), {@link Template} (a string with references) or {@link dev.teeflow.engine.secret.SecretRef}.
 *
 * @param address stable name of the step, such as {@code dataset.emails.encrypt}
 * @param type id of the {@link dev.teeflow.engine.spi.StepType} that runs it
 * @param inputs what the step works on; enters its cache key
 * @param needs addresses of steps that must run first although no output is referenced
 * @param always run on every apply even when up to date (a run that must happen each time)
 * @param location where the step was declared, for errors
 * @param source the written inputs, for errors that point inside them; may be {@code null}
 */
public record StepSpec(String address, String type, Map<String, Object> inputs, Set<String> needs,
                       boolean always, SourceLocation location, ConfigNode source) {
    public StepSpec {
        inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        needs = Set.copyOf(needs);
        location = location == null ? SourceLocation.UNKNOWN : location;
    }

    public static StepSpec of(String address, String type, Map<String, Object> inputs) {
        return new StepSpec(address, type, inputs, Set.of(), false, SourceLocation.UNKNOWN, null);
    }

    public StepSpec withNeeds(Set<String> moreNeeds) {
        java.util.Set<String> all = new java.util.LinkedHashSet<>(needs);
        all.addAll(moreNeeds);
        return new StepSpec(address, type, inputs, all, always, location, source);
    }
}
