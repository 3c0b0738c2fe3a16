package io.tidepool.api.codec;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tidepool.api.resource.Resource;
import java.io.IOException;

/**
 * The compact JSON form of a resource, as the store keeps it and the REST API sends it. Encoding is
 * deterministic (fields in declaration order, map entries sorted), so equal objects give equal bytes.
 * Manifests written by people go through {@link ManifestCodec}, which reports positions; this form
 * is for machine-written data and reports a path.
 */
public final class ResourceJson {
    private static final ObjectMapper MAPPER = ResourceModule.configure(
            JsonMapper.builder(new JsonFactoryBuilder().characterEscapes(new YamlSafeJsonEscapes()).build()));
    private static final ObjectWriter WRITER = MAPPER.writerFor(Resource.class);
    private static final ObjectReader READER = MAPPER.readerFor(Resource.class);
    private static final ObjectReader OWN_READER = READER.without(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    private static final ClassValue<ObjectReader> READERS_BY_TYPE = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return MAPPER.readerFor(type);
        }
    };

    private ResourceJson() {
    }

    /** The configured mapper, for serializing responses with the same forms; it is shared, so do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Resource resource) {
        try {
            return WRITER.writeValueAsBytes(resource);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + resource.ref() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** @throws IllegalArgumentException saying where the JSON is wrong and what was expected there */
    public static Resource decode(byte[] json) {
        return read(READER, json, "resource");
    }

    /**
     * As {@link #decode(byte[])}, for JSON that {@link #encode} wrote (the store's values): it skips
     * the check for a field given twice, which guards input from outside and costs an eighth of
     * decoding, and a leader decodes every change of its fleet.
     */
    public static Resource decodeOwn(byte[] json) {
        return read(OWN_READER, json, "resource");
    }

    /** @throws IllegalArgumentException also when the JSON holds another kind than {@code type} */
    public static <T extends Resource> T decode(byte[] json, Class<T> type) {
        return read(READERS_BY_TYPE.get(type), json, type.getSimpleName());
    }

    /**
     * A message that is not a resource (a compute's status, an agent's heartbeat), read as strictly:
     * unknown fields, fields given twice and scalars of the wrong type are refused.
     *
     * @throws IllegalArgumentException saying where the JSON is wrong and what was expected there
     */
    public static <T> T decodeMessage(byte[] json, Class<T> type) {
        return read(READERS_BY_TYPE.get(type), json, type.getSimpleName());
    }

    private static <T> T read(ObjectReader reader, byte[] json, String what) {
        try {
            return reader.readValue(json);
        } catch (ValueInstantiationException e) {
            // A record refused its values: its own words say why, without Jackson's preamble.
            String message = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getOriginalMessage();
            throw new IllegalArgumentException("invalid " + what + " JSON" + at(e) + ": " + message, e);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException("invalid " + what + " JSON" + at(e) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            String message = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException("invalid " + what + " JSON: " + message, e);
        }
    }

    /** The path of the field a binding failed at, like {@code " at spec.compute.maxCu"}. */
    private static String at(JsonMappingException e) {
        String path = "";
        for (JsonMappingException.Reference step : e.getPath()) {
            if (step.getFieldName() != null) {
                path = FieldLocator.entry(path, step.getFieldName());
            } else if (step.getIndex() >= 0) {
                path = FieldLocator.element(path, step.getIndex());
            }
        }
        return path.isEmpty() ? "" : " at " + path;
    }
}
