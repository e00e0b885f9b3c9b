package dev.bulwark.audit;

import java.time.Duration;

/** How long a chain keeps its entries: at least one day, or forever. Default: one year. */
public final class Retention {
    public static final Retention FOREVER = new Retention(Long.MAX_VALUE);
    public static final Retention DEFAULT = days(365);

    private final long millis;

    private Retention(long millis) {
        this.millis = millis;
    }

    public static Retention days(int days) {
        if (days < 1) throw new AuditException(AuditException.Reason.INVALID_RETENTION, "retention must be at least 1 day");
        return new Retention(Duration.ofDays(days).toMillis());
    }

    public static Retention of(Duration duration) {
        if (duration == null || duration.compareTo(Duration.ofDays(1)) < 0) {
            throw new AuditException(AuditException.Reason.INVALID_RETENTION, "retention must be at least 1 day");
        }
        return new Retention(duration.toMillis());
    }

    static Retention ofStoredMillis(long millis) {
        return millis == Long.MAX_VALUE ? FOREVER : new Retention(Math.max(millis, Duration.ofDays(1).toMillis()));
    }

    public boolean isForever() {
        return millis == Long.MAX_VALUE;
    }

    /** The duration, or {@code null} when kept forever. */
    public Duration duration() {
        return isForever() ? null : Duration.ofMillis(millis);
    }

    long millis() {
        return millis;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Retention r && r.millis == millis;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(millis);
    }

    @Override
    public String toString() {
        return isForever() ? "Retention[forever]" : "Retention[" + duration() + "]";
    }
}
