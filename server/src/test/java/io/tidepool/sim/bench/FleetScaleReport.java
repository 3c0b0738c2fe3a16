package io.tidepool.sim.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/** The fleet benchmark's results file (one line per run) and the markdown tables made from it. */
final class FleetScaleReport {
    private static final String HEADER = "endpoints\thosts\trun\txmx_mib\tsetup_s\twrite_s\tplace_s\tplace_steps"
            + "\tplace_txns\thour_s\thour_reconciles\tsteady_reconciles_per_s\tsteady_txns_per_s\tsteady_sim_speed"
            + "\tmax_step_ms\theap_after_place_mib\theap_after_hour_mib\theap_peak_after_gc_mib\trelists";
    private static final double MIB = 1 << 20;
    private static final double PLACE_GOAL_SECONDS = 10;
    private static final double HEAP_GOAL_MIB = 2048;

    private FleetScaleReport() {
    }

    static void append(Path file, FleetScaleRun.Plan plan, int run, FleetScaleRun.Outcome o, long maxHeapBytes)
            throws IOException {
        String line = String.join("\t", List.of(
                Integer.toString(plan.endpoints()), Integer.toString(plan.hosts()), Integer.toString(run),
                fmt(maxHeapBytes / MIB), fmt(o.setupSeconds()), fmt(o.writeSeconds()), fmt(o.placeSeconds()),
                Integer.toString(o.placeSteps()), Long.toString(o.placeTxns()), fmt(o.hourSeconds()),
                Long.toString(o.hourReconciles()), fmt(o.steadyReconcilesPerSecond()), fmt(o.steadyTxnsPerSecond()),
                fmt(o.steadySimSecondsPerSecond()), Long.toString(o.maxStepMillis()), fmt(o.heapAfterPlaceBytes() / MIB),
                fmt(o.heapAfterHourBytes() / MIB), fmt(o.heapPeakAfterGcBytes() / MIB), Integer.toString(o.relists())));
        FleetScaleBench.appendLine(file, HEADER, line);
    }

    private record Row(int endpoints, int hosts, int run, double xmxMib, double setupS, double writeS, double placeS,
                       int placeSteps, long placeTxns, double hourS, long hourReconciles, double steadyReconcilesPerS,
                       double steadyTxnsPerS, double simSpeed, long maxStepMs, double heapAfterPlaceMib,
                       double heapAfterHourMib, double heapPeakMib, int relists) {
        static Row parse(String line) {
            String[] f = line.split("\t");
            return new Row(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), d(f[3]), d(f[4]),
                    d(f[5]), d(f[6]), Integer.parseInt(f[7]), Long.parseLong(f[8]), d(f[9]), Long.parseLong(f[10]),
                    d(f[11]), d(f[12]), d(f[13]), Long.parseLong(f[14]), d(f[15]), d(f[16]), d(f[17]),
                    Integer.parseInt(f[18]));
        }

        double placementsPerS() {
            return endpoints / placeS;
        }

        double writesPerS() {
            return endpoints / writeS;
        }

        private static double d(String text) {
            return Double.parseDouble(text);
        }
    }

    /** Medians over runs for each size, the growth from the smallest size to the largest, then every run. */
    static String report(List<String> lines) {
        Map<Integer, List<Row>> bySize = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                Row row = Row.parse(line);
                bySize.computeIfAbsent(row.endpoints(), n -> new ArrayList<>()).add(row);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("| endpoints | hosts | runs | write s | place s | placements/s | steady reconciles/s"
                + " | steady store txns/s | sim s per wall s | hour wall s | heap after place MiB"
                + " | heap after hour MiB | peak heap after GC MiB | -Xmx MiB | goal (<10 s, <2 GiB) |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        bySize.forEach((size, rows) -> {
            double place = median(rows, Row::placeS);
            double heap = Math.max(median(rows, Row::heapPeakMib), median(rows, Row::heapAfterHourMib));
            boolean met = place < PLACE_GOAL_SECONDS && heap < HEAP_GOAL_MIB;
            out.append(String.format(Locale.ROOT, "| %d | %d | %d | %.1f | %.2f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %s |%n",
                    size, rows.get(0).hosts(), rows.size(), median(rows, Row::writeS), place,
                    median(rows, Row::placementsPerS), median(rows, Row::steadyReconcilesPerS),
                    median(rows, Row::steadyTxnsPerS), median(rows, Row::simSpeed), median(rows, Row::hourS),
                    median(rows, Row::heapAfterPlaceMib), median(rows, Row::heapAfterHourMib),
                    median(rows, Row::heapPeakMib), rows.get(0).xmxMib(), met ? "met" : "not met"));
        });
        if (bySize.size() > 1) {
            List<Row> small = bySize.values().iterator().next();
            List<Row> large = ((TreeMap<Integer, List<Row>>) bySize).lastEntry().getValue();
            out.append(String.format(Locale.ROOT, "%nGrowth from %d to %d endpoints (x%.1f): place time x%.1f,"
                            + " placements/s x%.2f, steady reconciles/s x%.2f, heap after the hour x%.1f"
                            + " (%.0f -> %.0f MiB, %.1f KiB more per endpoint).%n",
                    small.get(0).endpoints(), large.get(0).endpoints(),
                    large.get(0).endpoints() / (double) small.get(0).endpoints(),
                    ratio(large, small, Row::placeS), ratio(large, small, Row::placementsPerS),
                    ratio(large, small, Row::steadyReconcilesPerS), ratio(large, small, Row::heapAfterHourMib),
                    median(small, Row::heapAfterHourMib), median(large, Row::heapAfterHourMib),
                    (median(large, Row::heapAfterHourMib) - median(small, Row::heapAfterHourMib)) * 1024
                            / (large.get(0).endpoints() - small.get(0).endpoints())));
        }
        out.append("\n| endpoints | run | setup s | write s | place s | place steps | place txns | hour s"
                + " | hour reconciles | steady reconciles/s | steady txns/s | longest step ms | heap after place MiB"
                + " | heap after hour MiB | peak heap after GC MiB | relists |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        bySize.values().forEach(rows -> rows.forEach(r -> out.append(String.format(Locale.ROOT,
                "| %d | %d | %.1f | %.1f | %.2f | %d | %d | %.0f | %d | %.0f | %.0f | %d | %.0f | %.0f | %.0f | %d |%n",
                r.endpoints(), r.run(), r.setupS(), r.writeS(), r.placeS(), r.placeSteps(), r.placeTxns(), r.hourS(),
                r.hourReconciles(), r.steadyReconcilesPerS(), r.steadyTxnsPerS(), r.maxStepMs(),
                r.heapAfterPlaceMib(), r.heapAfterHourMib(), r.heapPeakMib(), r.relists()))));
        return out.toString();
    }

    private static double ratio(List<Row> large, List<Row> small, ToDoubleFunction<Row> field) {
        return median(large, field) / median(small, field);
    }

    private static double median(List<Row> rows, ToDoubleFunction<Row> field) {
        double[] values = rows.stream().mapToDouble(field).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
