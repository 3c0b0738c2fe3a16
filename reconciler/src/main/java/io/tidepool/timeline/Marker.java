package io.tidepool.timeline;

import io.tidepool.api.quantity.Cu;
import java.time.Instant;

/**
 * Something that happened to an endpoint, drawn on its timeline: a scaling decision, a migration, a
 * restart, a suspend or resume, with the explanation the controller gave.
 *
 * @param title       a few words for the chart ("upscale 0.25 -> 1 CU", "migration started")
 * @param explanation why, as the controller said it
 * @param fromCu      for a scaling decision, the size before; null otherwise
 * @param toCu        for a scaling decision, the size decided; null otherwise
 */
public record Marker(Instant at, Type type, String title, String explanation, Cu fromCu, Cu toCu) {
    public enum Type { scaling, migration, restart, suspend, resume }

    public Marker {
        if (at == null || type == null || title == null) {
            throw new IllegalArgumentException("a marker needs a time, a type and a title");
        }
        explanation = explanation == null ? "" : explanation;
    }

    public static Marker of(Instant at, Type type, String title, String explanation) {
        return new Marker(at, type, title, explanation, null, null);
    }

    /** A scaling decision from {@code from} to {@code to} CU, with its explanation. */
    public static Marker scaling(Instant at, Cu from, Cu to, String explanation) {
        return new Marker(at, Type.scaling, scalingTitle(from, to), explanation, from, to);
    }

    /** "upscale 0.25 -> 1 CU", "downscale 2 -> 1 CU" or "size kept at 1 CU". */
    public static String scalingTitle(Cu from, Cu to) {
        if (from == null || to == null) {
            return "scaling decision";
        }
        int direction = to.compareTo(from);
        return direction > 0 ? "upscale " + from + " -> " + to + " CU"
                : direction < 0 ? "downscale " + from + " -> " + to + " CU"
                : "size kept at " + to + " CU";
    }
}
