package io.tidepool.manifests.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.tidepool.api.codec.ResourceJson;
import io.tidepool.manifests.apply.ApplyResponse;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/** The answers of {@code apply}, {@code diff} and {@code plan} for scripts: {@code -o json|yaml|name}. */
final class ResponseOutput {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private ResponseOutput() {
    }

    static String render(ApplyResponse response, OutputFormat format) {
        return switch (format) {
            case json, yaml -> render((Object) response, format);
            case name -> response.results().stream().map(r -> r.ref() + "\n").collect(Collectors.joining());
            case table -> throw new IllegalArgumentException("the table form is each verb's own");
        };
    }

    /** Any answer as indented JSON or as YAML, with the API's field names and quantity forms. */
    static String render(Object answer, OutputFormat format) {
        try {
            String json = ResourceJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(answer);
            return format == OutputFormat.yaml ? YAML.writeValueAsString(YAML.readTree(json)) : json + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write the answer as " + format + ": " + e.getOriginalMessage(), e);
        }
    }
}
