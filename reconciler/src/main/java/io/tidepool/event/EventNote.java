package io.tidepool.event;

import io.tidepool.api.resource.Event;
import java.time.Instant;

/**
 * Something a controller did or saw, to be kept as an {@link Event} of the object it happened to.
 *
 * @param involved the object, as {@code Kind/name}
 * @param reason   one CamelCase word, as Kubernetes events have ({@code Upscaled}, {@code Migrated})
 * @param message  what happened and why, as the controller explained it
 */
public record EventNote(String involved, Event.Type type, String reason, String message, Instant at) {
    public EventNote {
        if (involved == null || type == null || reason == null || message == null || at == null) {
            throw new IllegalArgumentException("an event needs its object, type, reason, message and time");
        }
    }

    public static EventNote normal(String involved, String reason, String message, Instant at) {
        return new EventNote(involved, Event.Type.Normal, reason, message, at);
    }

    public static EventNote warning(String involved, String reason, String message, Instant at) {
        return new EventNote(involved, Event.Type.Warning, reason, message, at);
    }
}
