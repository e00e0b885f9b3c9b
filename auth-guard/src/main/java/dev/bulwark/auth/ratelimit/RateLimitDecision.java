package dev.bulwark.auth.ratelimit;

import java.time.Duration;

/** The answer of {@link RateLimiter#tryConsume}: allowed or not, and when to retry (HTTP {@code Retry-After}). */
public record RateLimitDecision(boolean allowed, long remaining, Duration retryAfter) {
    static RateLimitDecision allowed(long remaining) {
        return new RateLimitDecision(true, remaining, Duration.ZERO);
    }

    static RateLimitDecision refused(Duration retryAfter) {
        return new RateLimitDecision(false, 0, retryAfter);
    }

    /** Seconds to put in a {@code Retry-After} header (at least 1 when refused). */
    public long retryAfterSeconds() {
        if (allowed) return 0;
        long s = (retryAfter.toMillis() + 999) / 1000;
        return Math.max(1, s);
    }
}
