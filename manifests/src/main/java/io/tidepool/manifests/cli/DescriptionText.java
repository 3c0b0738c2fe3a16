package io.tidepool.manifests.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidepool.api.codec.ResourceJson;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.manifests.describe.Description;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code describe} view, laid out like {@code kubectl describe}: identity, spec and status as
 * stored, conditions with their age, the computes that belong to the object, scaling decisions and
 * events. Spec and status are rendered from the object's JSON form, field names as manifests spell
 * them, so every kind and every new field shows without code here. Ages count to the given {@code now}.
 */
final class DescriptionText {
    private static final String NONE = "<none>";
    /** Status fields that have sections of their own. */
    private static final List<String> OWN_SECTIONS = List.of("conditions", "lastDecision");

    private DescriptionText() {
    }

    static String render(Description description, Instant now) {
        Resource object = description.object();
        ObjectNode tree = tree(object);
        StringBuilder out = new StringBuilder();
        JsonNode meta = tree.path("metadata");
        Block identity = new Block(0);
        identity.add("Name", object.name());
        identity.add("Kind", object.kind().displayName());
        identity.add("Labels", pairs(meta.path("labels")));
        identity.add("Annotations", pairs(meta.path("annotations")));
        identity.add("Created", meta.hasNonNull("creationTimestamp") ? toSeconds(meta.get("creationTimestamp"))
                + " (" + age(meta.get("creationTimestamp"), now) + " ago)" : NONE);
        identity.add("Revision", meta.path("resourceVersion").asText(NONE));
        identity.appendTo(out);
        fields(out, "Spec", tree.path("spec"));
        JsonNode status = tree.path("status").deepCopy();
        if (status instanceof ObjectNode statusFields) {
            statusFields.remove(OWN_SECTIONS);
        }
        fields(out, "Status", status);
        conditions(out, tree.at("/status/conditions"), now);
        if (object.kind() == Kind.ENDPOINT || object.kind() == Kind.HOST) {
            computes(out, description.computes(), now);
        }
        if (object.kind() == Kind.ENDPOINT || object.kind() == Kind.COMPUTE) {
            scaling(out, tree.at("/status/lastDecision"), description, now);
        }
        events(out, description.events(), now);
        return out.toString();
    }

    private static void fields(StringBuilder out, String title, JsonNode node) {
        if (!node.isObject() || node.isEmpty()) {
            out.append(title).append(":  ").append(NONE).append('\n');
            return;
        }
        out.append(title).append(":\n");
        nested(out, node, 2);
    }

    /** An object's fields in order, one per line, values aligned; nested objects indented under their name. */
    private static void nested(StringBuilder out, JsonNode node, int indent) {
        int width = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!isNested(field.getValue())) {
                width = Math.max(width, field.getKey().length() + 1);
            }
        }
        String pad = " ".repeat(indent);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey() + ":";
            if (isNested(field.getValue())) {
                out.append(pad).append(key).append('\n');
                nested(out, field.getValue(), indent + 2);
            } else {
                out.append(pad).append(key).append(" ".repeat(width - key.length() + 2))
                        .append(scalar(field.getValue())).append('\n');
            }
        }
    }

    private static boolean isNested(JsonNode value) {
        return value.isObject() && !value.isEmpty();
    }

    private static void conditions(StringBuilder out, JsonNode conditions, Instant now) {
        if (!conditions.isArray() || conditions.isEmpty()) {
            out.append("Conditions:  ").append(NONE).append('\n');
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("TYPE", "STATUS", "REASON", "AGE", "MESSAGE"));
        for (JsonNode c : conditions) {
            rows.add(List.of(text(c, "type"), text(c, "status"), text(c, "reason"), age(c.get("lastTransitionTime"), now),
                    text(c, "message")));
        }
        table(out, "Conditions", rows);
    }

    private static void computes(StringBuilder out, List<Resource> computes, Instant now) {
        if (computes.isEmpty()) {
            out.append("Computes:  ").append(NONE).append('\n');
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("NAME", "ENDPOINT", "HOST", "CU", "APPLIED", "ROLE", "EPOCH", "PHASE", "AGE"));
        for (Resource compute : computes) {
            JsonNode c = tree(compute);
            rows.add(List.of(compute.name(), text(c.at("/spec/endpoint")), text(c.at("/spec/host")), text(c.at("/spec/cu")),
                    text(c.at("/status/cu")), text(c.at("/spec/role")), text(c.at("/spec/epoch")),
                    text(c.at("/status/phase")), age(c.at("/metadata/creationTimestamp"), now)));
        }
        table(out, "Computes", rows);
    }

    private static void scaling(StringBuilder out, JsonNode lastChange, Description description, Instant now) {
        out.append("Scaling:\n");
        Block block = new Block(2);
        if (lastChange.isObject()) {
            block.add("Last change", text(lastChange, "explanation") + " (" + age(lastChange.get("at"), now) + " ago)");
        } else if (description.object().kind() == Kind.ENDPOINT) {
            block.add("Last change", NONE);
        }
        if (description.scalingNote() != null) {
            block.add("Latest", description.scalingNote());
        } else if (description.latestDecisions().isEmpty()) {
            block.add("Latest", "none yet: the autoscaler decides once a running compute reports metrics");
        }
        for (Description.LatestDecision decision : description.latestDecisions()) {
            block.add("Latest", decision.compute() + ": " + decision.explanation() + " [" + decision.reason() + "]");
        }
        block.appendTo(out);
        if (!description.recentDecisions().isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("AGE", "FROM", "TO", "WHY"));
            for (Description.RecentDecision decision : description.recentDecisions()) {
                rows.add(List.of(age(decision.at(), now), text(decision.fromCu()), text(decision.toCu()), decision.explanation()));
            }
            out.append("  Recent changes:\n");
            ResourceTable.layout(rows).lines().forEach(line -> out.append("    ").append(line).append('\n'));
        }
        if (!description.controllers().isEmpty()) {
            out.append("Controllers:\n");
            Block notes = new Block(2);
            description.controllers().forEach(n -> notes.add(n.controller(), n.explanation()));
            notes.appendTo(out);
        }
    }

    private static void events(StringBuilder out, List<Resource> events, Instant now) {
        if (events.isEmpty()) {
            out.append("Events:  ").append(NONE).append('\n');
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("TYPE", "REASON", "AGE", "COUNT", "MESSAGE"));
        for (Resource event : events) {
            JsonNode e = tree(event);
            rows.add(List.of(text(e.at("/spec/type")), text(e.at("/spec/reason")), age(e.at("/status/lastTimestamp"), now),
                    e.at("/status/count").asText("1"), text(e.at("/spec/message"))));
        }
        table(out, "Events", rows);
    }

    private static void table(StringBuilder out, String title, List<List<String>> rows) {
        out.append(title).append(":\n");
        ResourceTable.layout(rows).lines().forEach(line -> out.append("  ").append(line).append('\n'));
    }

    /** How long ago {@code at} was, kubectl-style: 45s, 3m12s, 2h5m, 4d. */
    static String age(JsonNode at, Instant now) {
        if (at == null || !at.isTextual()) {
            return "-";
        }
        try {
            return age(Instant.parse(at.asText()), now);
        } catch (DateTimeParseException e) {
            return "-";
        }
    }

    private static String age(Instant then, Instant now) {
        if (then == null) {
            return "-";
        }
        long seconds = Math.max(0, Duration.between(then, now).toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3_600) {
            return seconds / 60 + "m" + (seconds < 600 && seconds % 60 != 0 ? seconds % 60 + "s" : "");
        }
        if (seconds < 2 * 86_400) {
            return seconds / 3_600 + "h" + (seconds / 60 % 60 != 0 ? seconds / 60 % 60 + "m" : "");
        }
        return seconds / 86_400 + "d";
    }

    private static String toSeconds(JsonNode timestamp) {
        try {
            return Instant.parse(timestamp.asText()).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return timestamp.asText();
        }
    }

    private static String pairs(JsonNode map) {
        if (!map.isObject() || map.isEmpty()) {
            return NONE;
        }
        List<String> pairs = new ArrayList<>();
        map.fields().forEachRemaining(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
        return String.join(", ", pairs);
    }

    private static String scalar(JsonNode value) {
        if (value.isArray()) {
            boolean allScalars = true;
            for (JsonNode element : value) {
                allScalars &= element.isValueNode();
            }
            if (allScalars) {
                List<String> texts = new ArrayList<>();
                value.forEach(e -> texts.add(e.asText()));
                return texts.isEmpty() ? NONE : String.join(", ", texts);
            }
            return value.toString();
        }
        if (value.isObject()) {
            return value.isEmpty() ? NONE : value.toString();
        }
        return value.isNull() ? NONE : value.asText();
    }

    private static String text(JsonNode node, String field) {
        return text(node.get(field));
    }

    private static String text(Object value) {
        return value == null ? "-" : value.toString();
    }

    private static String text(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? "-" : node.asText();
    }

    private static ObjectNode tree(Resource resource) {
        try {
            return (ObjectNode) ResourceJson.mapper().readTree(ResourceJson.encode(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code key: value} lines whose values start in one column. */
    private static final class Block {
        private final int indent;
        private final List<String[]> lines = new ArrayList<>();

        Block(int indent) {
            this.indent = indent;
        }

        void add(String key, String value) {
            lines.add(new String[] {key + ":", value});
        }

        void appendTo(StringBuilder out) {
            int width = lines.stream().mapToInt(l -> l[0].length()).max().orElse(0) + 2;
            String pad = " ".repeat(indent);
            out.append(lines.stream()
                    .map(l -> (pad + l[0] + " ".repeat(width - l[0].length()) + l[1]).stripTrailing() + "\n")
                    .collect(Collectors.joining()));
            lines.clear();
        }
    }
}
