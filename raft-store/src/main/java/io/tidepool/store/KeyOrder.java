package io.tidepool.store;

import java.util.Comparator;

/**
 * The order of keys in every store: by Unicode code point, which is the order of their UTF-8 bytes.
 * {@link String#compareTo} differs from it for characters outside the Basic Multilingual Plane, and
 * the replicated store sorts by bytes, so every implementation uses this order.
 */
public final class KeyOrder {
    public static final Comparator<String> COMPARATOR = KeyOrder::compare;

    private KeyOrder() {
    }

    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
