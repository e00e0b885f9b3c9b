package dev.bulwark.app.platform;

import dev.bulwark.auth.ratelimit.LimitKind;
import dev.bulwark.auth.ratelimit.RateLimiter;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every rate limit of the app, on the store chosen by {@code BULWARK_RATE_LIMIT_STORE}: this node's memory ({@code local}),
 * or buckets shared by every node through Bucket4j's PostgreSQL backend (table {@code bulwark_rate_limit_bucket}, created by
 * the migrations) or Redis (Lettuce). With a shared store a limit of 10 is 10 for the whole cluster, not 10 per node.
 *
 * <p>{@link #limiter()} is auth-guard's limiter (login per address and per account, password reset, e-mail verification),
 * used by the login guard and the SSO gate; {@link #keyed} gives the app's own limits (public booking) on the same store.
 * Shared keys start with {@code BULWARK_RATE_LIMIT_KEY_PREFIX}, so several deployments can share one Redis.
 */
public final class RateLimits implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RateLimits.class);
    /** auth-guard's default table for its PostgreSQL backend (AuthSchema.RATE_LIMIT_POSTGRESQL_RESOURCE). */
    static final String POSTGRES_TABLE = "bulwark_rate_limit_bucket";
    /** Shared state lives until its bucket is full again, plus this margin (same rule as auth-guard's backends). */
    private static final Duration KEEP_AFTER_REFILL = Duration.ofSeconds(10);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);

    private final Config.RateLimitStore store;
    private final String prefix;
    private final RateLimiter limiter;
    private final ProxyManager<String> proxies;
    private final RedisClient redis;
    private final StatefulRedisConnection<String, byte[]> connection;

    private RateLimits(Config.RateLimitStore store, String prefix, RateLimiter limiter, ProxyManager<String> proxies, RedisClient redis,
                       StatefulRedisConnection<String, byte[]> connection) {
        this.store = store;
        this.prefix = prefix;
        this.limiter = limiter;
        this.proxies = proxies;
        this.redis = redis;
        this.connection = connection;
    }

    /** Opens the configured store; an unreachable Redis stops start-up with a {@link ConfigException}. */
    public static RateLimits open(Config config, Database db) {
        RateLimiter.Builder b = RateLimiter.builder()
                .limit(LimitKind.LOGIN_PER_IP, config.loginLimitPerIp, Duration.ofMinutes(1))
                .limit(LimitKind.LOGIN_PER_ACCOUNT, config.loginLimitPerAccount, Duration.ofMinutes(1))
                .keyPrefix(config.rateLimitKeyPrefix);
        String prefix = config.rateLimitKeyPrefix;
        switch (config.rateLimitStore) {
            case LOCAL -> {
                return new RateLimits(Config.RateLimitStore.LOCAL, prefix, b.build(), null, null, null);
            }
            case POSTGRESQL -> {
                if (!db.postgres()) throw new ConfigException("BULWARK_RATE_LIMIT_STORE=postgresql needs the app on PostgreSQL (BULWARK_DB_URL)");
                ProxyManager<String> pm = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(db.dataSource())
                        .primaryKeyMapper(PrimaryKeyMapper.STRING)
                        .table(POSTGRES_TABLE).idColumn("id").stateColumn("state").expiresAtColumn("expires_at")
                        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL))
                        .build();
                // The limiter's sweeper deletes expired rows of the whole table, the keyed limits' rows included.
                RateLimiter l = b.postgres(db.dataSource()).postgresTable(POSTGRES_TABLE).build();
                log.info("rate limits shared through PostgreSQL (table {}, key prefix {})", POSTGRES_TABLE, prefix);
                return new RateLimits(Config.RateLimitStore.POSTGRESQL, prefix, l, pm, null, null);
            }
            case REDIS -> {
                String url = config.redisUrl.orElseThrow(() -> new ConfigException("BULWARK_RATE_LIMIT_STORE=redis needs BULWARK_REDIS_URL"));
                RedisClient client = null;
                StatefulRedisConnection<String, byte[]> conn;
                try {
                    RedisURI uri = RedisURI.create(url);
                    if (uri.getTimeout().equals(RedisURI.DEFAULT_TIMEOUT_DURATION)) uri.setTimeout(REDIS_TIMEOUT);
                    client = RedisClient.create(uri);
                    conn = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
                    conn.sync().ping();
                } catch (RuntimeException e) {
                    if (client != null) client.shutdown();
                    throw new ConfigException("cannot connect to Redis at " + Config.redactRedisUrl(url) + " (BULWARK_REDIS_URL): "
                            + Config.redactRedisUrl(String.valueOf(e.getMessage())));
                }
                ProxyManager<String> pm = Bucket4jLettuce.casBasedBuilder(conn)
                        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL))
                        .build();
                log.info("rate limits shared through Redis at {} (key prefix {})", Config.redactRedisUrl(url), prefix);
                return new RateLimits(Config.RateLimitStore.REDIS, prefix, b.redis(conn).build(), pm, client, conn);
            }
            default -> throw new IllegalStateException("unknown store " + config.rateLimitStore);
        }
    }

    /** auth-guard's limiter: login per address / per account, password reset, e-mail verification (LoginGuard, SSO). */
    public RateLimiter limiter() {
        return limiter;
    }

    public Config.RateLimitStore store() {
        return store;
    }

    /**
     * An app-specific limit ({@code capacity} actions, refilled smoothly over {@code period}) per subject, on the configured
     * store. {@code name} is part of the shared key ({@code <prefix><name>:<subject>}), so two limits never share buckets.
     */
    public Keyed keyed(String name, long capacity, Duration period) {
        if (name == null || !name.matches("[A-Z][A-Z0-9_]{0,40}")) throw new IllegalArgumentException("limit name must be UPPER_SNAKE_CASE");
        return new Keyed(name, capacity, period);
    }

    /** One named limit, keyed per subject (e.g. a client address). */
    public final class Keyed {
        private static final int MAX_LOCAL_TRACKED = 100_000;
        private final String name;
        private final long capacity;
        private final Duration period;
        private final BucketConfiguration configuration;
        private final ConcurrentHashMap<String, Bucket> local = new ConcurrentHashMap<>();

        private Keyed(String name, long capacity, Duration period) {
            this.name = name;
            this.capacity = capacity;
            this.period = period;
            this.configuration = BucketConfiguration.builder().addLimit(l -> l.capacity(capacity).refillGreedy(capacity, period)).build();
        }

        /** Takes one token for {@code subject}; the probe says whether it was allowed and how long to wait if not. */
        public ConsumptionProbe tryConsume(String subject) {
            if (subject == null || subject.isEmpty()) throw new IllegalArgumentException("rate-limit subject is empty");
            if (proxies != null) return proxies.getProxy(key(subject), () -> configuration).tryConsumeAndReturnRemaining(1);
            // A flood of distinct subjects cannot grow this map without bound: past the cap it starts over.
            if (local.size() > MAX_LOCAL_TRACKED) local.clear();
            return local.computeIfAbsent(subject, k -> Bucket.builder()
                    .addLimit(l -> l.capacity(capacity).refillGreedy(capacity, period)).build()).tryConsumeAndReturnRemaining(1);
        }

        String key(String subject) {
            return prefix + name + ":" + (subject.length() <= 160 ? subject : sha256(subject));
        }
    }

    private static String sha256(String s) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        limiter.close();
        if (connection != null) connection.close();
        if (redis != null) redis.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
        return "RateLimits[" + store.value() + "]";
    }
}
