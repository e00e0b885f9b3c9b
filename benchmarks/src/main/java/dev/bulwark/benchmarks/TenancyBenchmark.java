package dev.bulwark.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.crypto.InMemoryKeysetStore;
import dev.bulwark.crypto.Keyring;
import dev.bulwark.crypto.MasterKey;
import dev.bulwark.tenancy.InMemoryTenancyStore;
import dev.bulwark.tenancy.Permission;
import dev.bulwark.tenancy.ScopedTable;
import dev.bulwark.tenancy.Tenancy;
import dev.bulwark.tenancy.TenantContext;
import dev.bulwark.tenancy.TenantScopedJdbc;
import dev.bulwark.tenancy.Where;
import dev.bulwark.tenancy.Workspace;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Workspace-scoped query overhead on real PostgreSQL: the same SELECT (50 rows of one workspace out of 3 x 2000,
 * through a HikariCP pool) run
 * <ul>
 *   <li>{@code scopedHelper}: through {@link TenantScopedJdbc} (permission check, SQL built, transaction +
 *       {@code SET LOCAL bulwark.workspace_id} for row-level security, commit);</li>
 *   <li>{@code handWritten}: a hand-written PreparedStatement with the workspace predicate, auto-commit;</li>
 *   <li>{@code handWrittenSetLocal}: the hand-written statement plus the same transaction and SET LOCAL, i.e. what
 *       a careful developer would write for row-level security.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TenancyBenchmark {
    private static final ScopedTable NOTES = ScopedTable.named("notes").reads(Permission.CUSTOMERS_VIEW).writes(Permission.CUSTOMERS_MANAGE);
    private static final String HAND_SQL = "SELECT id, body, amount FROM notes WHERE workspace_id = ? AND (amount > ?) ORDER BY id LIMIT 50";

    private String schema;
    private HikariDataSource ds;
    private TenantScopedJdbc jdbc;
    private TenantContext ctx;

    record Note(long id, String body, int amount) {}

    @Setup(Level.Trial)
    public void setup() throws Exception {
        schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = AuditLogBenchmark.pgUrl();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        cfg.setMaximumPoolSize(2);
        ds = new HikariDataSource(cfg);
        byte[] mk = new byte[32];
        new SecureRandom().nextBytes(mk);
        Keyring keyring = Keyring.builder().masterKey(MasterKey.fromBase64(Base64.getEncoder().encodeToString(mk), "bench"))
                .store(new InMemoryKeysetStore()).build();
        Tenancy tenancy = Tenancy.builder().store(new InMemoryTenancyStore()).keyring(keyring).build();
        List<Workspace> ws = new ArrayList<>();
        for (int i = 0; i < 3; i++) ws.add(tenancy.createWorkspace("bench " + i, "owner-" + i));
        ctx = tenancy.enter("owner-1", ws.get(1).id());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id BIGINT PRIMARY KEY, workspace_id VARCHAR(64) NOT NULL, body VARCHAR(200) NOT NULL, amount INT NOT NULL)");
            s.execute("CREATE INDEX notes_ws ON notes (workspace_id, id)");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notes VALUES (?, ?, ?, ?)")) {
                long id = 0;
                for (Workspace w : ws) {
                    for (int i = 0; i < 2000; i++) {
                        ps.setLong(1, ++id);
                        ps.setString(2, w.id());
                        ps.setString(3, "note " + id);
                        ps.setInt(4, (int) (id * 7919 % 1000));
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
            s.execute("ANALYZE notes");
        }
        jdbc = TenantScopedJdbc.builder().dataSource(ds).build();
        if (scopedHelper().size() != 50 || !scopedHelper().equals(handWritten()) || !handWritten().equals(handWrittenSetLocal())) {
            throw new IllegalStateException("the three variants must return the same rows");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        ds.close();
        try (Connection c = DriverManager.getConnection(AuditLogBenchmark.pgUrl()); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    @Benchmark
    public List<Note> scopedHelper() {
        return jdbc.select(ctx, NOTES, "id, body, amount", Where.of("amount > ?", 100), "id", 50,
                r -> new Note(r.getLong(1), r.getString(2), r.getInt(3)));
    }

    @Benchmark
    public List<Note> handWritten() throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(HAND_SQL)) {
            return run(ps);
        }
    }

    @Benchmark
    public List<Note> handWrittenSetLocal() throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL bulwark.workspace_id = '" + ctx.workspaceId() + "'");
            }
            List<Note> out;
            try (PreparedStatement ps = c.prepareStatement(HAND_SQL)) {
                out = run(ps);
            }
            c.commit();
            c.setAutoCommit(true);
            return out;
        }
    }

    private List<Note> run(PreparedStatement ps) throws Exception {
        ps.setString(1, ctx.workspaceId());
        ps.setInt(2, 100);
        List<Note> out = new ArrayList<>();
        try (ResultSet r = ps.executeQuery()) {
            while (r.next()) out.add(new Note(r.getLong(1), r.getString(2), r.getInt(3)));
        }
        return out;
    }
}
