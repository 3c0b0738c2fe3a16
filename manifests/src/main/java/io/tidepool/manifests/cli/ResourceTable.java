package io.tidepool.manifests.cli;

import io.tidepool.api.resource.ApplySet;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Event;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Migration;
import io.tidepool.api.resource.Resource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** The {@code get -o table} view: the columns an operator scans first, per kind. */
final class ResourceTable {
    private static final String NONE = "-";

    private ResourceTable() {
    }

    static String render(Kind kind, List<Resource> resources) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(header(kind));
        for (Resource resource : kind == Kind.EVENT ? oldestFirst(resources) : resources) {
            rows.add(row(resource));
        }
        return layout(rows);
    }

    /** Apply sets with a last column from {@code drift}, which the server computes per set. */
    static String renderApplySets(List<Resource> sets, java.util.function.Function<String, String> drift) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(header(Kind.APPLY_SET));
        header.add("DRIFT");
        rows.add(header);
        for (Resource set : sets) {
            List<String> row = new ArrayList<>(row(set));
            row.add(drift.apply(set.name()));
            rows.add(row);
        }
        return layout(rows);
    }

    private static List<String> header(Kind kind) {
        return switch (kind) {
            case CELL -> List.of("NAME", "HOST-SHAPE", "BUFFER", "WATERMARK", "HOSTS", "CAPACITY", "ALLOCATED", "SPARE");
            case HOST -> List.of("NAME", "CELL", "CPUS", "MEMORY", "SCHEDULABLE", "READY", "ALLOCATED", "CAPACITY");
            case ENDPOINT -> List.of("NAME", "CELL", "MIN", "MAX", "POSTGRES", "PHASE", "HOST", "CU");
            case COMPUTE -> List.of("NAME", "ENDPOINT", "HOST", "CU", "ROLE", "EPOCH", "PHASE");
            case MIGRATION -> List.of("NAME", "ENDPOINT", "FROM", "TO", "PHASE");
            case EVENT -> List.of("LAST-SEEN", "OBJECT", "TYPE", "REASON", "COUNT", "MESSAGE");
            case APPLY_SET -> List.of("NAME", "OBJECTS", "SOURCE", "COMMIT", "APPLIED", "LAST-ATTEMPT");
        };
    }

    private static List<String> row(Resource resource) {
        if (resource instanceof Cell c) {
            Cell.Status s = c.status();
            return List.of(c.name(), shape(c.spec().hostTemplate()), text(c.spec().buffer().spareCu()),
                    text(c.spec().watermark()), s == null ? NONE : text(s.hosts()), s == null ? NONE : text(s.capacityCu()),
                    s == null ? NONE : text(s.allocatedCu()), s == null ? NONE : text(s.spareCu()));
        }
        if (resource instanceof Host h) {
            Host.Status s = h.status();
            return List.of(h.name(), text(h.spec().cell()), h.spec().capacity() == null ? NONE : text(h.spec().capacity().cpus()),
                    h.spec().capacity() == null ? NONE : text(h.spec().capacity().memory()), text(!h.spec().unschedulable()),
                    s == null ? NONE : text(s.ready()), s == null ? NONE : text(s.allocatedCu()),
                    s == null ? NONE : text(s.capacityCu()));
        }
        if (resource instanceof Endpoint e) {
            Endpoint.Status s = e.status();
            Endpoint.ComputeRange range = e.spec().compute();
            return List.of(e.name(), text(e.spec().cell()), range == null ? NONE : text(range.minCu()),
                    range == null ? NONE : text(range.maxCu()), text(e.spec().postgres().version()),
                    s == null ? "Pending" : text(s.phase()), s == null ? NONE : text(s.host()), s == null ? NONE : text(s.cu()));
        }
        if (resource instanceof Compute c) {
            Compute.Status s = c.status();
            return List.of(c.name(), text(c.spec().endpoint()), text(c.spec().host()), text(c.spec().cu()),
                    text(c.spec().role()), text(c.spec().epoch()), s == null ? NONE : text(s.phase()));
        }
        if (resource instanceof Migration m) {
            return List.of(m.name(), text(m.spec().endpoint()), text(m.spec().sourceHost()), text(m.spec().targetHost()),
                    m.status() == null ? NONE : text(m.status().phase()));
        }
        if (resource instanceof ApplySet a) {
            return applySetRow(a);
        }
        Event e = (Event) resource;
        Instant seen = lastSeen(e);
        return List.of(seen == null ? NONE : text(seen.truncatedTo(ChronoUnit.SECONDS)), text(e.spec().involved()), text(e.spec().type()), text(e.spec().reason()),
                e.status() == null ? "1" : text(e.status().count()), text(e.spec().message()));
    }

    private static List<String> applySetRow(ApplySet set) {
        ApplySet.Source source = set.spec() == null ? null : set.spec().source();
        String from = source == null ? NONE : source.repo() == null ? text(source.path())
                : source.repo() + (source.branch() == null ? "" : "@" + source.branch())
                        + (source.path() == null ? "" : ":" + source.path());
        ApplySet.Status s = set.status();
        ApplySet.Applied applied = s == null ? null : s.applied();
        ApplySet.Attempt attempt = s == null ? null : s.lastAttempt();
        return List.of(set.name(), s == null ? "0" : text(s.objects()), from,
                applied == null || applied.commit() == null ? NONE : shortCommit(applied.commit()),
                applied == null ? NONE : text(applied.at().truncatedTo(ChronoUnit.SECONDS)),
                attempt == null ? NONE : attempt.outcome() + (attempt.succeeded() || attempt.commit() == null ? ""
                        : " at " + shortCommit(attempt.commit())));
    }

    /** Events read as a log: the latest at the bottom. */
    private static List<Resource> oldestFirst(List<Resource> events) {
        return events.stream().sorted(Comparator.comparing((Resource e) -> lastSeen((Event) e),
                Comparator.nullsFirst(Comparator.naturalOrder()))).toList();
    }

    private static Instant lastSeen(Event event) {
        return event.status() == null ? null : event.status().lastTimestamp();
    }

    private static String shortCommit(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }

    private static String shape(io.tidepool.api.resource.HostShape shape) {
        return shape == null ? NONE : shape.cpus() + " cpus, " + shape.memory();
    }

    private static String text(Object value) {
        return Objects.toString(value, NONE);
    }

    /** Rows as columns three spaces apart; the first row is the header. */
    static String layout(List<List<String>> rows) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row.get(i) : pad(row.get(i), widths[i] + 3));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}
