package dev.bulwark.webhook;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A test clock set by hand. */
final class FixedClock extends Clock {
    volatile Instant now;

    FixedClock(long epochSecond) {
        this.now = Instant.ofEpochSecond(epochSecond);
    }

    void set(long epochSecond) {
        now = Instant.ofEpochSecond(epochSecond);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
