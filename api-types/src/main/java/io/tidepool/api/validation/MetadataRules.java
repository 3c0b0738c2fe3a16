package io.tidepool.api.validation;

import io.tidepool.api.codec.FieldLocator;
import io.tidepool.api.codec.ManifestDocument;
import io.tidepool.api.codec.ManifestError;
import io.tidepool.api.resource.ObjectMeta;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Names, labels and annotations, by the rules Kubernetes uses, so that they survive DNS, URLs and selectors. */
final class MetadataRules {
    static final int MAX_NAME_LENGTH = DnsLabel.MAX_LENGTH;
    /** Kubernetes' bound on all annotations of one object together. */
    static final int MAX_ANNOTATIONS_BYTES = 256 * 1024;
    private static final int MAX_PREFIX_LENGTH = 253;
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern QUALIFIED_NAME_PART = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    static final String DNS_LABEL_RULE = DnsLabel.RULE;
    private static final String KEY_RULE = "a key of at most 63 letters, digits, '-', '_' or '.', starting and ending with"
            + " a letter or digit, optionally after a DNS subdomain prefix and '/' (like example.com/team)";
    private static final String LABEL_VALUE_RULE =
            "a label value: empty, or at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";

    private MetadataRules() {
    }

    static void check(ManifestDocument document, List<ManifestError> errors) {
        ObjectMeta metadata = document.resource().metadata();
        if (metadata == null) {
            errors.add(document.error("metadata", "missing metadata: expected at least a name"));
            return;
        }
        checkName(document, "metadata.name", metadata.name(), errors);
        checkLabels(document, metadata.labels(), errors);
        checkAnnotations(document, metadata.annotations(), errors);
    }

    static boolean isDnsLabel(String name) {
        return DnsLabel.isValid(name);
    }

    /** A required DNS-label name at {@code field}: the object's own name, or a reference to another object. */
    static void checkName(ManifestDocument document, String field, String name, List<ManifestError> errors) {
        if (name == null || name.isEmpty()) {
            errors.add(document.error(field, "missing name: expected " + DNS_LABEL_RULE));
        } else if (!isDnsLabel(name)) {
            errors.add(document.error(field, "expected " + DNS_LABEL_RULE + ", got \"" + name + "\""
                    + nearestDnsLabel(name).map(s -> "; did you mean " + s + "?").orElse("")));
        }
    }

    /** {@code Shop_DB} is most likely meant as {@code shop-db}. */
    static Optional<String> nearestDnsLabel(String name) {
        return DnsLabel.nearest(name);
    }

    private static void checkLabels(ManifestDocument document, Map<String, String> labels, List<ManifestError> errors) {
        for (Map.Entry<String, String> label : labels.entrySet()) {
            String field = FieldLocator.entry("metadata.labels", label.getKey());
            if (!isQualifiedKey(label.getKey())) {
                errors.add(document.error(field, "expected " + KEY_RULE + ", got \"" + label.getKey() + "\""));
            }
            String value = label.getValue();
            if (!value.isEmpty() && (value.length() > MAX_NAME_LENGTH || !QUALIFIED_NAME_PART.matcher(value).matches())) {
                errors.add(document.error(field, "expected " + LABEL_VALUE_RULE + ", got \"" + value + "\""));
            }
        }
    }

    private static void checkAnnotations(ManifestDocument document, Map<String, String> annotations, List<ManifestError> errors) {
        long bytes = 0;
        for (Map.Entry<String, String> annotation : annotations.entrySet()) {
            if (!isQualifiedKey(annotation.getKey())) {
                errors.add(document.error(FieldLocator.entry("metadata.annotations", annotation.getKey()),
                        "expected " + KEY_RULE + ", got \"" + annotation.getKey() + "\""));
            }
            bytes += annotation.getKey().getBytes(StandardCharsets.UTF_8).length
                    + annotation.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > MAX_ANNOTATIONS_BYTES) {
            errors.add(document.error("metadata.annotations", "expected annotations of at most " + MAX_ANNOTATIONS_BYTES
                    + " bytes in total, got " + bytes));
        }
    }

    /** {@code name} or {@code prefix/name}, as Kubernetes label and annotation keys. */
    static boolean isQualifiedKey(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > MAX_PREFIX_LENGTH || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return false;
            }
        }
        return !name.isEmpty() && name.length() <= MAX_NAME_LENGTH && QUALIFIED_NAME_PART.matcher(name).matches();
    }
}
