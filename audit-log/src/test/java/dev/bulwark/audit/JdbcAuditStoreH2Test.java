package dev.bulwark.audit;

import dev.bulwark.testkit.MutableClock;
import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link JdbcAuditStore} on in-memory H2 in the unit suite (JdbcAuditStoreIT runs the full set on PostgreSQL as well):
 * the shared scenarios, rows edited with SQL, retention as stored, and how database failures surface.
 */
class JdbcAuditStoreH2Test {
    private static final ChainId WS = ChainId.workspace("ws_h2");
    private final TestDatabase db = TestDatabase.h2();

    @AfterEach
    void close() {
        db.close();
    }

    private JdbcAuditStore store() {
        return new JdbcAuditStore(db.dataSource()).createTablesIfMissing();
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String q : statements) s.executeUpdate(q);
        }
    }

    @Test
    void intactChainsVerifyInTheStoreAndAsAnExport() throws Exception {
        AuditScenarios.intactChainsVerifyInStoreAndExport(store());
    }

    @Test
    void queriesFilterByTimeActorActionAndTarget() {
        AuditScenarios.queriesFilterByTimeActorActionAndTarget(store());
    }

    @Test
    void concurrentAppendsGiveOneValidChain() throws Exception {
        AuditScenarios.concurrentAppendsGiveOneValidChain(store(), 25);
    }

    @Test
    void creatingTheTablesTwiceKeepsTheData() {
        JdbcAuditStore first = store();
        AuditLog log = AuditScenarios.log(first, AuditScenarios.randomKey(1), new MutableClock(AuditScenarios.START));
        log.record(AuditScenarios.event(WS, 1));
        JdbcAuditStore again = store();
        assertThat(again.head(WS).orElseThrow().seq()).isEqualTo(1);
        assertThatThrownBy(() -> new JdbcAuditStore(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rowsEditedWithSqlAreReportedAtTheirSeq() throws Exception {
        String where = " WHERE chain_id = 'ws:ws_h2' AND seq = ";
        record Case(String name, String sql, ChainReport.Kind kind, long seq) {}
        List<Case> cases = List.of(
                new Case("edit action", "UPDATE bulwark_audit_events SET action = 'invoice.delete'" + where + "5", ChainReport.Kind.EDITED, 5),
                new Case("unknown actor type", "UPDATE bulwark_audit_events SET actor_type = 'ROBOT'" + where + "3", ChainReport.Kind.EDITED, 3),
                new Case("bad actor id", "UPDATE bulwark_audit_events SET actor_id = 'a b'" + where + "2", ChainReport.Kind.EDITED, 2),
                new Case("unknown outcome", "UPDATE bulwark_audit_events SET outcome = 'HACKED'" + where + "6", ChainReport.Kind.EDITED, 6),
                new Case("unreadable details", "UPDATE bulwark_audit_events SET details = 'not json'" + where + "4", ChainReport.Kind.EDITED, 4),
                new Case("numeric detail", "UPDATE bulwark_audit_events SET details = '{\"n\":4}'" + where + "4", ChainReport.Kind.EDITED, 4),
                new Case("edit ip", "UPDATE bulwark_audit_events SET ip = '198.51.100.1'" + where + "7", ChainReport.Kind.EDITED, 7),
                new Case("edit user agent", "UPDATE bulwark_audit_events SET user_agent = 'curl'" + where + "7", ChainReport.Kind.EDITED, 7),
                new Case("edit target", "UPDATE bulwark_audit_events SET target_id = 't9'" + where + "8", ChainReport.Kind.EDITED, 8),
                new Case("edit target type", "UPDATE bulwark_audit_events SET target_type = 'refund'" + where + "8", ChainReport.Kind.EDITED, 8),
                new Case("unflag", "UPDATE bulwark_audit_events SET suspicious = FALSE" + where + "7", ChainReport.Kind.EDITED, 7),
                new Case("edit key id", "UPDATE bulwark_audit_events SET key_id = 2" + where + "1", ChainReport.Kind.EDITED, 1),
                new Case("backdate", "UPDATE bulwark_audit_events SET time_ms = time_ms - 1" + where + "2", ChainReport.Kind.EDITED, 2),
                new Case("delete middle", "DELETE FROM bulwark_audit_events" + where + "6", ChainReport.Kind.REMOVED, 6),
                new Case("delete newest", "DELETE FROM bulwark_audit_events" + where + "10", ChainReport.Kind.TRUNCATED, 10),
                new Case("forged after the head", "INSERT INTO bulwark_audit_events (chain_id, seq, time_ms, actor_type, actor_id, "
                        + "action, target_type, target_id, outcome, ip, user_agent, details, suspicious, key_id, prev_mac, mac) "
                        + "SELECT chain_id, 11, time_ms, actor_type, actor_id, 'auth.login', target_type, target_id, outcome, ip, "
                        + "user_agent, details, suspicious, key_id, mac, mac FROM bulwark_audit_events" + where + "10",
                        ChainReport.Kind.INSERTED, 11));
        for (Case c : cases) {
            try (TestDatabase fresh = TestDatabase.h2()) {
                JdbcAuditStore store = new JdbcAuditStore(fresh.dataSource()).createTablesIfMissing();
                MutableClock clock = new MutableClock(AuditScenarios.START);
                AuditLog log = AuditScenarios.log(store, HmacAuditKey.of(1, new byte[32]), clock);
                List<AuditEntry> entries = AuditScenarios.fill(log, clock, WS, 10);
                assertThat(log.verify(WS).intact()).isTrue();
                assertThat(log.query(AuditQuery.in(WS).limit(10))).isEqualTo(entries); // rows read back exactly as sealed
                try (Connection conn = fresh.dataSource().getConnection(); Statement s = conn.createStatement()) {
                    s.executeUpdate(c.sql());
                }
                ChainReport r = log.verify(WS);
                assertThat(r.intact()).as(c.name()).isFalse();
                ChainReport.Problem p = r.problem().orElseThrow();
                assertThat(p.kind()).as(c.name() + ": " + p).isEqualTo(c.kind());
                assertThat(p.seq()).as(c.name() + ": " + p).isEqualTo(c.seq());
            }
        }
    }

    @Test
    void retentionIsStoredPerChainAndAnEditedValueCannotGoBelowOneDay() throws Exception {
        JdbcAuditStore store = store();
        assertThat(store.retention(WS)).isEmpty();
        store.setRetention(WS, Retention.days(30));
        store.setRetention(ChainId.PLATFORM, Retention.FOREVER);
        assertThat(store.retention(WS)).contains(Retention.days(30));
        assertThat(store.retention(ChainId.PLATFORM)).contains(Retention.FOREVER);
        assertThat(store.head(WS)).as("a chain row without entries has no head").isEmpty();
        assertThat(store.chains()).containsExactly(ChainId.PLATFORM, WS);
        sql("UPDATE bulwark_audit_chains SET retention_ms = 0 WHERE chain_id = 'ws:ws_h2'");
        assertThat(store.retention(WS)).contains(Retention.days(1));
        sql("INSERT INTO bulwark_audit_chains (chain_id, last_seq, last_mac, last_time_ms) VALUES ('not a chain', 0, 'x', 0)");
        assertThat(store.chains()).containsExactly(ChainId.PLATFORM, WS);
    }

    @Test
    void pruneStoresItsCheckpointAndLeavesTheRest() {
        JdbcAuditStore store = store();
        MutableClock clock = new MutableClock(AuditScenarios.START);
        AuditLog log = AuditScenarios.log(store, AuditScenarios.randomKey(2), clock);
        List<AuditEntry> entries = AuditScenarios.fill(log, clock, WS, 6);
        log.setRetention(WS, Retention.days(1));
        clock.advance(Duration.ofDays(1).minusMinutes(3));
        assertThat(log.prune(ChainId.workspace("never-written")).removed()).isZero();
        AuditLog.PruneResult r = log.prune(WS);
        assertThat(r.removed()).isEqualTo(3);
        assertThat(store.checkpoint(WS)).contains(r.checkpoint());
        assertThat(r.checkpoint().lastMac()).isEqualTo(entries.get(2).mac());
        assertThat(r.checkpoint().keyId()).isEqualTo(2);
        assertThat(store.entries(WS, 0, 100)).extracting(AuditEntry::seq).containsExactly(4L, 5L, 6L);
        assertThat(store.entries(WS, 4, 1)).extracting(AuditEntry::seq).containsExactly(5L);
        assertThat(log.prune(WS).removed()).isZero();
        assertThat(store.checkpoint(WS)).contains(r.checkpoint());
        assertThat(log.verify(WS).intact()).isTrue();
    }

    /** A data source that fails the first {@code failures} connections with the given SQLState, then works. */
    private DataSource failing(String sqlState, int failures) {
        DataSource real = db.dataSource();
        AtomicInteger left = new AtomicInteger(failures);
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, m, args) -> {
            if (m.getName().equals("getConnection") && left.getAndDecrement() > 0) throw new SQLException("simulated", sqlState);
            try {
                return m.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    @Test
    void transientConflictsAreRetriedAndTheAppendSucceeds() {
        store();
        for (String state : List.of("40001", "40P01", "23505", "HYT00", "55P03")) {
            JdbcAuditStore flaky = new JdbcAuditStore(failing(state, 3));
            AuditLog log = AuditScenarios.log(flaky, AuditScenarios.randomKey(1), new MutableClock(AuditScenarios.START));
            ChainId chain = ChainId.workspace("w" + state);
            assertThat(log.record(AuditScenarios.event(chain, 1)).seq()).as(state).isEqualTo(1);
            assertThat(log.verify(chain).intact()).isTrue();
        }
    }

    @Test
    void otherDatabaseFailuresAreStorageErrorsWithoutRetry() {
        store();
        JdbcAuditStore broken = new JdbcAuditStore(failing("08001", 1));
        assertThatThrownBy(() -> broken.append(WS, head -> {
            throw new AssertionError("must not be reached");
        })).isInstanceOfSatisfying(AuditException.class, e -> {
            assertThat(e.reason()).isEqualTo(AuditException.Reason.STORAGE);
            assertThat(e.getMessage()).contains("08001");
        });
        // The one failure is used up: no second attempt was made, so the next call succeeds.
        assertThat(broken.head(WS)).isEmpty();
        for (Runnable call : List.<Runnable>of(
                () -> new JdbcAuditStore(failing("08001", 1)).head(WS),
                () -> new JdbcAuditStore(failing("08001", 1)).checkpoint(WS),
                () -> new JdbcAuditStore(failing("08001", 1)).entries(WS, 0, 10),
                () -> new JdbcAuditStore(failing("08001", 1)).query(AuditQuery.in(WS)),
                () -> new JdbcAuditStore(failing("08001", 1)).retention(WS),
                () -> new JdbcAuditStore(failing("08001", 1)).chains(),
                () -> new JdbcAuditStore(failing("08001", 1)).setRetention(WS, Retention.days(2)),
                () -> new JdbcAuditStore(failing("08001", 1)).createTablesIfMissing())) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(AuditException.class,
                    e -> assertThat(e.reason()).isEqualTo(AuditException.Reason.STORAGE));
        }
    }

    @Test
    void sealerFailureRollsTheAppendBack() {
        JdbcAuditStore store = store();
        AuditLog log = AuditScenarios.log(store, AuditScenarios.randomKey(1), new MutableClock(AuditScenarios.START));
        log.record(AuditScenarios.event(WS, 1));
        assertThatThrownBy(() -> store.append(WS, head -> {
            throw new IllegalStateException("sealing failed");
        })).isInstanceOf(IllegalStateException.class);
        AuditEntry first = store.entries(WS, 0, 10).get(0);
        AuditEntry skipping = new AuditEntry(WS, 5, first.time(), first.actor(), first.action(), null, null, first.outcome(), null,
                null, Details.EMPTY, false, 1, first.mac(), first.mac());
        assertThatThrownBy(() -> store.append(WS, head -> skipping)).isInstanceOf(IllegalStateException.class);
        assertThat(store.head(WS).orElseThrow().seq()).isEqualTo(1);
        assertThat(log.record(AuditScenarios.event(WS, 2)).seq()).isEqualTo(2);
        assertThat(log.verify(WS).intact()).isTrue();
    }
}
