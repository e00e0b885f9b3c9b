package dev.bulwark.auth.ratelimit;

import dev.bulwark.auth.AuthSchema;
import dev.bulwark.testkit.MutableClock;
import dev.bulwark.testkit.Services;
import dev.bulwark.testkit.TestDatabase;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The same rate-limit contract on every backend: local buckets, Bucket4j PostgreSQL, Bucket4j Redis (Lettuce). */
class RateLimiterIT {

    enum Kind { LOCAL, POSTGRESQL, REDIS }

    /** One backend's resources; {@link #limiter} builds limiters that share its state. */
    static final class Fixture implements AutoCloseable {
        final Kind kind;
        final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
        final String prefix = "it:" + UUID.randomUUID() + ":";
        TestDatabase db;
        RedisClient redis;

        Fixture(Kind kind) {
            this.kind = kind;
            if (kind == Kind.POSTGRESQL) {
                db = TestDatabase.postgres();
                AuthSchema.createRateLimitTable(db.dataSource());
            } else if (kind == Kind.REDIS) {
                Services.assumeRedis();
                redis = RedisClient.create(Services.redisUrl());
            }
        }

        RateLimiter limiter(Consumer<RateLimiter.Builder> config) {
            RateLimiter.Builder b = RateLimiter.builder().clock(clock).keyPrefix(prefix).sweepInterval(Duration.ZERO);
            config.accept(b);
            if (kind == Kind.POSTGRESQL) b.postgres(db.dataSource());
            if (kind == Kind.REDIS) b.redis(redis);
            return b.build();
        }

        @Override
        public void close() {
            if (db != null) db.close();
            if (redis != null) redis.shutdown();
        }
    }

    private static Consumer<RateLimiter.Builder> threePerMinute() {
        return b -> b.limit(LimitKind.LOGIN_PER_IP, 3, Duration.ofMinutes(1)).limit(LimitKind.LOGIN_PER_ACCOUNT, 3, Duration.ofMinutes(1));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void burstUpToCapacityThenRefusedWithRetryAfter(Kind kind) {
        try (Fixture f = new Fixture(kind); RateLimiter l = f.limiter(threePerMinute())) {
            for (int i = 0; i < 3; i++) assertThat(l.tryConsume(LimitKind.LOGIN_PER_IP, "203.0.113.7").allowed()).isTrue();
            RateLimitDecision refused = l.tryConsume(LimitKind.LOGIN_PER_IP, "203.0.113.7");
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
            assertThat(refused.retryAfterSeconds()).isBetween(1L, 60L);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void tokensRefillAsTheClockAdvances(Kind kind) {
        try (Fixture f = new Fixture(kind); RateLimiter l = f.limiter(threePerMinute())) {
            for (int i = 0; i < 3; i++) l.tryConsume(LimitKind.LOGIN_PER_IP, "198.51.100.1");
            assertThat(l.tryConsume(LimitKind.LOGIN_PER_IP, "198.51.100.1").allowed()).isFalse();
            f.clock.advance(Duration.ofSeconds(20)); // greedy refill: one token per 20 s
            assertThat(l.tryConsume(LimitKind.LOGIN_PER_IP, "198.51.100.1").allowed()).isTrue();
            assertThat(l.tryConsume(LimitKind.LOGIN_PER_IP, "198.51.100.1").allowed()).isFalse();
            f.clock.advance(Duration.ofMinutes(5));
            for (int i = 0; i < 3; i++) assertThat(l.tryConsume(LimitKind.LOGIN_PER_IP, "198.51.100.1").allowed()).isTrue();
            assertThat(l.tryConsume(LimitKind.LOGIN_PER_IP, "198.51.100.1").allowed()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void subjectsAndLimitKindsHaveSeparateBuckets(Kind kind) {
        try (Fixture f = new Fixture(kind); RateLimiter l = f.limiter(threePerMinute())) {
            for (int i = 0; i < 3; i++) l.tryConsume(LimitKind.LOGIN_PER_IP, "192.0.2.1");
            assertThat(l.tryConsume(LimitKind.LOGIN_PER_IP, "192.0.2.1").allowed()).isFalse();
            assertThat(l.tryConsume(LimitKind.LOGIN_PER_IP, "192.0.2.2").allowed()).isTrue();
            assertThat(l.tryConsume(LimitKind.LOGIN_PER_ACCOUNT, "192.0.2.1").allowed()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void defaultsApplyWhenNotOverridden(Kind kind) {
        try (Fixture f = new Fixture(kind); RateLimiter l = f.limiter(b -> { })) {
            long cap = LimitKind.PASSWORD_RESET_PER_ACCOUNT.defaultRule().capacity();
            for (int i = 0; i < cap; i++) assertThat(l.tryConsume(LimitKind.PASSWORD_RESET_PER_ACCOUNT, "ann@example.com").allowed()).isTrue();
            assertThat(l.tryConsume(LimitKind.PASSWORD_RESET_PER_ACCOUNT, "ann@example.com").allowed()).isFalse();
        }
    }

    /** Local buckets belong to one node by design, so only the shared backends are asked to share. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"POSTGRESQL", "REDIS"})
    void nodesSharingABackendShareBuckets(Kind kind) {
        try (Fixture f = new Fixture(kind); RateLimiter nodeA = f.limiter(threePerMinute()); RateLimiter nodeB = f.limiter(threePerMinute())) {
            nodeA.tryConsume(LimitKind.LOGIN_PER_ACCOUNT, "ann@example.com");
            nodeB.tryConsume(LimitKind.LOGIN_PER_ACCOUNT, "ann@example.com");
            nodeA.tryConsume(LimitKind.LOGIN_PER_ACCOUNT, "ann@example.com");
            assertThat(nodeB.tryConsume(LimitKind.LOGIN_PER_ACCOUNT, "ann@example.com").allowed()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void veryLongSubjectsStillGetTheirOwnBucket(Kind kind) {
        try (Fixture f = new Fixture(kind); RateLimiter l = f.limiter(threePerMinute())) {
            String a = "a".repeat(300) + "@example.com";
            String b = "b".repeat(300) + "@example.com";
            for (int i = 0; i < 3; i++) l.tryConsume(LimitKind.LOGIN_PER_ACCOUNT, a);
            assertThat(l.tryConsume(LimitKind.LOGIN_PER_ACCOUNT, a).allowed()).isFalse();
            assertThat(l.tryConsume(LimitKind.LOGIN_PER_ACCOUNT, b).allowed()).isTrue();
        }
    }
}
