package dev.bulwark.app.booking;

import dev.bulwark.app.platform.AppError;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per-client-address limit on the public booking endpoints (Bucket4j, local to this node). The address is the one
 * the platform resolved from the trusted-proxy configuration, never a header the client controls.
 */
public final class BookingLimiter {
    private static final int MAX_TRACKED = 100_000;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final int perMinute;

    public BookingLimiter(int perMinute) {
        this.perMinute = perMinute;
    }

    public void check(String clientIp) {
        if (buckets.size() > MAX_TRACKED) buckets.clear();
        Bucket b = buckets.computeIfAbsent(clientIp, k -> Bucket.builder()
                .addLimit(l -> l.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1))).build());
        ConsumptionProbe p = b.tryConsumeAndReturnRemaining(1);
        if (!p.isConsumed()) {
            long s = TimeUnit.NANOSECONDS.toSeconds(p.getNanosToWaitForRefill()) + 1;
            throw new AppError(429, "too_many_bookings", "Too many booking requests from your address; try again in " + s + " seconds.").retryAfter(s);
        }
    }
}
