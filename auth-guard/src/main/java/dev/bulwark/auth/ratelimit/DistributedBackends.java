package dev.bulwark.auth.ratelimit;

import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

import javax.sql.DataSource;
import java.time.Duration;

/** Factories for the shared backends; kept apart so the optional PostgreSQL/Lettuce classes load only when used. */
final class DistributedBackends {
    /** Extra lifetime past "bucket full again" before shared state expires. */
    private static final Duration KEEP_AFTER_REFILL = Duration.ofSeconds(10);

    private DistributedBackends() {}

    static Backend postgres(DataSource dataSource, String table, String prefix, TimeMeter clock) {
        PostgreSQLSelectForUpdateBasedProxyManager<String> pm = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table(table)
                .idColumn("id")
                .stateColumn("state")
                .expiresAtColumn("expires_at")
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL))
                .clientClock(clock)
                .build();
        return new ProxyBackend(pm, prefix, () -> {
            int total = 0;
            int n;
            do {
                n = pm.removeExpired(1000);
                total += n;
            } while (n == 1000);
            return total;
        }, () -> { });
    }

    static Backend redis(RedisClient client, String prefix, TimeMeter clock) {
        StatefulRedisConnection<String, byte[]> conn = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        return new ProxyBackend(proxy(conn, clock), prefix, () -> -1, conn::close);
    }

    static Backend redis(StatefulRedisConnection<String, byte[]> conn, String prefix, TimeMeter clock) {
        return new ProxyBackend(proxy(conn, clock), prefix, () -> -1, () -> { });
    }

    private static io.github.bucket4j.distributed.proxy.ProxyManager<String> proxy(StatefulRedisConnection<String, byte[]> conn, TimeMeter clock) {
        return Bucket4jLettuce.casBasedBuilder(conn)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL))
                .clientClock(clock)
                .build();
    }
}
