package io.tidepool.server.proxy;

import java.util.OptionalInt;
import java.util.Set;

/**
 * The ports the endpoint proxy gives endpoints, {@code first} to {@code last} inclusive. Each
 * endpoint keeps the port it was given for as long as it exists; a deleted endpoint's port goes to
 * the next new one.
 */
public record PortRange(int first, int last) {
    public static final PortRange DEFAULT = new PortRange(6500, 6999);

    public PortRange {
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException("expected a port range FIRST-LAST within 1-65535, got " + first + "-" + last);
        }
    }

    /** Parses {@code FIRST-LAST}, as {@code --proxy-ports} takes it. */
    public static PortRange parse(String text) {
        String[] parts = text.split("-", -1);
        try {
            if (parts.length == 2) {
                return new PortRange(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // Said below, with the text.
        }
        throw new IllegalArgumentException("expected a port range FIRST-LAST such as 6500-6999, got '" + text + "'");
    }

    /** The lowest port of the range not in {@code taken}; empty when every one is. */
    public OptionalInt firstFree(Set<Integer> taken) {
        for (int port = first; port <= last; port++) {
            if (!taken.contains(port)) {
                return OptionalInt.of(port);
            }
        }
        return OptionalInt.empty();
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
