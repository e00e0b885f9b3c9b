package dev.bulwark.benchmarks;

import dev.bulwark.auth.ratelimit.LimitKind;
import dev.bulwark.auth.ratelimit.RateLimiter;
import io.github.bucket4j.Bucket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * auth-guard: one keyed rate-limit decision (per client address) over 65 536 distinct keys.
 * Ours (RateLimiter, local backend) against Bucket4j used directly with a ConcurrentHashMap of buckets and the same
 * bandwidth (20 per minute, greedy refill).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AuthGuardRateLimitBenchmark {
    private static final int KEYS = 1 << 16;
    private final String[] keys = new String[KEYS];
    private RateLimiter ours;
    private final ConcurrentHashMap<String, Bucket> raw = new ConcurrentHashMap<>();
    private int i;
    private int j;

    @Setup
    public void setup() {
        for (int k = 0; k < KEYS; k++) keys[k] = "10." + (k >> 16 & 255) + "." + (k >> 8 & 255) + "." + (k & 255);
        ours = RateLimiter.builder().limit(LimitKind.LOGIN_PER_IP, 20, Duration.ofMinutes(1)).build();
    }

    @TearDown
    public void tearDown() {
        ours.close();
    }

    @Benchmark
    public boolean oursRateLimiter() {
        return ours.tryConsume(LimitKind.LOGIN_PER_IP, keys[i++ & (KEYS - 1)]).allowed();
    }

    @Benchmark
    public boolean bucket4jDirectMap() {
        String key = keys[j++ & (KEYS - 1)];
        Bucket b = raw.computeIfAbsent(key, k -> Bucket.builder()
                .addLimit(l -> l.capacity(20).refillGreedy(20, Duration.ofMinutes(1))).build());
        return b.tryConsumeAndReturnRemaining(1).isConsumed();
    }
}
