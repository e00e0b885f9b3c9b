package dev.bulwark.app.product;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Dates and times from requests, limited to the years 1970 to 9999.
 *
 * <p>{@code java.time} accepts years up to ±999 999 999, which overflow epoch milliseconds and
 * date arithmetic further on. Every date a request can carry goes through here, so an absurd
 * year is an invalid field (400) at the edge rather than an {@code ArithmeticException} (500)
 * deep in a service. Each method returns empty for text that does not parse or lies outside
 * the window; none of them throws.
 */
public final class Dates {
    public static final int MIN_YEAR = 1970;
    public static final int MAX_YEAR = 9999;
    private static final Instant FIRST = LocalDate.of(MIN_YEAR, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC);
    private static final Instant AFTER_LAST = LocalDate.of(MAX_YEAR + 1, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC);

    private Dates() {}

    /** The field error for a value that is not {@code what} or lies outside the window, e.g. "must be a date such as 2026-12-01". */
    public static String problem(String what) {
        return what + ", between the years " + MIN_YEAR + " and " + MAX_YEAR;
    }

    /** An ISO date such as {@code 2026-12-01}. */
    public static Optional<LocalDate> date(String text) {
        if (text == null) return Optional.empty();
        try {
            LocalDate d = LocalDate.parse(text);
            return inWindow(d.getYear()) ? Optional.of(d) : Optional.empty();
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** An ISO instant such as {@code 2026-12-01T09:00:00Z}. */
    public static Optional<Instant> instant(String text) {
        if (text == null) return Optional.empty();
        try {
            Instant i = Instant.parse(text);
            return i.isBefore(FIRST) || !i.isBefore(AFTER_LAST) ? Optional.empty() : Optional.of(i);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** A local date-time such as {@code 2026-12-01T09:00}, placed in {@code zone}. */
    public static Optional<Instant> local(String text, ZoneId zone) {
        if (text == null || zone == null) return Optional.empty();
        try {
            LocalDateTime t = LocalDateTime.parse(text);
            if (!inWindow(t.getYear())) return Optional.empty();
            Instant i = t.atZone(zone).toInstant();
            return i.isBefore(FIRST) || !i.isBefore(AFTER_LAST) ? Optional.empty() : Optional.of(i);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static boolean inWindow(int year) {
        return year >= MIN_YEAR && year <= MAX_YEAR;
    }
}
