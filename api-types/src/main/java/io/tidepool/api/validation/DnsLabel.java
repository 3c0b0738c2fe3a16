package io.tidepool.api.validation;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The rule every name follows (objects, apply sets): a DNS label, so that it survives DNS, URLs and store keys. */
public final class DnsLabel {
    public static final int MAX_LENGTH = 63;
    public static final String RULE =
            "a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";
    private static final Pattern PATTERN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private DnsLabel() {
    }

    public static boolean isValid(String name) {
        return name != null && name.length() <= MAX_LENGTH && PATTERN.matcher(name).matches();
    }

    /** {@code Shop_DB} is most likely meant as {@code shop-db}. */
    public static Optional<String> nearest(String name) {
        String label = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (label.length() > MAX_LENGTH) {
            label = label.substring(0, MAX_LENGTH).replaceAll("-+$", "");
        }
        return isValid(label) ? Optional.of(label) : Optional.empty();
    }
}
