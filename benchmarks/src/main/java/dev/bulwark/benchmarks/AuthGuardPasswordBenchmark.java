package dev.bulwark.benchmarks;

import dev.bulwark.auth.password.PasswordHasher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

import java.util.concurrent.TimeUnit;

/**
 * auth-guard: one Argon2id hash at OWASP's defaults (m = 19456 KiB, t = 2, p = 1, 16-byte salt, 32-byte tag).
 * Ours (bounded executor hand-off + PHC encoding) against Spring Security's Argon2PasswordEncoder at the same
 * parameters (both run Bouncy Castle's Argon2 underneath).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AuthGuardPasswordBenchmark {
    private static final String PASSWORD = "correct horse battery staple";
    private PasswordHasher ours;
    private Argon2PasswordEncoder spring;

    @Setup
    public void setup() {
        ours = PasswordHasher.builder().build();
        spring = new Argon2PasswordEncoder(16, 32, 1, 19_456, 2);
    }

    @TearDown
    public void tearDown() {
        ours.close();
    }

    @Benchmark
    public String oursArgon2idHash() {
        return ours.hash(PASSWORD);
    }

    @Benchmark
    public String springArgon2PasswordEncoder() {
        return spring.encode(PASSWORD);
    }
}
