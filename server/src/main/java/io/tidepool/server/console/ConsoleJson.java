package io.tidepool.server.console;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidepool.api.codec.ResourceJson;
import java.util.List;
import java.util.Map;

/**
 * The JSON of the console's views: the resources' own forms (CU as numbers, memory as {@code 64Gi},
 * UTC times), and, unlike the API's, every field present even when empty or null, so the pages'
 * scripts need no guard for a list that has nothing in it yet.
 */
final class ConsoleJson {
    private static final ObjectMapper MAPPER = create();

    private ConsoleJson() {
    }

    static byte[] bytes(Object view) {
        try {
            return MAPPER.writeValueAsBytes(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a console view: " + e.getOriginalMessage(), e);
        }
    }

    private static ObjectMapper create() {
        ObjectMapper mapper = ResourceJson.mapper().copy();
        mapper.setDefaultPropertyInclusion(JsonInclude.Include.ALWAYS);
        mapper.configOverride(List.class).setInclude(JsonInclude.Value.construct(JsonInclude.Include.ALWAYS, null));
        mapper.configOverride(Map.class).setInclude(JsonInclude.Value.construct(JsonInclude.Include.ALWAYS, null));
        return mapper;
    }
}
