package dev.bulwark.audit;

import java.time.temporal.TemporalAccessor;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A small map of extra facts about an event (at most {@value #MAX_ENTRIES} entries of at most
 * {@value #MAX_VALUE_LENGTH} characters), built so secrets cannot get in:
 * <ul>
 *   <li><b>By type:</b> only String, Number, Boolean, Character, Enum, UUID and date/time values are written as text.
 *       Everything else (char[], byte[], keys, {@code Secret}s, any object whose toString might reveal something) is
 *       stored as {@value #REDACTED}.</li>
 *   <li><b>By name:</b> values under keys such as {@code password}, {@code token}, {@code apiKey}, {@code secret},
 *       {@code cookie}, {@code authorization}, {@code card} are stored as {@value #REDACTED}.</li>
 *   <li><b>By shape (best effort):</b> text that looks like a bearer/basic credential, a JWT, a PEM block, a well-known
 *       provider key ({@code sk_live_...}, {@code whsec_...}, AWS access key) or a payment card number (Luhn) is
 *       redacted too.</li>
 * </ul>
 */
public final class Details {
    public static final String REDACTED = "[redacted]";
    public static final int MAX_ENTRIES = 32;
    public static final int MAX_VALUE_LENGTH = 256;
    public static final Details EMPTY = new Details(new TreeMap<>());

    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
    private static final Set<String> SENSITIVE_WORDS = Set.of("password", "passwd", "pwd", "passphrase", "secret",
            "token", "credential", "credentials", "authorization", "auth", "cookie", "session", "otp", "totp", "pin",
            "cvc", "cvv", "card", "pan", "iban", "ssn", "signature", "private", "apikey", "bearer", "mfa", "recovery");
    private static final Pattern SECRET_SHAPES = Pattern.compile(
            "(?i)^\\s*(bearer|basic)\\s+\\S+"                               // Authorization header values
                    + "|eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*" // JWT / JWS
                    + "|-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----"
                    + "|\\b(sk|rk|pk)_(live|test)_[A-Za-z0-9]{8,}"               // Stripe keys
                    + "|\\bwhsec_[A-Za-z0-9+/=]{8,}"                              // webhook secrets
                    + "|\\b(ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{16,}"
                    + "|\\bxox[abposr]-[A-Za-z0-9-]{10,}"
                    + "|\\bAKIA[0-9A-Z]{16}\\b");
    private static final Pattern CARD_CANDIDATE = Pattern.compile("(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])");

    private final TreeMap<String, String> values;

    private Details(TreeMap<String, String> values) {
        this.values = values;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Shortcut for one or two facts: {@code Details.of("plan", "pro")}. */
    public static Details of(String key, Object value) {
        return builder().put(key, value).build();
    }

    public static Details of(String k1, Object v1, String k2, Object v2) {
        return builder().put(k1, v1).put(k2, v2).build();
    }

    /** The stored (already redacted) values, sorted by key. */
    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(values);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Details read back from storage or an export: taken as-is (they are covered by the entry MAC). */
    static Details stored(Map<String, String> values) {
        return new Details(new TreeMap<>(values));
    }

    public static final class Builder {
        private final TreeMap<String, String> values = new TreeMap<>();

        /**
         * Adds a fact. Keys must match {@code [A-Za-z][A-Za-z0-9_.-]{0,63}}; values are redacted by type, name and shape
         * as described on {@link Details}, and cut to {@value #MAX_VALUE_LENGTH} characters.
         */
        public Builder put(String key, Object value) {
            if (key == null || !KEY.matcher(key).matches()) {
                throw new AuditException(AuditException.Reason.INVALID_EVENT, "detail key must match [A-Za-z][A-Za-z0-9_.-]{0,63}");
            }
            if (!values.containsKey(key) && values.size() >= MAX_ENTRIES) {
                throw new AuditException(AuditException.Reason.INVALID_EVENT, "at most " + MAX_ENTRIES + " details per event");
            }
            values.put(key, render(key, value));
            return this;
        }

        public Details build() {
            return new Details(new TreeMap<>(values));
        }
    }

    static String render(String key, Object value) {
        if (sensitiveName(key)) return REDACTED;
        if (value == null) return "";
        String text;
        if (value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Character
                || value instanceof UUID || value instanceof TemporalAccessor) {
            text = value.toString();
        } else if (value instanceof Enum<?> e) {
            text = e.name();
        } else {
            return REDACTED; // unknown types could print anything in toString(): never trusted
        }
        if (looksSecret(text)) return REDACTED;
        text = text.replaceAll("\\p{Cntrl}", " ");
        return text.length() > MAX_VALUE_LENGTH ? text.substring(0, MAX_VALUE_LENGTH - 1) + "…" : text;
    }

    static boolean sensitiveName(String key) {
        String spaced = key.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        String joined = spaced.replaceAll("[^a-z0-9]", "");
        for (String w : spaced.split("[^a-z0-9]+")) if (SENSITIVE_WORDS.contains(w)) return true;
        return joined.contains("password") || joined.contains("secret") || joined.contains("token")
                || joined.contains("apikey") || joined.contains("accesskey") || joined.contains("privatekey")
                || joined.contains("signingkey") || joined.contains("cardnumber");
    }

    static boolean looksSecret(String text) {
        if (SECRET_SHAPES.matcher(text).find()) return true;
        var m = CARD_CANDIDATE.matcher(text);
        while (m.find()) {
            if (luhn(m.group().replaceAll("[ -]", ""))) return true;
        }
        return false;
    }

    private static boolean luhn(String digits) {
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Details d && d.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "Details" + values;
    }
}
