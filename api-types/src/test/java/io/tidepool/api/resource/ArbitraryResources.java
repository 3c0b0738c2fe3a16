package io.tidepool.api.resource;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.quantity.RestartWindow;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Resources of every kind with every field exercised: nulls, empty and awkward strings, statuses,
 * timestamps with nanoseconds. Values are well-formed (a CU is a whole number of quarter steps) but
 * not necessarily valid, which is what a codec must carry unchanged.
 */
public final class ArbitraryResources {
    private static final double NULL_SHARE = 0.15;

    private ArbitraryResources() {
    }

    public static Arbitrary<Resource> anyResource() {
        return Arbitraries.oneOf(cells(), hosts(), endpoints(), computes(), migrations(), events());
    }

    public static Arbitrary<Cell> cells() {
        Arbitrary<Cell.Spec> spec = Combinators.combine(shapes().injectNull(NULL_SHARE),
                        cus().map(Cell.Buffer::new).injectNull(NULL_SHARE),
                        finiteDoubles().injectNull(NULL_SHARE), finiteDoubles().injectNull(NULL_SHARE),
                        Arbitraries.of(Cell.ProviderType.class).map(Cell.Provider::new).injectNull(NULL_SHARE),
                        Arbitraries.integers().injectNull(NULL_SHARE))
                .as(Cell.Spec::new);
        Arbitrary<Cell.Status> status = Combinators.combine(Arbitraries.integers(), cus().injectNull(NULL_SHARE),
                        cus().injectNull(NULL_SHARE), cus().injectNull(NULL_SHARE), conditions())
                .as(Cell.Status::new);
        return Combinators.combine(metadata(), spec.injectNull(NULL_SHARE), status.injectNull(0.5)).as(Cell::new);
    }

    public static Arbitrary<Host> hosts() {
        Arbitrary<Host.Spec> spec = Combinators.combine(text().injectNull(NULL_SHARE), shapes().injectNull(NULL_SHARE),
                Arbitraries.of(true, false).injectNull(NULL_SHARE)).as(Host.Spec::new);
        Arbitrary<Host.Status> status = Combinators.combine(Arbitraries.of(true, false).injectNull(NULL_SHARE),
                cus().injectNull(NULL_SHARE), cus().injectNull(NULL_SHARE), instants().injectNull(NULL_SHARE),
                conditions()).as(Host.Status::new);
        return Combinators.combine(metadata(), spec.injectNull(NULL_SHARE), status.injectNull(0.5)).as(Host::new);
    }

    public static Arbitrary<Endpoint> endpoints() {
        Arbitrary<Endpoint.ComputeRange> compute = Combinators.combine(cus().injectNull(NULL_SHARE),
                cus().injectNull(NULL_SHARE)).as(Endpoint.ComputeRange::new);
        Arbitrary<Endpoint.Postgres> postgres = Combinators.combine(text().injectNull(NULL_SHARE),
                textMaps(text(), text(), 4).injectNull(NULL_SHARE)).as(Endpoint.Postgres::new);
        Arbitrary<Endpoint.Spec> spec = Combinators.combine(text().injectNull(NULL_SHARE), compute.injectNull(NULL_SHARE),
                postgres.injectNull(NULL_SHARE), durations().injectNull(0.5), restartWindows().injectNull(0.5))
                .as(Endpoint.Spec::new);
        Arbitrary<Endpoint.Decision> decision = Combinators.combine(instants().injectNull(NULL_SHARE),
                cus().injectNull(NULL_SHARE), cus().injectNull(NULL_SHARE), text().injectNull(NULL_SHARE))
                .as(Endpoint.Decision::new);
        Arbitrary<List<Object>> placement = Combinators.combine(text().injectNull(NULL_SHARE),
                Arbitraries.longs().greaterOrEqual(0).injectNull(NULL_SHARE), instants().injectNull(NULL_SHARE))
                .as((name, epoch, resume) -> java.util.Arrays.asList(name, epoch, resume));
        Arbitrary<Endpoint.Status> status = Combinators.combine(Arbitraries.of(Endpoint.Phase.class).injectNull(NULL_SHARE),
                text().injectNull(NULL_SHARE), cus().injectNull(NULL_SHARE), text().injectNull(NULL_SHARE), conditions(),
                decision.injectNull(NULL_SHARE), placement).as((phase, host, cu, address, conditions, last, p) ->
                new Endpoint.Status(phase, host, cu, address, conditions, last, (String) p.get(0), (Long) p.get(1),
                        (java.time.Instant) p.get(2)));
        return Combinators.combine(metadata(), spec.injectNull(NULL_SHARE), status.injectNull(0.5)).as(Endpoint::new);
    }

    public static Arbitrary<Compute> computes() {
        Arbitrary<Endpoint.Postgres> postgres = Combinators.combine(text().injectNull(NULL_SHARE),
                textMaps(text(), text(), 4).injectNull(NULL_SHARE)).as(Endpoint.Postgres::new);
        Arbitrary<Compute.Spec> spec = Combinators.combine(text().injectNull(NULL_SHARE), text().injectNull(NULL_SHARE),
                cus().injectNull(NULL_SHARE), Arbitraries.of(Compute.Role.class).injectNull(NULL_SHARE),
                Arbitraries.longs(), postgres.injectNull(NULL_SHARE)).as(Compute.Spec::new);
        Arbitrary<Compute.Status> status = Combinators.combine(Arbitraries.of(Compute.Phase.class).injectNull(NULL_SHARE),
                cus().injectNull(NULL_SHARE), text().injectNull(NULL_SHARE), Arbitraries.of(true, false).injectNull(NULL_SHARE),
                conditions()).as(Compute.Status::new);
        return Combinators.combine(metadata(), spec.injectNull(NULL_SHARE), status.injectNull(0.5)).as(Compute::new);
    }

    public static Arbitrary<Migration> migrations() {
        Arbitrary<Migration.Spec> spec = Combinators.combine(text().injectNull(NULL_SHARE), text().injectNull(NULL_SHARE),
                text().injectNull(NULL_SHARE), text().injectNull(NULL_SHARE), text().injectNull(NULL_SHARE),
                text().injectNull(NULL_SHARE))
                .as(Migration.Spec::new);
        Arbitrary<Migration.Status> status = Combinators.combine(Arbitraries.of(Migration.Phase.class).injectNull(NULL_SHARE),
                instants().injectNull(NULL_SHARE), instants().injectNull(NULL_SHARE), instants().injectNull(NULL_SHARE),
                text().injectNull(NULL_SHARE)).as(Migration.Status::new);
        return Combinators.combine(metadata(), spec.injectNull(NULL_SHARE), status.injectNull(0.5)).as(Migration::new);
    }

    public static Arbitrary<Event> events() {
        Arbitrary<Event.Spec> spec = Combinators.combine(text().injectNull(NULL_SHARE),
                Arbitraries.of(Event.Type.class).injectNull(NULL_SHARE), text().injectNull(NULL_SHARE),
                text().injectNull(NULL_SHARE)).as(Event.Spec::new);
        Arbitrary<Event.Status> status = Combinators.combine(instants().injectNull(NULL_SHARE),
                instants().injectNull(NULL_SHARE), Arbitraries.integers()).as(Event.Status::new);
        return Combinators.combine(metadata(), spec.injectNull(NULL_SHARE), status.injectNull(0.5)).as(Event::new);
    }

    public static Arbitrary<ObjectMeta> metadata() {
        return Combinators.combine(text().injectNull(0.05), textMaps(text(), text(), 3),
                        textMaps(text(), text(), 3), Arbitraries.longs().greaterOrEqual(0),
                        Arbitraries.longs().greaterOrEqual(0), instants().injectNull(0.5))
                .as(ObjectMeta::new);
    }

    /**
     * Maps of up to {@code maxSize} entries; a repeated key keeps its first value. jqwik's own map
     * arbitrary retries for unique keys, which is several times slower.
     */
    public static Arbitrary<Map<String, String>> textMaps(Arbitrary<String> keys, Arbitrary<String> values, int maxSize) {
        return Combinators.combine(keys, values).as(Map::entry).list().ofMaxSize(maxSize).map(entries -> {
            Map<String, String> map = new LinkedHashMap<>();
            entries.forEach(e -> map.putIfAbsent(e.getKey(), e.getValue()));
            return map;
        });
    }

    /** Plain words mostly, and now and then text that YAML would misread unless it is quoted or escaped. */
    public static Arbitrary<String> text() {
        Arbitrary<String> words = Arbitraries.strings().withCharRange('a', 'z').withChars('-', '.', '_', '0', '9')
                .ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> printable = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20);
        Arbitrary<String> awkward = Arbitraries.of("", " ", "yes", "no", "on", "off", "y", "N", "null", "Null", "~",
                "true", "False", "02:00", "12:30", "0o17", "0x1F", "017", "1e3", "1_000", ".5", "-1", "+1", ".inf", ".NaN",
                "2024-05-01", "2024-05-01T10:00:00Z", "-", "- x", ": x", "a: b", "#x", "x #y", "'quoted'", "\"dq\"", "@at",
                "`tick", "%pct", "!bang", "&amp", "*star", "|pipe", ">gt", "?q", ",comma", "[a]", "{a: b}", "<<",
                " leading", "trailing ", "multi\nline", "line\n", "tab\there", "back\\slash", "emoji \uD83D\uDE00",
                "unicode \u00e9\u65e5\u672c", "nbsp\u00a0", "bell\u0007", "del\u007f", "nel\u0085", "bom\uFEFF");
        return Arbitraries.frequencyOf(Tuple.of(6, words), Tuple.of(3, printable), Tuple.of(3, awkward));
    }

    public static Arbitrary<Cu> cus() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 64), Arbitraries.longs().between(0, Long.MAX_VALUE))
                .map(Cu::ofQuarters);
    }

    public static Arbitrary<MilliCpu> cpus() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 256).map(MilliCpu::ofCpus),
                Arbitraries.longs().between(0, Long.MAX_VALUE).map(MilliCpu::new));
    }

    public static Arbitrary<Bytes> memory() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 1024).map(Bytes::ofGibibytes),
                Arbitraries.longs().between(0, 4096).map(Bytes::ofMebibytes),
                Arbitraries.longs().between(0, Long.MAX_VALUE).map(Bytes::new));
    }

    public static Arbitrary<HostShape> shapes() {
        return Combinators.combine(cpus().injectNull(NULL_SHARE), memory().injectNull(NULL_SHARE)).as(HostShape::new);
    }

    /** Whole milliseconds, the finest a duration is written in. */
    public static Arbitrary<Duration> durations() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 48 * 60).map(Duration::ofMinutes),
                Arbitraries.longs().between(0, 1_000L * 86_400 * 365 * 1000).map(Duration::ofMillis));
    }

    /** Nanosecond precision: the text form must lose nothing. */
    public static Arbitrary<Instant> instants() {
        return Combinators.combine(Arbitraries.longs().between(0, 4_102_444_800L), Arbitraries.integers().between(0, 999_999_999))
                .as(Instant::ofEpochSecond);
    }

    public static Arbitrary<LocalTime> times() {
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.integers().between(0, 23), Arbitraries.integers().between(0, 59)).as(LocalTime::of),
                Arbitraries.longs().between(0, 86_400L * 1_000_000_000 - 1).map(LocalTime::ofNanoOfDay));
    }

    public static Arbitrary<ZoneId> zones() {
        return Arbitraries.of("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Z", "+02:00", "GMT").map(ZoneId::of);
    }

    public static Arbitrary<RestartWindow> restartWindows() {
        return Combinators.combine(Arbitraries.of(DayOfWeek.class).list().ofMaxSize(8), times().injectNull(NULL_SHARE),
                durations().injectNull(NULL_SHARE), zones().injectNull(NULL_SHARE)).as(RestartWindow::new);
    }

    private static Arbitrary<List<Condition>> conditions() {
        Arbitrary<Condition> condition = Combinators.combine(text().injectNull(NULL_SHARE),
                Arbitraries.of(Condition.Status.class).injectNull(NULL_SHARE), text().injectNull(NULL_SHARE),
                text().injectNull(NULL_SHARE), instants().injectNull(NULL_SHARE)).as(Condition::new);
        return condition.list().ofMaxSize(3).injectNull(NULL_SHARE);
    }

    private static Arbitrary<Double> finiteDoubles() {
        return Arbitraries.oneOf(Arbitraries.of(0.0, 0.5, 0.9, 1.0, 1.5, 16.0, 1e-7, 1e21),
                Arbitraries.doubles().filter(Double::isFinite));
    }
}
