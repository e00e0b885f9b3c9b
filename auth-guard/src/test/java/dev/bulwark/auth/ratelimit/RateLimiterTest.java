package dev.bulwark.auth.ratelimit;

import dev.bulwark.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimiterTest {

    @Test
    void idleKeysAreEvictedOnceRefilledAndBusyKeysAreKept() {
        MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
        try (RateLimiter l = RateLimiter.builder().clock(clock).sweepInterval(Duration.ZERO)
                .limit(LimitKind.LOGIN_PER_IP, 5, Duration.ofMinutes(1)).build()) {
            for (int i = 0; i < 1000; i++) l.tryConsume(LimitKind.LOGIN_PER_IP, "10.0." + (i / 256) + "." + (i % 256));
            for (int i = 0; i < 5; i++) l.tryConsume(LimitKind.LOGIN_PER_IP, "busy");
            assertThat(l.trackedKeys()).isEqualTo(1001);
            assertThat(l.evictIdle()).isZero(); // nothing has refilled yet
            clock.advance(Duration.ofSeconds(15)); // 1 token back: the 1000 single-use keys are full again, "busy" is not
            assertThat(l.evictIdle()).isEqualTo(1000);
            assertThat(l.trackedKeys()).isEqualTo(1);
            // "busy" still remembers its debt.
            assertThat(l.tryConsume(LimitKind.LOGIN_PER_IP, "busy").allowed()).isTrue();
            assertThat(l.tryConsume(LimitKind.LOGIN_PER_IP, "busy").allowed()).isFalse();
        }
    }

    @Test
    void evictedKeyStartsFullButNeverAboveCapacity() {
        MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
        try (RateLimiter l = RateLimiter.builder().clock(clock).sweepInterval(Duration.ZERO)
                .limit(LimitKind.LOGIN_PER_IP, 2, Duration.ofMinutes(1)).build()) {
            l.tryConsume(LimitKind.LOGIN_PER_IP, "x");
            clock.advance(Duration.ofMinutes(1));
            l.evictIdle();
            assertThat(l.tryConsume(LimitKind.LOGIN_PER_IP, "x").allowed()).isTrue();
            assertThat(l.tryConsume(LimitKind.LOGIN_PER_IP, "x").allowed()).isTrue();
            assertThat(l.tryConsume(LimitKind.LOGIN_PER_IP, "x").allowed()).isFalse();
        }
    }

    @Test
    void emptySubjectIsRefusedRatherThanSharingOneBucket() {
        try (RateLimiter l = RateLimiter.builder().build()) {
            assertThatThrownBy(() -> l.tryConsume(LimitKind.LOGIN_PER_IP, "")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void invalidRulesAreRejected() {
        assertThatThrownBy(() -> new LimitRule(0, Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LimitRule(5, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
