package io.tidepool.agent.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads server-sent events (the watch's {@code text/event-stream}) one at a time. Comments, which
 * the server sends as heartbeats, count as hearing from it but are not events.
 */
final class EventStreamReader implements AutoCloseable {
    /** Longest data one event may carry: a compute is a few KiB; this bounds a broken stream's harm. */
    static final int MAX_DATA_CHARS = 4 * 1024 * 1024;

    /** @param id the event's revision, or null when the server sent none (an error) */
    record Event(String type, String id, String data) {
    }

    private final BufferedReader reader;
    private final Runnable heard;

    /** @param heard called for every line, heartbeats included */
    EventStreamReader(InputStream stream, Runnable heard) {
        this.reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        this.heard = heard;
    }

    /** The next event; null when the stream ended. */
    Event next() throws IOException {
        String type = "message";
        String id = null;
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            heard.run();
            if (line.isEmpty()) {
                if (data != null) {
                    return new Event(type, id, data.toString());
                }
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
            switch (field) {
                case "event" -> type = value;
                case "id" -> id = value;
                case "data" -> {
                    data = data == null ? new StringBuilder() : data.append('\n');
                    if (data.length() + value.length() > MAX_DATA_CHARS) {
                        throw new IOException("an event of the watch carries more than " + MAX_DATA_CHARS + " characters");
                    }
                    data.append(value);
                }
                default -> {
                    // the format lets servers add fields; a watch has no others
                }
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
