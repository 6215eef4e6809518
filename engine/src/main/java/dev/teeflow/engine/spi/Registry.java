package dev.teeflow.engine.spi;

import dev.teeflow.engine.config.Suggestions;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The step types and section types on the class path, by id. */
public final class Registry {
    private final Map<String, StepType> stepTypes;
    private final Map<String, SectionType> sectionTypes;

    private Registry(Map<String, StepType> stepTypes, Map<String, SectionType> sectionTypes) {
        this.stepTypes = Collections.unmodifiableMap(stepTypes);
        this.sectionTypes = Collections.unmodifiableMap(sectionTypes);
    }

    /** Everything {@link ServiceLoader} finds through {@code loader}. */
    public static Registry load(ClassLoader loader) {
        Map<String, StepType> steps = new TreeMap<>();
        for (StepType t : ServiceLoader.load(StepType.class, loader)) {
            steps.put(t.id(), t);
        }
        Map<String, SectionType> sections = new TreeMap<>();
        for (SectionType s : ServiceLoader.load(SectionType.class, loader)) {
            sections.put(s.key(), s);
        }
        return new Registry(steps, sections);
    }

    public static Registry load() {
        return load(Registry.class.getClassLoader());
    }

    /** A registry of exactly these types, for tests. */
    public static Registry of(Iterable<StepType> stepTypes, Iterable<SectionType> sectionTypes) {
        Map<String, StepType> steps = new TreeMap<>();
        stepTypes.forEach(t -> steps.put(t.id(), t));
        Map<String, SectionType> sections = new TreeMap<>();
        sectionTypes.forEach(s -> sections.put(s.key(), s));
        return new Registry(steps, sections);
    }

    public Optional<StepType> stepType(String id) {
        return Optional.ofNullable(stepTypes.get(id));
    }

    public Map<String, StepType> stepTypes() {
        return stepTypes;
    }

    public Map<String, SectionType> sectionTypes() {
        return sectionTypes;
    }

    public String unknownStepTypeMessage(String id) {
        return "unknown step type '" + id + "'" + Suggestions.didYouMean(id, stepTypes.keySet())
                + "; known types: " + String.join(", ", stepTypes.keySet());
    }
}
