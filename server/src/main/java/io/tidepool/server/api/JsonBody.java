package io.tidepool.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.tidepool.api.codec.ResourceJson;
import io.tidepool.api.resource.Resource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Writes JSON answers with the same mapper and quantity formats as the store and the CLI. */
final class JsonBody {
    private static final ObjectMapper MAPPER = ResourceJson.mapper();

    private JsonBody() {
    }

    static void write(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode answer: " + e.getMessage(), e);
        }
    }

    static void resource(Context ctx, Resource resource) {
        ctx.status(200).contentType("application/json").result(ResourceJson.encode(resource));
    }

    /** A list as {@code {"items": [...], "revision": N, "continue": "..."}}, built without re-encoding objects. */
    static void list(Context ctx, List<Resource> items, long revision, String continueToken) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + items.size() * 512);
        out.writeBytes("{\"items\":[".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(ResourceJson.encode(items.get(i)));
        }
        out.writeBytes(("],\"revision\":" + revision).getBytes(StandardCharsets.UTF_8));
        if (continueToken != null) {
            try {
                out.writeBytes((",\"continue\":" + MAPPER.writeValueAsString(continueToken)).getBytes(StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        out.write('}');
        ctx.status(200).contentType("application/json").result(out.toByteArray());
    }

    static void error(Context ctx, int status, String message) {
        write(ctx, status, Map.of("error", message, "status", status));
    }
}
