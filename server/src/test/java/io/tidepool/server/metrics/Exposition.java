package io.tidepool.server.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A scrape of {@code /metrics}, read strictly as the Prometheus text format 0.0.4: every sample
 * belongs to a family declared by a TYPE line before it, a family's lines are together, names and
 * label values are well formed and escaped, no series appears twice, and every histogram's
 * buckets are cumulative up to an {@code +Inf} bucket equal to its count. Anything else is an
 * {@link IllegalArgumentException} naming the line. Test code: the Prometheus Java client writes
 * this format but has no reader for it.
 */
public final class Exposition {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample: its name as written (a histogram's {@code _bucket}, {@code _sum}, {@code _count} included). */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final Map<String, String> types = new LinkedHashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    private Exposition() {
    }

    public static Exposition parse(String text) {
        Exposition exposition = new Exposition();
        exposition.read(text);
        exposition.checkHistograms();
        return exposition;
    }

    /** The families and their types, in the order the scrape declared them. */
    public Map<String, String> types() {
        return types;
    }

    public List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The value of the series with exactly these labels ({@code "name", "value", ...}), if it is there. */
    public Optional<Double> value(String name, String... labels) {
        Map<String, String> wanted = labelsOf(labels);
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(wanted))
                .map(Sample::value).findFirst();
    }

    /** As {@link #value}, failing when the series is not there. */
    public double valueOf(String name, String... labels) {
        return value(name, labels).orElseThrow(() -> new AssertionError("no series " + name + labelsOf(labels)));
    }

    /** The value of the series, or 0 when it is absent (a counter not yet incremented in this term). */
    public double valueOrZero(String name, String... labels) {
        return value(name, labels).orElse(0.0);
    }

    /** The sum of every series of {@code name} whose labels include these. */
    public double sum(String name, String... labels) {
        Map<String, String> wanted = labelsOf(labels);
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(wanted.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    private static Map<String, String> labelsOf(String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            map.put(labels[i], labels[i + 1]);
        }
        return map;
    }

    private void read(String text) {
        Set<String> helped = new HashSet<>();
        Set<String> closed = new HashSet<>();
        Set<String> series = new HashSet<>();
        String open = null;
        String[] lines = text.split("\n", -1);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition does not end with a line feed");
        }
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int number = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ", 2);
                String family = name(parts[0], number);
                if (line.startsWith("# HELP ")) {
                    require(helped.add(family), number, "a second HELP for " + family);
                    continue;
                }
                require(parts.length == 2 && TYPES.contains(parts[1]), number, "unknown type in: " + line);
                require(!types.containsKey(family), number, "a second TYPE for " + family);
                require(!closed.contains(family), number, family + " declared after its samples");
                types.put(family, parts[1]);
                if (open != null) {
                    closed.add(open);
                }
                open = family;
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            Sample sample = sample(line, number);
            String family = familyOf(sample.name());
            require(family != null, number, "a sample of no declared family: " + sample.name());
            require(family.equals(open), number, sample.name() + " is apart from the rest of its family " + family);
            require(series.add(sample.name() + sample.labels()), number, "a second sample of " + sample.name() + sample.labels());
            samples.add(sample);
        }
    }

    private String familyOf(String sample) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (sample.endsWith(suffix)) {
                String family = sample.substring(0, sample.length() - suffix.length());
                if ("histogram".equals(types.get(family)) || "summary".equals(types.get(family)) && !suffix.equals("_bucket")) {
                    return family;
                }
            }
        }
        return null;
    }

    private static Sample sample(String line, int number) {
        int at = 0;
        while (at < line.length() && line.charAt(at) != '{' && line.charAt(at) != ' ') {
            at++;
        }
        String name = name(line.substring(0, at), number);
        Map<String, String> labels = new TreeMap<>();
        if (at < line.length() && line.charAt(at) == '{') {
            at = labels(line, at + 1, labels, number);
        }
        require(at < line.length() && line.charAt(at) == ' ', number, "no value after " + name);
        String[] rest = line.substring(at + 1).trim().split(" +");
        require(rest.length == 1 || rest.length == 2 && rest[1].matches("-?\\d+"), number, "not a value [timestamp]: " + line);
        return new Sample(name, labels, number(rest[0], number));
    }

    /** Reads labels up to the closing brace; returns the index after it. */
    private static int labels(String line, int at, Map<String, String> labels, int number) {
        while (true) {
            require(at < line.length(), number, "unterminated labels");
            if (line.charAt(at) == '}') {
                return at + 1;
            }
            int equals = line.indexOf('=', at);
            require(equals > at, number, "a label without a value");
            String label = line.substring(at, equals);
            require(LABEL_NAME.matcher(label).matches(), number, "bad label name " + label);
            require(equals + 1 < line.length() && line.charAt(equals + 1) == '"', number, "an unquoted value of " + label);
            StringBuilder value = new StringBuilder();
            int i = equals + 2;
            for (; i < line.length() && line.charAt(i) != '"'; i++) {
                char c = line.charAt(i);
                if (c == '\\') {
                    require(i + 1 < line.length(), number, "an escape at the end of the line");
                    char next = line.charAt(++i);
                    require(next == '\\' || next == '"' || next == 'n', number, "an unknown escape \\" + next);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
            }
            require(i < line.length(), number, "an unterminated value of " + label);
            require(labels.put(label, value.toString()) == null, number, "label " + label + " twice");
            at = i + 1;
            if (at < line.length() && line.charAt(at) == ',') {
                at++;
            }
        }
    }

    private void checkHistograms() {
        types.forEach((family, type) -> {
            if (!type.equals("histogram")) {
                return;
            }
            Map<Map<String, String>, TreeMap<Double, Double>> buckets = new HashMap<>();
            for (Sample bucket : samples(family + "_bucket")) {
                Map<String, String> labels = new TreeMap<>(bucket.labels());
                String le = labels.remove("le");
                if (le == null) {
                    throw new IllegalArgumentException(family + "_bucket" + bucket.labels() + " has no le");
                }
                buckets.computeIfAbsent(labels, l -> new TreeMap<>()).put(number(le, 0), bucket.value());
            }
            buckets.forEach((labels, byBound) -> {
                double previous = 0;
                for (double count : byBound.values()) {
                    if (count < previous) {
                        throw new IllegalArgumentException(family + labels + " has buckets that are not cumulative: " + byBound);
                    }
                    previous = count;
                }
                Double infinite = byBound.get(Double.POSITIVE_INFINITY);
                Optional<Double> count = samples(family + "_count").stream().filter(s -> s.labels().equals(labels))
                        .map(Sample::value).findFirst();
                if (infinite == null || count.isEmpty() || !infinite.equals(count.get())) {
                    throw new IllegalArgumentException(family + labels + ": the +Inf bucket " + infinite + " is not the count " + count);
                }
                if (samples(family + "_sum").stream().noneMatch(s -> s.labels().equals(labels))) {
                    throw new IllegalArgumentException(family + labels + " has no _sum");
                }
            });
        });
    }

    private static String name(String name, int number) {
        require(METRIC_NAME.matcher(name).matches(), number, "bad metric name '" + name + "'");
        return name;
    }

    private static double number(String text, int number) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                require(text.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?"), number, "not a number: " + text);
                return Double.parseDouble(text);
        }
    }

    private static void require(boolean condition, int line, String what) {
        if (!condition) {
            throw new IllegalArgumentException("line " + line + ": " + what);
        }
    }
}
