package io.tidepool.api.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.tidepool.api.resource.Resource;
import java.io.IOException;

/** Writes a resource as its document: apiVersion, kind, metadata, spec, status, in that order, leaving out what is null. */
final class ResourceSerializer extends StdSerializer<Resource> {

    ResourceSerializer() {
        super(Resource.class);
    }

    @Override
    public void serialize(Resource resource, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeStartObject(resource);
        gen.writeStringField(Envelope.API_VERSION, Resource.API_VERSION);
        gen.writeStringField(Envelope.KIND, resource.kind().displayName());
        writeIfPresent(Envelope.METADATA, resource.metadata(), gen, provider);
        writeIfPresent(Envelope.SPEC, resource.spec(), gen, provider);
        writeIfPresent(Envelope.STATUS, resource.status(), gen, provider);
        gen.writeEndObject();
    }

    private static void writeIfPresent(String field, Object value, JsonGenerator gen, SerializerProvider provider)
            throws IOException {
        if (value != null) {
            provider.defaultSerializeField(field, value, gen);
        }
    }
}
