package dev.bulwark.app.booking;

import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.RateLimits;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Per-client-address limit on the public booking endpoints, on the app's rate-limit store (BULWARK_RATE_LIMIT_STORE:
 * local to this node, or shared by every node through PostgreSQL or Redis). The address is the one the platform
 * resolved from the trusted-proxy configuration, never a header the client controls.
 */
public final class BookingLimiter {
    private final RateLimits.Keyed perAddress;

    public BookingLimiter(RateLimits limits, int perMinute) {
        this.perAddress = limits.keyed("BOOKING_PER_IP", perMinute, Duration.ofMinutes(1));
    }

    public void check(String clientIp) {
        ConsumptionProbe p = perAddress.tryConsume(clientIp);
        if (!p.isConsumed()) {
            long s = TimeUnit.NANOSECONDS.toSeconds(p.getNanosToWaitForRefill()) + 1;
            throw new AppError(429, "too_many_bookings", "Too many booking requests from your address; try again in " + s + " seconds.").retryAfter(s);
        }
    }
}
