package dev.teeflow.dsl.yaml;

import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;
import java.util.Optional;

/**
 * Wraps the event parser and stops at a nesting depth limit. The composer builds nodes by recursion,
 * so without this a file of 100,000 nested brackets would end in a StackOverflowError instead of a
 * clear message.
 */
final class DepthLimitedParser implements Parser {
    /** Thrown when the document nests deeper than allowed. */
    static final class TooDeepException extends RuntimeException {
        final Optional<Mark> mark;

        TooDeepException(Optional<Mark> mark, int limit) {
            super("the document nests deeper than " + limit + " levels", null, false, false);
            this.mark = mark;
        }
    }

    private final Parser delegate;
    private final int maxDepth;
    private int depth;

    DepthLimitedParser(Parser delegate, int maxDepth) {
        this.delegate = delegate;
        this.maxDepth = maxDepth;
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
                    throw new TooDeepException(event.getStartMark(), maxDepth);
                }
            }
            case MappingEnd, SequenceEnd -> depth--;
            default -> {
            }
        }
        return event;
    }
}
