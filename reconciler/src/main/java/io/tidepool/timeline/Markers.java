package io.tidepool.timeline;

import io.tidepool.api.quantity.Cu;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The latest markers of one endpoint, at most {@code capacity}, oldest overwritten first. Held in
 * parallel arrays, made at the first marker (most endpoints of a big fleet are idle and never get
 * one), with a scaling decision's title left to be derived from its sizes: a marker then costs its
 * explanation and about 24 bytes. Not thread-safe: {@link Timelines} holds its lock while calling it.
 */
final class Markers {
    private static final Marker.Type[] TYPES = Marker.Type.values();
    private static final int NO_CU = -1;

    private final int capacity;
    private long[] atMillis;
    private byte[] types;
    private int[] fromQuarters;
    private int[] toQuarters;
    private String[] titles;
    private String[] explanations;
    private int next;
    private int size;

    Markers(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("markers need room for at least one, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Adds a marker unless the same one (time, type, title and sizes) is already held; returns whether it did. */
    boolean add(Marker marker) {
        String title = storedTitle(marker);
        long at = marker.at().toEpochMilli();
        int from = quarters(marker.fromCu());
        int to = quarters(marker.toCu());
        for (int i = 0; i < size; i++) {
            if (atMillis[i] == at && types[i] == marker.type().ordinal() && fromQuarters[i] == from
                    && toQuarters[i] == to && Objects.equals(titles[i], title)) {
                return false;
            }
        }
        if (atMillis == null) {
            atMillis = new long[capacity];
            types = new byte[capacity];
            fromQuarters = new int[capacity];
            toQuarters = new int[capacity];
            titles = new String[capacity];
            explanations = new String[capacity];
        }
        atMillis[next] = at;
        types[next] = (byte) marker.type().ordinal();
        fromQuarters[next] = from;
        toQuarters[next] = to;
        titles[next] = title;
        explanations[next] = marker.explanation();
        next = (next + 1) % capacity;
        size = Math.min(capacity, size + 1);
        return true;
    }

    /** Every held marker, in time order (a late one is placed where it belongs). */
    List<Marker> list() {
        List<Marker> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(marker(Math.floorMod(next - size + i, capacity)));
        }
        out.sort((a, b) -> a.at().compareTo(b.at()));
        return out;
    }

    int size() {
        return size;
    }

    private Marker marker(int i) {
        Cu from = fromQuarters[i] == NO_CU ? null : Cu.ofQuarters(fromQuarters[i]);
        Cu to = toQuarters[i] == NO_CU ? null : Cu.ofQuarters(toQuarters[i]);
        Marker.Type type = TYPES[types[i]];
        String title = titles[i] != null ? titles[i] : Marker.scalingTitle(from, to);
        return new Marker(Instant.ofEpochMilli(atMillis[i]), type, title, explanations[i], from, to);
    }

    /** Null where the title is the one a scaling decision's sizes give, so it need not be kept. */
    private static String storedTitle(Marker marker) {
        boolean derived = marker.type() == Marker.Type.scaling
                && marker.title().equals(Marker.scalingTitle(marker.fromCu(), marker.toCu()));
        return derived ? null : marker.title();
    }

    private static int quarters(Cu cu) {
        return cu == null ? NO_CU : (int) Math.min(Integer.MAX_VALUE, cu.quarters());
    }

    @Override
    public String toString() {
        return "Markers" + Arrays.toString(list().toArray());
    }
}
