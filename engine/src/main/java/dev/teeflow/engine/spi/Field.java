package dev.teeflow.engine.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One input of a step type, as its {@link StepSchema} declares it: name, kind, required or default, a
 * one-line doc. Immutable; each {@code with...} call returns a changed copy, so declarations read as
 * {@code Field.path("file").required().contentInKey().doc("the plaintext")}.
 */
public final class Field {
    private final String name;
    private final FieldKind kind;
    private final boolean required;
    private final Object defaultValue;
    private final String doc;
    private final boolean contentInKey;
    private final boolean unkeyed;
    private final boolean namesOutputs;
    private final FieldKind itemKind;
    private final List<Field> fields;
    private final List<String> choices;

    private Field(String name, FieldKind kind, boolean required, Object defaultValue, String doc, boolean contentInKey,
                  boolean unkeyed, boolean namesOutputs, FieldKind itemKind, List<Field> fields, List<String> choices) {
        this.name = name;
        this.kind = kind;
        this.required = required;
        this.defaultValue = defaultValue;
        this.doc = doc;
        this.contentInKey = contentInKey;
        this.unkeyed = unkeyed;
        this.namesOutputs = namesOutputs;
        this.itemKind = itemKind;
        this.fields = List.copyOf(fields);
        this.choices = List.copyOf(choices);
    }

    public static Field of(String name, FieldKind kind) {
        return new Field(name, kind, false, null, "", false, false, false, FieldKind.ANY, List.of(), List.of());
    }

    public static Field text(String name) {
        return of(name, FieldKind.TEXT);
    }

    public static Field path(String name) {
        return of(name, FieldKind.PATH);
    }

    public static Field secret(String name) {
        return of(name, FieldKind.SECRET);
    }

    public static Field number(String name) {
        return of(name, FieldKind.NUMBER);
    }

    public static Field bool(String name) {
        return of(name, FieldKind.BOOL);
    }

    /** A list whose items are {@code items}; a single value counts as a one-item list. */
    public static Field list(String name, FieldKind items) {
        return of(name, FieldKind.LIST).withItems(items);
    }

    /** A map of free names to values of kind {@code values}. */
    public static Field map(String name, FieldKind values) {
        return of(name, FieldKind.MAP).withItems(values);
    }

    /** A map of exactly these fields (others are unknown). */
    public static Field block(String name, Field... fields) {
        return of(name, FieldKind.MAP).withFields(List.of(fields));
    }

    public static Field reference(String name) {
        return of(name, FieldKind.REFERENCE);
    }

    private Field copy(boolean required, Object defaultValue, String doc, boolean contentInKey, boolean unkeyed,
                       boolean namesOutputs, FieldKind itemKind, List<Field> fields, List<String> choices) {
        return new Field(name, kind, required, defaultValue, doc, contentInKey, unkeyed, namesOutputs, itemKind, fields,
                choices);
    }

    public Field required() {
        return copy(true, null, doc, contentInKey, unkeyed, namesOutputs, itemKind, fields, choices);
    }

    /** The value a step uses when the field is not written (for docs and {@link StepSchema#valueOf}). */
    public Field withDefault(Object value) {
        return copy(false, value, doc, contentInKey, unkeyed, namesOutputs, itemKind, fields, choices);
    }

    public Field doc(String line) {
        return copy(required, defaultValue, line, contentInKey, unkeyed, namesOutputs, itemKind, fields, choices);
    }

    /** For a path (or a list of paths): the file's or folder's content enters the step's cache key. */
    public Field contentInKey() {
        return copy(required, defaultValue, doc, true, unkeyed, namesOutputs, itemKind, fields, choices);
    }

    /**
     * A limit on how the step may run (a budget), not on what it makes: it never enters the cache key, so
     * changing it never makes a done step run (or pay) again.
     */
    public Field unkeyed() {
        return copy(required, defaultValue, doc, contentInKey, true, namesOutputs, itemKind, fields, choices);
    }

    /** For a map: each of its names is also the name of one of the step's outputs. */
    public Field namesOutputs() {
        return copy(required, defaultValue, doc, contentInKey, unkeyed, true, itemKind, fields, choices);
    }

    public Field withItems(FieldKind items) {
        return copy(required, defaultValue, doc, contentInKey, unkeyed, namesOutputs, items, fields, choices);
    }

    public Field withFields(List<Field> nested) {
        return copy(required, defaultValue, doc, contentInKey, unkeyed, namesOutputs, itemKind, nested, choices);
    }

    /** For text: the only values allowed. */
    public Field oneOf(String... values) {
        return copy(required, defaultValue, doc, contentInKey, unkeyed, namesOutputs, itemKind, fields, List.of(values));
    }

    public String name() {
        return name;
    }

    public FieldKind kind() {
        return kind;
    }

    public boolean isRequired() {
        return required;
    }

    public Optional<Object> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public String doc() {
        return doc;
    }

    public boolean isContentInKey() {
        return contentInKey;
    }

    public boolean isUnkeyed() {
        return unkeyed;
    }

    public boolean namesOutputsOfStep() {
        return namesOutputs;
    }

    /** The kind of a list's items or of a free map's values ({@link FieldKind#ANY} when anything goes). */
    public FieldKind itemKind() {
        return itemKind;
    }

    /** The declared fields of a map; empty for a free map. */
    public List<Field> fields() {
        return fields;
    }

    public Optional<Field> field(String name) {
        return fields.stream().filter(f -> f.name.equals(name)).findFirst();
    }

    public List<String> choices() {
        return choices;
    }

    /** The kind as the reference docs show it: {@code list of path}, {@code map of text}, {@code text (a|b)}. */
    public String describeKind() {
        StringBuilder s = new StringBuilder(kind.word());
        if ((kind == FieldKind.LIST || kind == FieldKind.MAP) && fields.isEmpty() && itemKind != FieldKind.ANY) {
            s.append(" of ").append(itemKind.word());
        }
        if (!choices.isEmpty()) {
            s.append(" (").append(String.join(" | ", choices)).append(")");
        }
        return s.toString();
    }

    /** Names of the declared fields, for "did you mean". */
    List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        fields.forEach(f -> names.add(f.name));
        return names;
    }
}
