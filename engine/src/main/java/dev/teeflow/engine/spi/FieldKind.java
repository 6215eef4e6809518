package dev.teeflow.engine.spi;

/** What a step input holds, as its schema declares it; the words are those error messages and docs use. */
public enum FieldKind {
    /** A plain value (text; a number or true/false written there is read as its text). */
    TEXT("text"),
    /** A file or folder, relative to the project folder. */
    PATH("path"),
    /** A secret reference: {@code env:NAME}, {@code file:PATH} or another step's secret output. */
    SECRET("secret"),
    /** A plain value or a secret reference (a user name that may be secret, a header). */
    TEXT_OR_SECRET("text or secret"),
    /** A number. */
    NUMBER("number"),
    /** {@code true} or {@code false}. */
    BOOL("bool"),
    /** A list. */
    LIST("list"),
    /** A map, of declared fields or of free names. */
    MAP("map"),
    /** Another step's output, written {@code ${{ <step>.<output> }}}. */
    REFERENCE("reference"),
    /** Anything (kept as written). */
    ANY("any");

    private final String word;

    FieldKind(String word) {
        this.word = word;
    }

    /** The kind as docs and messages name it. */
    public String word() {
        return word;
    }
}
