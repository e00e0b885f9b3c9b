package dev.bulwark.app.platform;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigTest {
    @Test
    void defaultsAreTheSecureZeroSetupOnes() {
        Config c = Config.from(Map.of());
        assertThat(c.httpsPort).isEqualTo(8443);
        assertThat(c.httpPort).isEqualTo(8080);
        assertThat(c.dataDir).isEqualTo(Path.of("./data").toAbsolutePath().normalize());
        assertThat(c.postgres()).isFalse();
        // ASVS 4.0.3 3.3.2 Level 2: re-authentication after 30 minutes idle and after 12 hours at most.
        assertThat(c.sessionIdleTimeout).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.sessionAbsoluteLifetime).isEqualTo(Duration.ofHours(12));
        assertThat(c.reauthWindow).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.trustedProxies).isEmpty();
        assertThat(c.origin()).isEqualTo("https://localhost:8443");
        assertThat(c.masterKeyFile).isEqualTo(c.dataDir.resolve("master.key"));
    }

    @Test
    void everyProblemIsListedAtOnce() {
        assertThatThrownBy(() -> Config.from(Map.of("BULWARK_HTTPS_PORT", "x", "BULWARK_SESSION_IDLE_TIMEOUT", "1 day",
                "BULWARK_TRUSTED_PROXIES", "10.0.0.0/33", "BULWARK_PUBLIC_URL", "http://app.example", "BULWARK_TLS_CERT_FILE", "/nope.pem")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(5)
                        .anySatisfy(p -> assertThat(p).contains("BULWARK_HTTPS_PORT"))
                        .anySatisfy(p -> assertThat(p).contains("BULWARK_SESSION_IDLE_TIMEOUT").contains("PT24H"))
                        .anySatisfy(p -> assertThat(p).contains("BULWARK_TRUSTED_PROXIES"))
                        .anySatisfy(p -> assertThat(p).contains("https://"))
                        .anySatisfy(p -> assertThat(p).contains("BULWARK_TLS_KEY_FILE")));
    }

    @Test
    void unknownOptionsAreRefusedSoTyposDoNotSilentlyFallBackToDefaults() {
        assertThatThrownBy(() -> Config.from(Map.of("BULWARK_SESION_IDLE_TIMEOUT", "PT1H"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("BULWARK_SESION_IDLE_TIMEOUT");
    }

    @Test
    void postgresNeedsAnApplicationRole() {
        assertThatThrownBy(() -> Config.from(Map.of("BULWARK_DB_URL", "jdbc:postgresql://db/app"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("BULWARK_DB_USER");
        assertThatThrownBy(() -> Config.from(Map.of("BULWARK_DB_URL", "jdbc:mysql://db/app?password=hunter2")))
                .hasMessageContaining("jdbc:postgresql:").hasMessageNotContaining("hunter2");
    }

    @Test
    void theConfigFileIsReadAndTheEnvironmentWins() throws Exception {
        Path f = Files.createTempFile("bulwark", ".properties");
        Files.writeString(f, "BULWARK_HTTPS_PORT=9443\nBULWARK_HTTP_PORT=9080\n");
        Config c = Config.from(Map.of("BULWARK_CONFIG_FILE", f.toString(), "BULWARK_HTTP_PORT", "-1"));
        assertThat(c.httpsPort).isEqualTo(9443);
        assertThat(c.httpPort).isEqualTo(-1);
        Files.writeString(f, "BULWARK_HTTPS_PORTT=9443\n");
        assertThatThrownBy(() -> Config.from(Map.of("BULWARK_CONFIG_FILE", f.toString()))).hasMessageContaining("unknown option BULWARK_HTTPS_PORTT");
    }

    @Test
    void secretsNeverAppearInToString() {
        Config c = Config.from(Map.of("BULWARK_SMTP_PASSWORD", "hunter2", "BULWARK_MASTER_KEY", "c2VjcmV0",
                "BULWARK_DB_URL", "jdbc:postgresql://db/app?password=hunter2", "BULWARK_DB_USER", "app"));
        assertThat(c.toString()).doesNotContain("hunter2").doesNotContain("c2VjcmV0");
    }

    /** Hostile values never escape as anything but a ConfigException. */
    @Property(tries = 10000)
    void anyValueEitherParsesOrGivesAConfigException(@ForAll("keys") String key, @ForAll String value) {
        try {
            Config.from(Map.of(key, value));
        } catch (ConfigException e) {
            assertThat(e.problems()).isNotEmpty();
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> keys() {
        return net.jqwik.api.Arbitraries.of(Config.KEYS.keySet().stream().filter(k -> !k.equals("BULWARK_CONFIG_FILE")).toList());
    }

    @Property(tries = 200)
    void unknownNamesAlwaysFail(@ForAll @AlphaChars String suffix) {
        String key = "BULWARK_X_" + suffix;
        assertThatThrownBy(() -> Config.from(Map.of(key, "1"))).isInstanceOf(ConfigException.class);
    }

    @Test
    void rateLimitsAreLocalOnH2AndSharedThroughPostgresqlByDefault() {
        assertThat(Config.from(Map.of()).rateLimitStore).isEqualTo(Config.RateLimitStore.LOCAL);
        Config pg = Config.from(Map.of("BULWARK_DB_URL", "jdbc:postgresql://db/app", "BULWARK_DB_USER", "app"));
        assertThat(pg.rateLimitStore).as("a PostgreSQL deployment may run several nodes").isEqualTo(Config.RateLimitStore.POSTGRESQL);
        assertThat(pg.rateLimitKeyPrefix).isEqualTo("bulwark:rl:");
        Config local = Config.from(Map.of("BULWARK_DB_URL", "jdbc:postgresql://db/app", "BULWARK_DB_USER", "app", "BULWARK_RATE_LIMIT_STORE", "local"));
        assertThat(local.rateLimitStore).isEqualTo(Config.RateLimitStore.LOCAL);
        Config redis = Config.from(Map.of("BULWARK_RATE_LIMIT_STORE", "Redis", "BULWARK_REDIS_URL", "rediss://cache.internal:6380/2",
                "BULWARK_RATE_LIMIT_KEY_PREFIX", "shop-a:rl:"));
        assertThat(redis.rateLimitStore).isEqualTo(Config.RateLimitStore.REDIS);
        assertThat(redis.redisUrl).contains("rediss://cache.internal:6380/2");
        assertThat(redis.rateLimitKeyPrefix).isEqualTo("shop-a:rl:");
    }

    @Test
    void aRateLimitStoreThatCannotWorkIsRefusedWithWhatToSet() {
        assertThatThrownBy(() -> Config.from(Map.of("BULWARK_RATE_LIMIT_STORE", "redis")))
                .hasMessageContaining("BULWARK_RATE_LIMIT_STORE=redis needs BULWARK_REDIS_URL").hasMessageContaining("redis://");
        assertThatThrownBy(() -> Config.from(Map.of("BULWARK_RATE_LIMIT_STORE", "postgresql")))
                .hasMessageContaining("BULWARK_RATE_LIMIT_STORE=postgresql needs the app on PostgreSQL").hasMessageContaining("BULWARK_DB_URL");
        assertThatThrownBy(() -> Config.from(Map.of("BULWARK_RATE_LIMIT_STORE", "memcached")))
                .hasMessageContaining("BULWARK_RATE_LIMIT_STORE must be one of local, postgresql, redis");
        assertThatThrownBy(() -> Config.from(Map.of("BULWARK_REDIS_URL", "redis://127.0.0.1:6379")))
                .as("a Redis URL that would be ignored").hasMessageContaining("set BULWARK_RATE_LIMIT_STORE=redis");
        assertThatThrownBy(() -> Config.from(Map.of("BULWARK_RATE_LIMIT_STORE", "redis", "BULWARK_REDIS_URL", "http://127.0.0.1:6379")))
                .hasMessageContaining("BULWARK_REDIS_URL must look like redis://");
        assertThatThrownBy(() -> Config.from(Map.of("BULWARK_RATE_LIMIT_KEY_PREFIX", "has space")))
                .hasMessageContaining("BULWARK_RATE_LIMIT_KEY_PREFIX");
    }

    @Test
    void theRedisPasswordNeverAppearsInMessages() {
        assertThatThrownBy(() -> Config.from(Map.of("BULWARK_REDIS_URL", "redis://:hunter2@cache:6379"))).hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> Config.from(Map.of("BULWARK_RATE_LIMIT_STORE", "redis", "BULWARK_REDIS_URL", "tcp://user:hunter2@cache:6379")))
                .hasMessageContaining("BULWARK_REDIS_URL").hasMessageNotContaining("hunter2");
        assertThat(Config.redactRedisUrl("redis://hunter2@cache:6379/0")).isEqualTo("redis://<redacted>@cache:6379/0");
        assertThat(Config.redactRedisUrl("redis://default:hunter2@cache:6379")).isEqualTo("redis://default:<redacted>@cache:6379");
        Config c = Config.from(Map.of("BULWARK_RATE_LIMIT_STORE", "redis", "BULWARK_REDIS_URL", "redis://:hunter2@cache:6379"));
        assertThat(c.toString()).doesNotContain("hunter2").contains("rateLimits=redis");
    }
}
