package io.tidepool.server.api;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Starts a server-sent event stream as Javalin's SseHandler does, minus its check for
 * {@code Accept: text/event-stream}: a watch is always an event stream, so {@code curl ...?watch=true}
 * works as it does against Kubernetes, and so do the console's live views.
 */
public final class EventStreamStart {

    private EventStreamStart() {
    }

    public static void begin(Context ctx) {
        HttpServletResponse response = ctx.res();
        response.setStatus(200);
        response.setCharacterEncoding("UTF-8");
        response.setContentType("text/event-stream");
        response.addHeader("Cache-Control", "no-cache");
        response.addHeader("X-Accel-Buffering", "no");
        try {
            response.flushBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
