package dev.bulwark.app.platform;

import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** Hourly clean-up on a worker: expired sessions and their app-side rows, used single-use link ids past expiry. */
public final class Housekeeping {
    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

    private Housekeeping() {}

    static void schedule(Vertx vertx, WorkerExecutor workers, Services s, Duration every) {
        vertx.setPeriodic(every.toMillis(), id -> workers.executeBlocking(() -> {
            run(s);
            return null;
        }, false));
    }

    public static void run(Services s) {
        try {
            int sessions = s.sessions().purgeExpired();
            int meta;
            try (Connection c = s.db().dataSource().getConnection(); Statement st = c.createStatement()) {
                meta = st.executeUpdate("DELETE FROM app_session_meta WHERE session_id NOT IN (SELECT session_id FROM bulwark_auth_session)");
            }
            int links = new dev.bulwark.links.JdbcUsedLinkStore(s.db().dataSource()).purgeExpired(java.time.Instant.now());
            log.info("housekeeping: {} expired sessions, {} session rows, {} used link ids removed", sessions, meta, links);
        } catch (SQLException | RuntimeException e) {
            log.warn("housekeeping failed: {}", e.toString());
        }
    }
}
