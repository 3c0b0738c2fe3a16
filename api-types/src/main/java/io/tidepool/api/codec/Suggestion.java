package io.tidepool.api.codec;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean ...?" for names that are close to a known one: by Damerau-Levenshtein distance
 * (optimal string alignment: a swap of two neighbours counts as one edit), ignoring case, and only
 * when the distance is small for the length of the name, so that a wild guess suggests nothing.
 */
public final class Suggestion {
    /** Longer inputs are not names anyone mistyped; comparing them would only cost time. */
    private static final int MAX_INPUT_LENGTH = 100;

    private Suggestion() {
    }

    /** The candidate closest to {@code found}, if one is close enough; ties go to the earliest candidate. */
    public static Optional<String> closest(String found, Collection<String> candidates) {
        if (found == null || found.isEmpty() || found.length() > MAX_INPUT_LENGTH) {
            return Optional.empty();
        }
        String lowerFound = found.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(lowerFound, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= allowedEdits(found) ? Optional.ofNullable(best) : Optional.empty();
    }

    /** {@code "; did you mean X?"} when a candidate is close, otherwise the empty string: ready to append to a message. */
    public static String didYouMean(String found, Collection<String> candidates) {
        return closest(found, candidates).map(s -> "; did you mean " + s + "?").orElse("");
    }

    /** One edit for short names, growing to three for long ones. */
    private static int allowedEdits(String found) {
        return Math.max(1, Math.min(3, found.length() / 3));
    }

    /** Edits (insert, delete, substitute, swap neighbours) to turn {@code a} into {@code b}. */
    public static int distance(CharSequence a, CharSequence b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
