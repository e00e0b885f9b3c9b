package dev.bulwark.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.audit.Actor;
import dev.bulwark.audit.AuditEvent;
import dev.bulwark.audit.AuditLog;
import dev.bulwark.audit.ChainId;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.HmacAuditKey;
import dev.bulwark.audit.JdbcAuditStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Audit append throughput on real PostgreSQL with 8 concurrent writers (entries/s):
 * <ul>
 *   <li>{@code appendSharedChain}: all 8 writers append to one workspace's chain (each append locks the chain head);</li>
 *   <li>{@code appendOwnChain}: each writer appends to its own workspace's chain;</li>
 *   <li>{@code rawInsert}: the peer, a plain unchained INSERT of the same columns (no lock, no MAC, no head update).</li>
 * </ul>
 * PostgreSQL from {@code BULWARK_TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test?user=root}); a
 * private schema is created and dropped.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(8)
public class AuditLogBenchmark {
    static String pgUrl() {
        String url = System.getenv("BULWARK_TEST_PG_URL");
        return url == null || url.isBlank() ? "jdbc:postgresql://127.0.0.1:5432/test?user=root" : url;
    }

    private String schema;
    private HikariDataSource ds;
    private AuditLog log;
    private final ChainId shared = ChainId.workspace("bench_shared");
    private final AtomicLong rawIds = new AtomicLong();
    private final AtomicInteger threadIds = new AtomicInteger();

    @State(Scope.Thread)
    public static class Writer {
        ChainId own;
        int n;

        @Setup
        public void setup(AuditLogBenchmark b) {
            own = ChainId.workspace("bench_own_" + b.threadIds.incrementAndGet());
        }
    }

    @Setup(Level.Trial)
    public void setup() throws Exception {
        schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(pgUrl()); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(pgUrl() + (pgUrl().contains("?") ? "&" : "?") + "currentSchema=" + schema);
        cfg.setMaximumPoolSize(8);
        ds = new HikariDataSource(cfg);
        JdbcAuditStore store = new JdbcAuditStore(ds).createTablesIfMissing();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE raw_events (id BIGINT PRIMARY KEY, chain_id VARCHAR(80) NOT NULL, time_ms BIGINT NOT NULL, "
                    + "actor_type VARCHAR(16) NOT NULL, actor_id VARCHAR(128) NOT NULL, action VARCHAR(100) NOT NULL, "
                    + "target_type VARCHAR(64), target_id VARCHAR(128), outcome VARCHAR(16) NOT NULL, ip VARCHAR(45), "
                    + "user_agent VARCHAR(512), details VARCHAR(20000) NOT NULL, suspicious BOOLEAN NOT NULL)");
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        log = AuditLog.builder().store(store).macKey(HmacAuditKey.of(1, key)).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (!log.verify(shared).intact()) throw new IllegalStateException("shared chain does not verify after the run");
        ds.close();
        try (Connection c = DriverManager.getConnection(pgUrl()); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static AuditEvent event(ChainId chain, int n) {
        return AuditEvent.in(chain).actor(Actor.member("member-" + (n % 16))).action("invoice.update")
                .target("invoice", "inv-" + n).ip("203.0.113.7").userAgent("Mozilla/5.0 (X11; Linux x86_64) bench")
                .details(Details.of("amount", 1200, "currency", "EUR")).build();
    }

    @Benchmark
    public Object appendSharedChain(Writer w) {
        return log.record(event(shared, w.n++));
    }

    @Benchmark
    public Object appendOwnChain(Writer w) {
        return log.record(event(w.own, w.n++));
    }

    @Benchmark
    public int rawInsert(Writer w) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO raw_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int n = w.n++;
            ps.setLong(1, rawIds.incrementAndGet());
            ps.setString(2, w.own.value());
            ps.setLong(3, System.currentTimeMillis());
            ps.setString(4, "MEMBER");
            ps.setString(5, "member-" + (n % 16));
            ps.setString(6, "invoice.update");
            ps.setString(7, "invoice");
            ps.setString(8, "inv-" + n);
            ps.setString(9, "SUCCESS");
            ps.setString(10, "203.0.113.7");
            ps.setString(11, "Mozilla/5.0 (X11; Linux x86_64) bench");
            ps.setString(12, "{\"amount\":\"1200\",\"currency\":\"EUR\"}");
            ps.setBoolean(13, false);
            return ps.executeUpdate();
        }
    }
}
