package dev.bulwark.app.product;

import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Req;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Field validation for forms and JSON bodies: collects every field error, then fails once with a 400. */
public final class Forms {
    private final Req req;
    private final Map<String, String> errors = new LinkedHashMap<>();

    public Forms(Req req) {
        this.req = req;
    }

    public String text(String name, int min, int max) {
        String v = req.field(name);
        if (v.length() < min) errors.put(name, min == 1 ? "is required" : "needs at least " + min + " characters");
        else if (v.length() > max) errors.put(name, "must be at most " + max + " characters");
        else if (v.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t')) errors.put(name, "must not contain control characters");
        return v;
    }

    public String optional(String name, int max) {
        return text(name, 0, max);
    }

    public long number(String name, long min, long max) {
        String v = req.field(name);
        try {
            long l = Long.parseLong(v);
            if (l < min || l > max) errors.put(name, "must be between " + min + " and " + max);
            return l;
        } catch (NumberFormatException e) {
            errors.put(name, "must be a whole number");
            return min;
        }
    }

    public long numberOr(String name, long dflt, long min, long max) {
        return req.field(name).isEmpty() ? dflt : number(name, min, max);
    }

    public String email(String name, boolean required) {
        String v = req.field(name);
        if (v.isEmpty()) {
            if (required) errors.put(name, "is required");
            return v;
        }
        if (v.length() > 254 || !v.matches("[^@\\s<>\"]+@[^@\\s<>\"]+\\.[^@\\s<>\"]+")) errors.put(name, "is not an e-mail address");
        return v;
    }

    public LocalDate date(String name) {
        Optional<LocalDate> d = Dates.date(req.field(name));
        if (d.isEmpty()) errors.put(name, Dates.problem("must be a date like 2026-12-01"));
        return d.orElse(null);
    }

    /** A local date-time such as 2026-12-01T09:00 in {@code zone}, as epoch milliseconds (0 after an error). */
    public long localTime(String name, ZoneId zone) {
        Optional<Instant> t = Dates.local(req.field(name), zone);
        if (t.isEmpty()) errors.put(name, Dates.problem("must be a local date and time such as 2026-12-01T09:00"));
        return t.map(Instant::toEpochMilli).orElse(0L);
    }

    public String currency(String name, String dflt) {
        String v = req.field(name).isEmpty() ? dflt : req.field(name);
        String c = Money.currency(v);
        if (c == null) errors.put(name, "must be an ISO 4217 currency code such as EUR");
        return c == null ? "EUR" : c;
    }

    public void error(String name, String message) {
        errors.put(name, message);
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    public Map<String, String> errors() {
        return errors;
    }

    /** Throws the 400 with every field error collected so far. */
    public void check() {
        if (!errors.isEmpty()) throw AppError.invalid(errors);
    }
}
