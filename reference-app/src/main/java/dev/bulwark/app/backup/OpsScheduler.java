package dev.bulwark.app.backup;

import dev.bulwark.app.platform.Services;
import dev.bulwark.app.retention.DataRetention;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The operations schedule inside {@code serve}: a rolling backup (default daily, then retention 7/4/6), a weekly
 * restore drill, the daily data-retention job, and a refresh of the keyset escrow after a workspace deletion. A tick
 * runs every few minutes on its own thread (never on the event loop or the request workers); each job is due when its
 * last run is older than its interval, and takes a lease row first so that of several app nodes only one runs it.
 */
public final class OpsScheduler {
    private static final Logger log = LoggerFactory.getLogger(OpsScheduler.class);
    static final Duration TICK = Duration.ofMinutes(5);
    static final Duration FIRST_TICK = Duration.ofMinutes(5);
    static final Duration LEASE = Duration.ofHours(2);

    private final Ops ops;
    private final DataRetention retention;
    private final DataSource ds;
    private final Clock clock;
    private final String holder;
    private final AtomicBoolean running = new AtomicBoolean();

    public OpsScheduler(Ops ops, DataRetention retention, DataSource appDataSource, Clock clock) {
        this.ops = ops;
        this.retention = retention;
        this.ds = appDataSource;
        this.clock = clock;
        byte[] r = new byte[6];
        new SecureRandom().nextBytes(r);
        this.holder = "node-" + HexFormat.of().formatHex(r);
    }

    public static OpsScheduler of(Services s) {
        Clock clock = Clock.systemUTC();
        Ops ops = new Ops(s.config(), s.keys().keyring(), s.db().dataSource(), s.audit(), clock);
        return new OpsScheduler(ops, new DataRetention(s.db().dataSource(), s.db().postgres(), s.audit(), clock), s.db().dataSource(), clock);
    }

    /** Starts the schedule on Vert.x timers (cancelled when Vert.x closes); the jobs run on one daemon thread. */
    public static OpsScheduler start(Services s, Vertx vertx) {
        OpsScheduler scheduler = of(s);
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bulwark-ops");
            t.setDaemon(true);
            return t;
        });
        vertx.setPeriodic(FIRST_TICK.toMillis(), TICK.toMillis(), id -> runner.execute(scheduler::tick));
        log.info("operations schedule: backups {}, restore drill {}, retention {} ({})", scheduler.ops.config().backupInterval.map(Duration::toString).orElse("off"),
                scheduler.ops.config().drillInterval.map(Duration::toString).orElse("off"),
                scheduler.ops.config().retentionInterval.map(Duration::toString).orElse("off"), scheduler.ops.config().retention);
        return scheduler;
    }

    public Ops ops() {
        return ops;
    }

    /** One pass: runs every job that is due. Safe to call from tests; a tick never overlaps another on this node. */
    public void tick() {
        if (!running.compareAndSet(false, true)) return;
        try {
            try {
                ops.refreshEscrowIfStale();
            } catch (RuntimeException e) {
                log.error("keyset escrow refresh failed: {}", e.getMessage());
            }
            ops.config().backupInterval.ifPresent(every -> runIfDue("backup", every, () -> {
                try {
                    ops.backup(BackupService.Kind.SCHEDULED, "scheduler", Progress.NONE);
                } catch (BackupException e) {
                    throw new IllegalStateException(e.reason() + ": " + e.getMessage());
                }
            }));
            ops.config().drillInterval.ifPresent(every -> {
                if (ops.lastBackup().isPresent()) runIfDue("restore-drill", every, () -> ops.drill(null, "scheduler", Progress.NONE));
            });
            ops.config().retentionInterval.ifPresent(every -> runIfDue(DataRetention.JOB, every, retention::run));
        } finally {
            running.set(false);
        }
    }

    private void runIfDue(String job, Duration every, Runnable work) {
        long now = clock.millis();
        try {
            if (!lease(job, now, every)) return;
        } catch (SQLException e) {
            log.error("cannot take the lease for job {} (SQLState {})", job, e.getSQLState());
            return;
        }
        boolean ok = false;
        try {
            work.run();
            ok = true;
        } catch (RuntimeException e) {
            log.error("scheduled job {} failed: {}", job, e.getMessage());
        } finally {
            release(job, ok ? clock.millis() : -1);
        }
    }

    /** Takes the job's lease if it is due (last run older than {@code every}) and nobody holds it. */
    boolean lease(String job, long now, Duration every) throws SQLException {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ops_job_leases (job, holder, leased_until_ms, last_run_ms) "
                    + "SELECT ?, NULL, 0, 0 FROM (SELECT 1 AS one) x WHERE NOT EXISTS (SELECT 1 FROM ops_job_leases WHERE job = ?)")) {
                ps.setString(1, job);
                ps.setString(2, job);
                ps.executeUpdate();
            } catch (SQLException duplicate) {
                // another node inserted it at the same moment
            }
            long lastRun;
            try (PreparedStatement ps = c.prepareStatement("SELECT last_run_ms FROM ops_job_leases WHERE job = ?")) {
                ps.setString(1, job);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return false;
                    lastRun = rs.getLong(1);
                }
            }
            if (job.equals("backup")) lastRun = Math.max(lastRun, ops.lastBackup().map(Instant::toEpochMilli).orElse(0L));
            if (job.equals("restore-drill")) lastRun = Math.max(lastRun, ops.lastDrill().map(Instant::toEpochMilli).orElse(0L));
            if (now - lastRun < every.toMillis()) return false;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE ops_job_leases SET holder = ?, leased_until_ms = ? WHERE job = ? AND leased_until_ms < ?")) {
                ps.setString(1, holder);
                ps.setLong(2, now + LEASE.toMillis());
                ps.setString(3, job);
                ps.setLong(4, now);
                return ps.executeUpdate() == 1;
            }
        }
    }

    private void release(String job, long lastRunMs) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(lastRunMs >= 0
                ? "UPDATE ops_job_leases SET holder = NULL, leased_until_ms = 0, last_run_ms = ? WHERE job = ? AND holder = ?"
                : "UPDATE ops_job_leases SET holder = NULL, leased_until_ms = 0 WHERE job = ? AND holder = ?")) {
            int i = 1;
            if (lastRunMs >= 0) ps.setLong(i++, lastRunMs);
            ps.setString(i++, job);
            ps.setString(i, holder);
            ps.executeUpdate();
        } catch (SQLException e) {
            log.error("cannot release the lease of job {} (SQLState {})", job, e.getSQLState());
        }
    }
}
