package dev.bulwark.crypto;

import java.util.Locale;

/** Turns a value into the canonical form that is indexed, so "Ann@Example.com " finds "ann@example.com". */
@FunctionalInterface
public interface Normalizer {
    String normalize(String value);

    /** The value as given. */
    Normalizer EXACT = v -> v;

    /** Unicode NFC, surrounding whitespace removed. */
    Normalizer TRIM = v -> java.text.Normalizer.normalize(v, java.text.Normalizer.Form.NFC).strip();

    /** NFC, trimmed, lower-cased (locale-independent): e-mail addresses. */
    Normalizer EMAIL = v -> TRIM.normalize(v).toLowerCase(Locale.ROOT);

    /** Digits only, keeping a leading '+': phone numbers typed with spaces, dashes or brackets. */
    Normalizer PHONE = v -> {
        String t = v.strip();
        StringBuilder sb = new StringBuilder(t.length());
        if (t.startsWith("+")) sb.append('+');
        t.chars().filter(c -> c >= '0' && c <= '9').forEach(c -> sb.append((char) c));
        return sb.toString();
    };
}
