package dev.bulwark.auth.ratelimit;

import java.time.Duration;

/**
 * At most {@code capacity} actions in a burst, refilled smoothly at {@code capacity} per {@code period}
 * (a Bucket4j bandwidth with greedy refill).
 */
public record LimitRule(long capacity, Duration period) {
    public LimitRule {
        if (capacity < 1 || capacity > 1_000_000) throw new IllegalArgumentException("capacity must be within 1..1000000");
        if (period == null || period.isNegative() || period.isZero() || period.compareTo(Duration.ofDays(7)) > 0)
            throw new IllegalArgumentException("period must be positive and at most 7 days");
    }
}
