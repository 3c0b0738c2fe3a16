package io.tidepool.api.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Teaches Jackson Tidepool's text forms: quantities, days, times and zones as {@link ScalarForm}
 * writes them, resources inside their apiVersion/kind envelope, enums by their declared spelling.
 * Every mapper that writes resources (JSON, YAML, the server's responses) is built by {@link #configure}.
 */
final class ResourceModule extends SimpleModule {

    private ResourceModule() {
        super("tidepool-resources");
        for (ScalarForm<?> form : ScalarForm.ALL) {
            addForm(form);
        }
        addSerializer(Resource.class, new ResourceSerializer());
        addDeserializer(Resource.class, new ResourceDeserializer(null));
        for (Kind kind : Kind.values()) {
            addKindDeserializer(kind);
        }
    }

    /** The builder with the module and the strict, deterministic settings every Tidepool mapper shares. */
    static <M extends ObjectMapper, B extends MapperBuilder<M, B>> M configure(B builder) {
        return builder
                .addModule(new ResourceModule())
                // FAIL_ON_NULL_FOR_PRIMITIVES stays off: Jackson cannot tell an explicit null from an absent
                // field, and an absent revision or counter must read as zero.
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                        DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS, DeserializationFeature.READ_ENUMS_USING_TO_STRING,
                        DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING, SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .withConfigOverride(Map.class, o -> o.setInclude(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, null)))
                .withConfigOverride(List.class, o -> o.setInclude(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, null)))
                .addMixIn(ObjectMeta.class, UnsavedRevisionsOmitted.class)
                .build();
    }

    /** An object not yet stored has revision 0; writing that out would only be noise in every manifest. */
    private abstract static class UnsavedRevisionsOmitted {
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        abstract long resourceVersion();

        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        abstract long createRevision();
    }

    private <T> void addForm(ScalarForm<T> form) {
        addSerializer(form.type(), new FormSerializer<>(form));
        addDeserializer(form.type(), new FormDeserializer<>(form));
    }

    @SuppressWarnings("unchecked")
    private void addKindDeserializer(Kind kind) {
        addDeserializer((Class<Resource>) kind.type(), new ResourceDeserializer(kind));
    }

    private static final class FormSerializer<T> extends StdSerializer<T> {
        private final transient ScalarForm<T> form;

        FormSerializer(ScalarForm<T> form) {
            super(form.type());
            this.form = form;
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            String text = form.format(value);
            if (form.writesAsNumber(text)) {
                gen.writeNumber(text);
            } else {
                gen.writeString(text);
            }
        }
    }

    /** Parses from the token's text, so that a number never passes through a double on its way in. */
    private static final class FormDeserializer<T> extends StdDeserializer<T> {
        private final transient ScalarForm<T> form;

        FormDeserializer(ScalarForm<T> form) {
            super(form.type());
            this.form = form;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                return ctxt.reportInputMismatch(this, "expected %s, got %s", form.expected(), describe(token));
            }
            String text = p.getText();
            try {
                return form.parse(text);
            } catch (IllegalArgumentException e) {
                throw InvalidFormatException.from(p, e.getMessage(), text, form.type());
            }
        }
    }

    /** A token as "got ..." names it. */
    static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "a list";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_NULL -> "null";
            case VALUE_STRING -> "a string";
            default -> "the token " + token;
        };
    }
}
