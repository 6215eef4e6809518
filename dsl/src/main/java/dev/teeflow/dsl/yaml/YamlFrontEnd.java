package dev.teeflow.dsl.yaml;

import dev.teeflow.engine.config.ConfigNode;
import dev.teeflow.engine.config.Diagnostic;
import dev.teeflow.engine.config.InvalidPipelineException;
import dev.teeflow.engine.config.Problems;
import dev.teeflow.engine.config.SourceLocation;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads a YAML pipeline file into a {@link ConfigNode} tree whose every node knows its line and
 * column. Hostile input is bounded: file size, nesting depth, aliases to collections and the number
 * of nodes an alias-expanded tree may have (so a "billion laughs" file fails fast in little memory).
 */
public final class YamlFrontEnd {
    /** Largest pipeline file read, in bytes. */
    public static final long MAX_FILE_BYTES = 1L << 20;
    /** Deepest nesting of maps and lists. */
    public static final int MAX_DEPTH = 64;
    /** Aliases (*name) that point at a map or a list. */
    public static final int MAX_COLLECTION_ALIASES = 50;
    /** Nodes in the tree after aliases are expanded. */
    public static final int MAX_NODES = 200_000;
    /** Longest number, in digits; a longer one must be quoted (then it is text). */
    public static final int MAX_NUMBER_DIGITS = 100;

    /** Parses {@code file}; throws {@link InvalidPipelineException} with every problem found. */
    public ConfigNode parse(Path file) {
        Problems problems = new Problems();
        ConfigNode root = parse(file, problems);
        problems.throwIfAny();
        return root;
    }

    /**
     * Parses {@code file}, recording problems that leave a usable tree (a duplicate key) and throwing
     * for those that do not (bad syntax, too big, too deep).
     */
    public ConfigNode parse(Path file, Problems problems) {
        String text = read(file);
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file.toString())
                .setAllowDuplicateKeys(true) // reported by us, with both locations
                .setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(MAX_COLLECTION_ALIASES + 1) // ours reports first, with a line
                .setCodePointLimit((int) MAX_FILE_BYTES)
                .setUseMarks(true)
                .build();
        Node node;
        try {
            var parser = new LimitedParser(new ParserImpl(settings, new StreamReader(settings, text)), MAX_DEPTH,
                    MAX_COLLECTION_ALIASES);
            Optional<Node> single = new Composer(settings, parser).getSingleNode();
            if (single.isEmpty()) {
                throw fatal(file, 1, 1, "the file is empty; a pipeline starts with 'apiVersion: teeflow/v1'");
            }
            node = single.get();
        } catch (LimitedParser.LimitException e) {
            throw fatal(location(file, e.mark), e.getMessage());
        } catch (MarkedYamlEngineException e) {
            throw fatal(location(file, e.getProblemMark().or(e::getContextMark)), syntaxMessage(e));
        } catch (YamlEngineException e) {
            throw fatal(new SourceLocation(file, 0, 0), "cannot read YAML: " + e.getMessage());
        } catch (StackOverflowError e) {
            throw fatal(new SourceLocation(file, 0, 0), "the document nests too deeply");
        }
        return new Converter(file, problems).convert(node, "", node.getStartMark());
    }

    private static String read(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw fatal(new SourceLocation(file, 0, 0), "the file is " + size + " bytes; a pipeline file may be at most "
                        + MAX_FILE_BYTES + " bytes");
            }
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw fatal(new SourceLocation(file, 0, 0), "the file is not valid UTF-8 text");
        } catch (IOException e) {
            throw fatal(new SourceLocation(file, 0, 0), "cannot read the pipeline file: " + e);
        }
    }

    private static String syntaxMessage(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String context = e.getContext() == null ? "" : e.getContext();
        String text = context.isEmpty() ? problem : problem.isEmpty() ? context : problem + " (" + context + ")";
        return "invalid YAML: " + text;
    }

    static SourceLocation location(Path file, Optional<Mark> mark) {
        return mark.map(m -> new SourceLocation(file, m.getLine() + 1, m.getColumn() + 1))
                .orElse(new SourceLocation(file, 0, 0));
    }

    private static InvalidPipelineException fatal(Path file, int line, int column, String message) {
        return fatal(new SourceLocation(file, line, column), message);
    }

    private static InvalidPipelineException fatal(SourceLocation location, String message) {
        return new InvalidPipelineException(new Diagnostic(location, "", message));
    }

    /** Turns composed nodes into ConfigNodes; keeps a node budget because aliases share subtrees. */
    private static final class Converter {
        private final Path file;
        private final Problems problems;
        private final Map<Node, Boolean> onPath = new IdentityHashMap<>();
        private int nodes;

        Converter(Path file, Problems problems) {
            this.file = file;
            this.problems = problems;
        }

        /** {@code at} is where the value is said to be: the key's mark for maps and lists, else its own. */
        ConfigNode convert(Node node, String path, Optional<Mark> at) {
            if (++nodes > MAX_NODES) {
                throw fatal(location(file, node.getStartMark()), "the document expands to more than " + MAX_NODES
                        + " values (aliases?); write a smaller pipeline");
            }
            if (!hasItsKindsTag(node)) {
                problems.error(location(file, node.getStartMark()), path, "unsupported YAML tag '" + written(node.getTag())
                        + "'; a pipeline uses plain values, lists and maps only");
            }
            if (onPath.put(node, Boolean.TRUE) != null) {
                throw fatal(location(file, node.getStartMark()), "an alias refers to a map or list that contains it");
            }
            try {
                return switch (node) {
                    case ScalarNode s -> ConfigNode.scalar(path, location(file, s.getStartMark()), scalar(s, path));
                    case SequenceNode seq -> {
                        List<ConfigNode> items = new ArrayList<>();
                        for (Node item : seq.getValue()) {
                            String itemPath = ConfigNode.itemPath(path, items.size());
                            items.add(convert(item, itemPath, item.getStartMark()));
                        }
                        yield ConfigNode.list(path, location(file, at), items);
                    }
                    case MappingNode map -> ConfigNode.map(path, location(file, at), entries(map, path));
                    default -> throw fatal(location(file, node.getStartMark()), "unsupported YAML node");
                };
            } finally {
                onPath.remove(node);
            }
        }

        /** A map or list may carry only the tag it has anyway; scalars are checked in {@link #scalar}. */
        private static boolean hasItsKindsTag(Node node) {
            return switch (node) {
                case MappingNode m -> m.getTag().equals(Tag.MAP);
                case SequenceNode q -> q.getTag().equals(Tag.SEQ);
                default -> true;
            };
        }

        /** A tag as it is written in the file. */
        private static String written(Tag tag) {
            String value = tag.getValue();
            if (value.startsWith(Tag.PREFIX)) {
                return "!!" + value.substring(Tag.PREFIX.length());
            }
            return value.startsWith("!") ? value : "!<" + value + ">";
        }

        private Object number(ScalarNode s, String path) {
            problems.error(location(file, s.getStartMark()), path, "a number may have at most " + MAX_NUMBER_DIGITS
                    + " digits; quote it to keep it as text");
            return s.getValue();
        }

        private Map<String, ConfigNode> entries(MappingNode map, String path) {
            Map<String, ConfigNode> entries = new LinkedHashMap<>();
            Map<String, SourceLocation> keyLocations = new LinkedHashMap<>();
            for (NodeTuple tuple : map.getValue()) {
                Node keyNode = tuple.getKeyNode();
                SourceLocation keyAt = location(file, keyNode.getStartMark());
                if (!(keyNode instanceof ScalarNode keyScalar)) {
                    problems.error(keyAt, path, "a key must be a plain word, not a map or list");
                    continue;
                }
                String key = keyScalar.getValue();
                if (key.equals("<<")) {
                    problems.error(keyAt, ConfigNode.childPath(path, key), "merge keys ('<<') are not supported;"
                            + " write the entries out");
                    continue;
                }
                String childPath = ConfigNode.childPath(path, key);
                SourceLocation first = keyLocations.get(key);
                if (first != null) {
                    problems.error(keyAt, childPath, "duplicate key '" + key + "' (first written at " + first + ")");
                    continue;
                }
                keyLocations.put(key, keyAt);
                Node value = tuple.getValueNode();
                entries.put(key, convert(value, childPath, value instanceof ScalarNode ? value.getStartMark() : keyNode.getStartMark()));
            }
            return entries;
        }

        /** Core-schema scalars: strings, booleans, whole numbers (Long or BigDecimal), decimals, null. */
        private Object scalar(ScalarNode s, String path) {
            Tag tag = s.getTag();
            String text = s.getValue();
            if (tag.equals(Tag.STR)) {
                return text;
            }
            if (tag.equals(Tag.NULL)) {
                return null;
            }
            if (tag.equals(Tag.BOOL)) {
                return Boolean.parseBoolean(text.toLowerCase());
            }
            if (tag.equals(Tag.INT)) {
                // 0x... in an iExec pipeline is an address, a hash or a tag, never arithmetic: keep the text.
                String unsigned = text.startsWith("+") || text.startsWith("-") ? text.substring(1) : text;
                if (unsigned.startsWith("0x") || unsigned.startsWith("0o")) {
                    return text;
                }
                // Converting a long run of digits takes time that grows with the square of its length.
                return text.length() > MAX_NUMBER_DIGITS + 1 ? number(s, path) : integer(text);
            }
            if (tag.equals(Tag.FLOAT)) {
                if (text.length() > MAX_NUMBER_DIGITS + 1) {
                    return number(s, path);
                }
                try {
                    BigDecimal value = new BigDecimal(text);
                    // 1e999999999 is short to write and a billion digits long once written out.
                    return value.precision() > MAX_NUMBER_DIGITS || Math.abs(value.scale()) > MAX_NUMBER_DIGITS
                            ? number(s, path) : value;
                } catch (NumberFormatException e) {
                    return text; // .inf / .nan: keep the words
                }
            }
            problems.error(location(file, s.getStartMark()), path, "unsupported YAML tag '" + written(tag) + "'");
            return text;
        }

        private static Object integer(String text) {
            String t = text.replace("_", "");
            boolean negative = t.startsWith("-");
            if (t.startsWith("-") || t.startsWith("+")) {
                t = t.substring(1);
            }
            int radix = 10;
            if (t.startsWith("0x")) {
                radix = 16;
                t = t.substring(2);
            } else if (t.startsWith("0o")) {
                radix = 8;
                t = t.substring(2);
            }
            BigInteger value = new BigInteger(t, radix);
            if (negative) {
                value = value.negate();
            }
            return value.bitLength() < 64 ? (Object) value.longValue() : new BigDecimal(value);
        }
    }
}
