package dev.teeflow.engine.spi;

import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.model.StepSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a step type reads and makes, declared once: its input fields and its outputs. The engine checks
 * every step against it the same way (whether written under {@code steps:} or made by a section), derives
 * the step's input files, output names and unkeyed inputs from it, and generates the reference docs and
 * the pipeline file's JSON Schema from it.
 *
 * @param doc one paragraph saying what the step does
 * @param fields the inputs, in the order the docs show them
 * @param outputs what the step produces
 * @param exactlyOne groups of fields of which exactly one must be given (such as {@code run} or {@code command})
 */
public record StepSchema(String doc, List<Field> fields, List<StepOutput> outputs, List<List<String>> exactlyOne) {
    public StepSchema {
        fields = List.copyOf(fields);
        outputs = List.copyOf(outputs);
        exactlyOne = exactlyOne.stream().map(List::copyOf).toList();
    }

    /** The schema of a type that declares none (a test's stand-in): it checks nothing and derives nothing. */
    public static final StepSchema UNDECLARED = new StepSchema("", List.of(), List.of(), List.of());

    public boolean isDeclared() {
        return this != UNDECLARED;
    }

    public static Builder builder(String doc) {
        return new Builder(doc);
    }

    public Optional<Field> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** The fields as one map block, for the nested-field walk. */
    Field asBlock() {
        return Field.of("", FieldKind.MAP).withFields(fields);
    }

    /** Records every way {@code spec}'s written inputs break this schema, each at the field's location. */
    public void check(StepSpec spec, Problems problems) {
        if (!isDeclared()) {
            return;
        }
        new SchemaCheck(spec, problems).check(this);
    }

    /** The outputs a step will have: the declared ones (those whose input is given) and those a map names. */
    public Set<String> outputNames(StepSpec spec) {
        Set<String> names = new LinkedHashSet<>();
        for (StepOutput o : outputs) {
            if (o.whenInput() == null || spec.inputs().get(o.whenInput()) != null) {
                names.add(o.name());
            }
        }
        for (Field f : fields) {
            if (f.namesOutputsOfStep() && spec.inputs().get(f.name()) instanceof Map<?, ?> m) {
                m.keySet().forEach(k -> names.add(String.valueOf(k)));
            }
        }
        return names;
    }

    /**
     * The given paths whose content enters the cache key, each named as before the schemas existed (a path
     * field by its name, a list of paths by each written path), so that no recorded key changes.
     */
    public List<InputFile> inputFiles(Inputs inputs) {
        List<InputFile> files = new ArrayList<>();
        for (Field f : fields) {
            if (!f.isContentInKey() || !inputs.has(f.name())) {
                continue;
            }
            if (f.kind() == FieldKind.LIST) {
                for (String written : inputs.strings(f.name())) {
                    files.add(InputFile.of(written, inputs.resolvePath(f.name(), written)));
                }
            } else {
                files.add(InputFile.of(f.name(), inputs.path(f.name())));
            }
        }
        return files;
    }

    /** Inputs that never enter the cache key. */
    public Set<String> unkeyedInputs() {
        Set<String> names = new LinkedHashSet<>();
        fields.stream().filter(Field::isUnkeyed).forEach(f -> names.add(f.name()));
        return names;
    }

    public static final class Builder {
        private final String doc;
        private final List<Field> fields = new ArrayList<>();
        private final List<StepOutput> outputs = new ArrayList<>();
        private final List<List<String>> exactlyOne = new ArrayList<>();

        private Builder(String doc) {
            this.doc = doc;
        }

        public Builder field(Field field) {
            fields.add(field);
            return this;
        }

        public Builder fields(List<Field> more) {
            fields.addAll(more);
            return this;
        }

        public Builder output(StepOutput output) {
            outputs.add(output);
            return this;
        }

        /** Exactly one of these fields must be given. */
        public Builder exactlyOne(String... names) {
            exactlyOne.add(List.of(names));
            return this;
        }

        public StepSchema build() {
            return new StepSchema(doc, fields, outputs, exactlyOne);
        }
    }
}
