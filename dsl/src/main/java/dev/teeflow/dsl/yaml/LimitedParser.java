package dev.teeflow.dsl.yaml;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * Wraps the event parser and stops at a nesting depth limit and an alias limit, with the position of
 * the offending event. The composer builds nodes by recursion, so without this a file of 100,000
 * nested brackets would end in a StackOverflowError instead of a clear message.
 */
final class LimitedParser implements Parser {
    /** Thrown when the document goes past a limit. */
    static final class LimitException extends RuntimeException {
        final Optional<Mark> mark;

        LimitException(Optional<Mark> mark, String message) {
            super(message, null, false, false);
            this.mark = mark;
        }
    }

    private final Parser delegate;
    private final int maxDepth;
    private final int maxCollectionAliases;
    private final Set<String> collectionAnchors = new HashSet<>();
    private int depth;
    private int collectionAliases;

    LimitedParser(Parser delegate, int maxDepth, int maxCollectionAliases) {
        this.delegate = delegate;
        this.maxDepth = maxDepth;
        this.maxCollectionAliases = maxCollectionAliases;
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
        return delegate.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
        return delegate.peekEvent();
    }

    @Override
    public boolean hasNext() {
        return delegate.hasNext();
    }

    @Override
    public Event next() {
        Event event = delegate.next();
        switch (event.getEventId()) {
            case MappingStart, SequenceStart -> {
                if (++depth > maxDepth) {
                    throw new LimitException(event.getStartMark(), "the document nests deeper than " + maxDepth
                            + " levels; flatten the structure");
                }
                ((CollectionStartEvent) event).getAnchor().ifPresent(a -> collectionAnchors.add(a.getValue()));
            }
            case Alias -> {
                if (collectionAnchors.contains(((AliasEvent) event).getAlias().getValue())
                        && ++collectionAliases > maxCollectionAliases) {
                    throw new LimitException(event.getStartMark(), "too many aliases to maps or lists (more than "
                            + maxCollectionAliases + "); write the values out");
                }
            }
            case MappingEnd, SequenceEnd -> depth--;
            default -> {
            }
        }
        return event;
    }
}
