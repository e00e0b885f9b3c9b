package dev.bulwark.auth.ratelimit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keyed rate limits (per client address, per account) for login, password reset and e-mail verification, on
 * Bucket4j. The same API runs on one node ({@link Builder#build()}, in memory with idle eviction), or shared
 * between nodes through Bucket4j's PostgreSQL backend ({@link Builder#postgres}) or Redis via Lettuce
 * ({@link Builder#redis}).
 *
 * <pre>{@code
 * RateLimiter limits = RateLimiter.builder().build();          // documented defaults, see LimitKind
 * RateLimitDecision d = limits.tryConsume(LimitKind.PASSWORD_RESET_PER_IP, clientIp);
 * if (!d.allowed()) return tooManyRequests(d.retryAfterSeconds());
 * }</pre>
 */
public final class RateLimiter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

    private final Backend backend;
    private final Map<LimitKind, LimitRule> rules;
    /** Indexed by {@code LimitKind.ordinal()}: the hot path does two array loads, no map lookups. */
    private final BucketConfiguration[] configurations = new BucketConfiguration[LimitKind.values().length];
    private final long[] capacities = new long[LimitKind.values().length];
    private final ScheduledExecutorService sweeper;

    private RateLimiter(Backend backend, Map<LimitKind, LimitRule> rules, Duration sweepInterval) {
        this.backend = backend;
        this.rules = new EnumMap<>(rules);
        for (Map.Entry<LimitKind, LimitRule> e : rules.entrySet()) {
            LimitRule r = e.getValue();
            configurations[e.getKey().ordinal()] = BucketConfiguration.builder()
                    .addLimit(l -> l.capacity(r.capacity()).refillGreedy(r.capacity(), r.period()))
                    .build();
            capacities[e.getKey().ordinal()] = r.capacity();
        }
        if (sweepInterval.isZero()) {
            this.sweeper = null;
        } else {
            this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bulwark-rate-limit-sweeper");
                t.setDaemon(true);
                return t;
            });
            long ms = sweepInterval.toMillis();
            sweeper.scheduleWithFixedDelay(() -> {
                try {
                    backend.evictIdle();
                } catch (RuntimeException ex) {
                    LOG.warn("rate-limit idle eviction failed: {}", ex.getClass().getSimpleName());
                }
            }, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Takes one token from the bucket of {@code kind} for {@code subject} (a client address or account key).
     * A null or empty subject is refused rather than sharing one bucket.
     */
    public RateLimitDecision tryConsume(LimitKind kind, String subject) {
        Objects.requireNonNull(kind, "kind");
        if (subject == null || subject.isEmpty()) throw new IllegalArgumentException("rate-limit subject is empty");
        int k = kind.ordinal();
        ConsumptionProbe p = backend.tryConsume(kind, subject, configurations[k], capacities[k]);
        return p.isConsumed() ? RateLimitDecision.allowed(p.getRemainingTokens())
                : RateLimitDecision.refused(Duration.ofNanos(p.getNanosToWaitForRefill()));
    }

    public LimitRule rule(LimitKind kind) {
        return rules.get(kind);
    }

    /**
     * Removes state equal to a fresh bucket (local: buckets refilled to capacity; PostgreSQL: expired rows;
     * Redis expires keys itself). Runs periodically by itself; callable directly. Returns entries removed or -1.
     */
    public int evictIdle() {
        return backend.evictIdle();
    }

    /** Keys currently held in memory by the local backend; -1 for shared backends. */
    public long trackedKeys() {
        return backend.trackedKeys();
    }

    @Override
    public void close() {
        if (sweeper != null) sweeper.shutdownNow();
        backend.close();
    }

    /** Configures a {@link RateLimiter}. Without a backend call, buckets are local to this node. */
    public static final class Builder {
        private final Map<LimitKind, LimitRule> rules = new EnumMap<>(LimitKind.class);
        private Clock clock = Clock.systemUTC();
        private Duration sweepInterval = Duration.ofMinutes(1);
        private String keyPrefix = "bulwark:rl:";
        private DataSource postgres;
        private String postgresTable = "bulwark_rate_limit_bucket";
        private RedisClient redisClient;
        private StatefulRedisConnection<String, byte[]> redisConnection;

        private Builder() {
            for (LimitKind k : LimitKind.values()) rules.put(k, k.defaultRule());
        }

        /** Overrides one limit's default. */
        public Builder limit(LimitKind kind, long capacity, Duration period) {
            rules.put(Objects.requireNonNull(kind), new LimitRule(capacity, period));
            return this;
        }

        /** Time source (tests inject a controllable clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** How often idle state is evicted in the background; {@code Duration.ZERO} disables the background sweep. */
        public Builder sweepInterval(Duration interval) {
            if (interval.isNegative()) throw new IllegalArgumentException("sweepInterval must not be negative");
            this.sweepInterval = interval;
            return this;
        }

        /** Prefix of shared keys, so several applications can share one Redis or table (default {@code bulwark:rl:}). */
        public Builder keyPrefix(String prefix) {
            if (prefix == null || prefix.length() > 64) throw new IllegalArgumentException("keyPrefix must be at most 64 characters");
            this.keyPrefix = prefix;
            return this;
        }

        /**
         * Shares buckets through PostgreSQL (Bucket4j select-for-update backend). The table comes from
         * {@code AuthSchema.createRateLimitTable} ({@code dev/bulwark/auth/rate-limit-postgresql.sql}).
         */
        public Builder postgres(DataSource dataSource) {
            this.postgres = Objects.requireNonNull(dataSource);
            return this;
        }

        public Builder postgresTable(String table) {
            if (table == null || !table.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) throw new IllegalArgumentException("invalid table name");
            this.postgresTable = table;
            return this;
        }

        /** Shares buckets through Redis; the limiter opens (and on close, closes) its own connection. */
        public Builder redis(RedisClient client) {
            this.redisClient = Objects.requireNonNull(client);
            return this;
        }

        /** Shares buckets through Redis on a connection with String keys and byte[] values, owned by the caller. */
        public Builder redis(StatefulRedisConnection<String, byte[]> connection) {
            this.redisConnection = Objects.requireNonNull(connection);
            return this;
        }

        public RateLimiter build() {
            int backends = (postgres != null ? 1 : 0) + (redisClient != null ? 1 : 0) + (redisConnection != null ? 1 : 0);
            if (backends > 1) throw new IllegalStateException("choose one shared backend: postgres or redis");
            // The system clock needs no adapter (and no Instant per decision).
            TimeMeter time = clock.equals(Clock.systemUTC()) ? TimeMeter.SYSTEM_MILLISECONDS : timeMeter(clock);
            Backend b;
            if (postgres != null) b = DistributedBackends.postgres(postgres, postgresTable, keyPrefix, time);
            else if (redisClient != null) b = DistributedBackends.redis(redisClient, keyPrefix, time);
            else if (redisConnection != null) b = DistributedBackends.redis(redisConnection, keyPrefix, time);
            else b = new LocalBackend(time);
            boolean redis = redisClient != null || redisConnection != null;
            return new RateLimiter(b, rules, redis ? Duration.ZERO : sweepInterval);
        }

        private static TimeMeter timeMeter(Clock clock) {
            return new TimeMeter() {
                @Override
                public long currentTimeNanos() {
                    java.time.Instant i = clock.instant();
                    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
                }

                @Override
                public boolean isWallClockBased() {
                    return true;
                }
            };
        }
    }
}
