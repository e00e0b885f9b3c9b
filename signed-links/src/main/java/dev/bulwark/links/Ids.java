package dev.bulwark.links;

import java.util.Objects;

/** Checks for the ids and audience written into tokens. */
final class Ids {
    static final int MAX_ID_CHARS = 128;

    private Ids() {}

    static String check(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty() || value.length() > MAX_ID_CHARS) {
            throw new IllegalArgumentException(what + " must have 1 to " + MAX_ID_CHARS + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) throw new IllegalArgumentException(what + " must not contain control characters");
        }
        return value;
    }
}
