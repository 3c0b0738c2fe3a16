package io.tidepool.api.codec;

import java.util.HashSet;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.Parser;

/**
 * The YAML event stream with the per-document limits of {@link ManifestLimits} enforced as events
 * pass, so that a refusal can say where it happened. SnakeYAML has limits of its own for depth and
 * aliases, but they report no position, and it counts aliases over the whole stream, which would
 * refuse a long file in which every document merges a shared default.
 */
final class BoundedEvents implements Parser {
    private final Parser events;
    private final ManifestLimits limits;
    private final Set<String> collectionAnchors = new HashSet<>();
    private int depth;
    private int collectionAliases;
    private int documents;
    private Mark lastMark;
    private Mark documentStart;

    /** A limit was reached at {@code mark}. */
    static final class LimitExceeded extends RuntimeException {
        private final transient Mark mark;

        LimitExceeded(String message, Mark mark) {
            super(message, null, false, false);
            this.mark = mark;
        }

        Mark mark() {
            return mark;
        }
    }

    BoundedEvents(Parser events, ManifestLimits limits) {
        this.events = events;
        this.limits = limits;
    }

    /** Where the last event started, for errors that come without a position; null before the first. */
    Mark lastMark() {
        return lastMark;
    }

    /** Where the current document started; null before the first. */
    Mark documentStart() {
        return documentStart;
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
        return events.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
        return events.peekEvent();
    }

    @Override
    public Event getEvent() {
        Event event = events.getEvent();
        lastMark = event.getStartMark();
        if (event instanceof DocumentStartEvent) {
            startDocument(event.getStartMark());
        } else if (event instanceof CollectionStartEvent start) {
            enterCollection(start);
        } else if (event instanceof CollectionEndEvent) {
            depth--;
        } else if (event instanceof AliasEvent alias) {
            countAlias(alias);
        } else if (event instanceof ScalarEvent scalar && scalar.getAnchor() != null) {
            collectionAnchors.remove(scalar.getAnchor()); // the name now anchors a scalar, which costs nothing to repeat
        }
        checkDocumentSize(event.getEndMark());
        return event;
    }

    /** SnakeYAML's own code point limit checks only between tokens; a single huge scalar is caught here. */
    private void checkDocumentSize(Mark end) {
        if (documentStart != null && end != null && end.getIndex() - documentStart.getIndex() > limits.maxDocumentBytes()) {
            throw new LimitExceeded(documentTooLarge(limits), documentStart);
        }
    }

    static String documentTooLarge(ManifestLimits limits) {
        return "expected a document of at most " + limits.maxDocumentBytes()
                + " characters (ManifestLimits.maxDocumentBytes), found a larger one";
    }

    private void startDocument(Mark mark) {
        documents++;
        depth = 0;
        collectionAliases = 0;
        collectionAnchors.clear();
        documentStart = mark;
        if (documents > limits.maxDocuments()) {
            throw new LimitExceeded("expected at most " + limits.maxDocuments()
                    + " documents in one file (ManifestLimits.maxDocuments), found more", mark);
        }
    }

    private void enterCollection(CollectionStartEvent start) {
        depth++;
        if (depth > limits.maxDepth()) {
            throw new LimitExceeded("expected lists and mappings nested at most " + limits.maxDepth()
                    + " deep (ManifestLimits.maxDepth), found deeper nesting", start.getStartMark());
        }
        if (start.getAnchor() != null) {
            collectionAnchors.add(start.getAnchor());
        }
    }

    private void countAlias(AliasEvent alias) {
        if (!collectionAnchors.contains(alias.getAnchor())) {
            return;
        }
        collectionAliases++;
        if (collectionAliases > limits.maxAliases()) {
            throw new LimitExceeded("expected at most " + limits.maxAliases()
                    + " aliases of lists or mappings in one document (ManifestLimits.maxAliases), found more;"
                    + " refusing what could expand exponentially (\"billion laughs\")", alias.getStartMark());
        }
    }
}
