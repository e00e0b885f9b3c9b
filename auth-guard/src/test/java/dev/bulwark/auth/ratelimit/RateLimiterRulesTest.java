package dev.bulwark.auth.ratelimit;

import dev.bulwark.testkit.MutableClock;
import io.lettuce.core.RedisClient;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimiterRulesTest {
    private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");

    private RateLimiter threePerMinute() {
        return RateLimiter.builder().clock(clock).sweepInterval(Duration.ZERO).limit(LimitKind.LOGIN_PER_IP, 3, Duration.ofMinutes(1)).build();
    }

    @Test
    void documentedDefaultsAreTheRulesInForce() {
        try (RateLimiter l = RateLimiter.builder().sweepInterval(Duration.ZERO).build()) {
            assertThat(l.rule(LimitKind.LOGIN_PER_IP)).isEqualTo(new LimitRule(20, Duration.ofMinutes(1)));
            assertThat(l.rule(LimitKind.LOGIN_PER_ACCOUNT)).isEqualTo(new LimitRule(10, Duration.ofMinutes(1)));
            assertThat(l.rule(LimitKind.PASSWORD_RESET_PER_IP)).isEqualTo(new LimitRule(10, Duration.ofHours(1)));
            assertThat(l.rule(LimitKind.PASSWORD_RESET_PER_ACCOUNT)).isEqualTo(new LimitRule(3, Duration.ofHours(1)));
            assertThat(l.rule(LimitKind.EMAIL_VERIFICATION_PER_IP)).isEqualTo(new LimitRule(10, Duration.ofHours(1)));
            assertThat(l.rule(LimitKind.EMAIL_VERIFICATION_PER_ACCOUNT)).isEqualTo(new LimitRule(5, Duration.ofHours(1)));
        }
        try (RateLimiter l = threePerMinute()) {
            assertThat(l.rule(LimitKind.LOGIN_PER_IP)).isEqualTo(new LimitRule(3, Duration.ofMinutes(1)));
        }
    }

    @Test
    void remainingTokensCountDownToZero() {
        try (RateLimiter l = threePerMinute()) {
            assertThat(l.tryConsume(LimitKind.LOGIN_PER_IP, "a").remaining()).isEqualTo(2);
            assertThat(l.tryConsume(LimitKind.LOGIN_PER_IP, "a").remaining()).isEqualTo(1);
            RateLimitDecision last = l.tryConsume(LimitKind.LOGIN_PER_IP, "a");
            assertThat(last.remaining()).isZero();
            assertThat(last.retryAfter()).isZero();
            assertThat(last.retryAfterSeconds()).isZero();
        }
    }

    @Test
    void retryAfterIsExactToTheMillisecondOfTheInjectedClock() {
        try (RateLimiter l = threePerMinute()) {
            for (int i = 0; i < 3; i++) l.tryConsume(LimitKind.LOGIN_PER_IP, "a");
            assertThat(l.tryConsume(LimitKind.LOGIN_PER_IP, "a").retryAfter()).isEqualTo(Duration.ofSeconds(20));
            clock.advance(Duration.ofMillis(19_250));
            RateLimitDecision d = l.tryConsume(LimitKind.LOGIN_PER_IP, "a");
            assertThat(d.retryAfter()).isEqualTo(Duration.ofMillis(750));
            assertThat(d.retryAfterSeconds()).isEqualTo(1);
            clock.advance(Duration.ofMillis(750));
            assertThat(l.tryConsume(LimitKind.LOGIN_PER_IP, "a").allowed()).isTrue();
        }
    }

    @Test
    void retryAfterSecondsRoundsUpAndIsAtLeastOne() {
        assertThat(RateLimitDecision.refused(Duration.ZERO).retryAfterSeconds()).isEqualTo(1);
        assertThat(RateLimitDecision.refused(Duration.ofMillis(1)).retryAfterSeconds()).isEqualTo(1);
        assertThat(RateLimitDecision.refused(Duration.ofMillis(1000)).retryAfterSeconds()).isEqualTo(1);
        assertThat(RateLimitDecision.refused(Duration.ofMillis(1001)).retryAfterSeconds()).isEqualTo(2);
        assertThat(RateLimitDecision.refused(Duration.ofSeconds(90)).retryAfterSeconds()).isEqualTo(90);
        assertThat(RateLimitDecision.allowed(4).retryAfterSeconds()).isZero();
    }

    @Test
    void backgroundSweepEvictsRefilledBuckets() throws Exception {
        try (RateLimiter l = RateLimiter.builder().clock(clock).sweepInterval(Duration.ofMillis(20))
                .limit(LimitKind.LOGIN_PER_IP, 3, Duration.ofMinutes(1)).build()) {
            l.tryConsume(LimitKind.LOGIN_PER_IP, "a");
            assertThat(l.trackedKeys()).isEqualTo(1);
            clock.advance(Duration.ofMinutes(1));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (l.trackedKeys() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(l.trackedKeys()).isZero();
        }
    }

    @Test
    void closingDropsLocalState() {
        RateLimiter l = threePerMinute();
        l.tryConsume(LimitKind.LOGIN_PER_IP, "a");
        l.close();
        assertThat(l.trackedKeys()).isZero();
    }

    @Test
    void longSubjectsAreHashedIntoBoundedKeys() {
        ProxyBackend b = new ProxyBackend(null, "app:", () -> 0, () -> { });
        String s160 = "s".repeat(160);
        assertThat(b.key(LimitKind.LOGIN_PER_ACCOUNT, s160)).isEqualTo("app:LOGIN_PER_ACCOUNT:" + s160);
        String k161 = b.key(LimitKind.LOGIN_PER_ACCOUNT, s160 + "s");
        assertThat(k161).matches("app:LOGIN_PER_ACCOUNT:sha256:[0-9a-f]{64}");
        assertThat(b.key(LimitKind.LOGIN_PER_ACCOUNT, s160 + "t")).isNotEqualTo(k161);
        assertThat(b.trackedKeys()).isEqualTo(-1);
    }

    @Test
    void rulesAndSettingsAreBounded() {
        assertThat(new LimitRule(1, Duration.ofDays(7)).capacity()).isEqualTo(1);
        assertThat(new LimitRule(1_000_000, Duration.ofMillis(1)).capacity()).isEqualTo(1_000_000);
        assertThatThrownBy(() -> new LimitRule(1_000_001, Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LimitRule(5, Duration.ofDays(7).plusMillis(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LimitRule(5, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LimitRule(5, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimiter.builder().keyPrefix("p".repeat(65))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimiter.builder().keyPrefix(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(RateLimiter.builder().keyPrefix("p".repeat(64))).isNotNull();
        assertThatThrownBy(() -> RateLimiter.builder().postgresTable("bad-name")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimiter.builder().postgresTable(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(RateLimiter.builder().postgresTable("_" + "t".repeat(62))).isNotNull();
        assertThatThrownBy(() -> RateLimiter.builder().sweepInterval(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimiter.builder().build().tryConsume(LimitKind.LOGIN_PER_IP, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyOneSharedBackendMayBeChosen() {
        RedisClient redis = RedisClient.create("redis://127.0.0.1:6379");
        try {
            assertThatThrownBy(() -> RateLimiter.builder().postgres(new JdbcDataSource()).redis(redis).build())
                    .isInstanceOf(IllegalStateException.class);
        } finally {
            redis.shutdown();
        }
    }
}
