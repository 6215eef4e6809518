package dev.teeflow.engine.config;

import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The walk every section of named blocks shares ({@code steps:}, {@code app:}, {@code dataset:}, {@code run:},
 * {@code workerpool:}, {@code orders:}): the section is a map of names to maps, and every name follows one rule,
 * the one that keeps step addresses ({@code app.<name>.build}) and references to them ({@code ${{ app.<name>.push.checksum }}})
 * valid: a letter or digit, then letters, digits, '-' and '_'.
 */
public final class NamedBlocks {
    /** The one rule for block names. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    private NamedBlocks() {
    }

    public static boolean isValidName(String name) {
        return NAME.matcher(name).matches();
    }

    /**
     * Calls {@code each} with every well-named block that is a map, in written order; records a problem for a
     * section that is not a map, a bad name and a block that is not a map.
     *
     * @param what what one block is, for messages ("app", "dataset", "step")
     * @param example a block written right, for messages ("{ checker: { build: ... } }")
     * @param fields the block's main fields, for the message when a block is not a map ("build, tee, push")
     */
    public static void forEach(ConfigNode section, Problems problems, String what, String example, String fields,
                               BiConsumer<String, ConfigNode> each) {
        if (section == null || section.isNull()) {
            return;
        }
        if (!section.isMap()) {
            problems.error(section, "expected a map of " + what + "s by name, such as " + section.path() + ": " + example
                    + ", found " + section.describeKind());
            return;
        }
        section.entries().forEach((name, block) -> {
            if (!isValidName(name)) {
                problems.error(block, what + " name '" + name + "' must start with a letter or digit and hold only letters,"
                        + " digits, '-' and '_' (" + address(section, name) + ")");
            } else if (!block.isMap()) {
                problems.error(block, "expected the " + what + "'s settings as a map (" + fields + "), found "
                        + block.describeKind());
            } else {
                each.accept(name, block);
            }
        });
    }

    private static String address(ConfigNode section, String name) {
        String safe = name.replaceAll("[^A-Za-z0-9_-]", "_").replaceFirst("^[_-]+", "");
        String shown = safe.isEmpty() ? "name" : safe;
        return section.path().equals("steps") ? "it is the step's address; dotted addresses belong to sections, such as app.<name>.build"
                : "it becomes part of step addresses such as " + section.path() + "." + shown + ".<step>";
    }
}
