package dev.bulwark.audit;

import dev.bulwark.testkit.MutableClock;

import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link JdbcAuditStore} on H2 and real PostgreSQL: the shared scenarios, plus tampering done with SQL. */
class JdbcAuditStoreIT {
    private static final ChainId WS = ChainId.workspace("ws_sql");

    private static JdbcAuditStore store(TestDatabase db) {
        return new JdbcAuditStore(db.dataSource()).createTablesIfMissing();
    }

    private static void sql(TestDatabase db, String... statements) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String q : statements) s.executeUpdate(q);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void intactChainsVerifyInTheStoreAndAsAnExport(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = kind.open()) {
            AuditScenarios.intactChainsVerifyInStoreAndExport(store(db));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void concurrentAppendsFromEightWritersGiveOneValidChain(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = kind.open()) {
            AuditScenarios.concurrentAppendsGiveOneValidChain(store(db), 60);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void pruningFollowsEachWorkspacesRetentionAndKeepsChainsVerifiable(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = kind.open()) {
            AuditScenarios.pruningFollowsEachWorkspacesRetentionAndKeepsChainsVerifiable(store(db));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void queriesFilterByTimeActorActionAndTarget(TestDatabase.Kind kind) {
        try (TestDatabase db = kind.open()) {
            AuditScenarios.queriesFilterByTimeActorActionAndTarget(store(db));
        }
    }

    private static AuditLog filled(TestDatabase db, int n) {
        MutableClock clock = new MutableClock(AuditScenarios.START);
        AuditLog log = AuditScenarios.log(store(db), AuditScenarios.randomKey(2), clock);
        AuditScenarios.fill(log, clock, WS, n);
        assertThat(log.verify(WS).intact()).isTrue();
        return log;
    }

    private static ChainReport.Problem problem(AuditLog log) {
        ChainReport r = log.verify(WS);
        assertThat(r.intact()).as("tampering must be detected").isFalse();
        return r.problem().orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void everyKindOfSqlTamperingIsReportedAtTheRightEntry(TestDatabase.Kind kind) throws Exception {
        String where = " WHERE chain_id = 'ws:ws_sql' AND seq = ";
        record Case(String name, String[] sql, ChainReport.Kind kind, long seq) {}
        Case[] cases = {
                new Case("edit action", new String[] {"UPDATE bulwark_audit_events SET action = 'invoice.delete'" + where + "5"}, ChainReport.Kind.EDITED, 5),
                new Case("edit outcome", new String[] {"UPDATE bulwark_audit_events SET outcome = 'SUCCESS', suspicious = FALSE" + where + "7"}, ChainReport.Kind.EDITED, 7),
                new Case("edit details", new String[] {"UPDATE bulwark_audit_events SET details = '{\"n\":\"0\"}'" + where + "3"}, ChainReport.Kind.EDITED, 3),
                new Case("unreadable details", new String[] {"UPDATE bulwark_audit_events SET details = 'not json'" + where + "4"}, ChainReport.Kind.EDITED, 4),
                new Case("unknown enum", new String[] {"UPDATE bulwark_audit_events SET outcome = 'HACKED'" + where + "6"}, ChainReport.Kind.EDITED, 6),
                new Case("backdate", new String[] {"UPDATE bulwark_audit_events SET time_ms = time_ms - 86400000" + where + "2"}, ChainReport.Kind.EDITED, 2),
                new Case("delete middle", new String[] {"DELETE FROM bulwark_audit_events" + where + "6"}, ChainReport.Kind.REMOVED, 6),
                new Case("delete first", new String[] {"DELETE FROM bulwark_audit_events" + where + "1"}, ChainReport.Kind.REMOVED, 1),
                new Case("delete newest", new String[] {"DELETE FROM bulwark_audit_events" + where + "10"}, ChainReport.Kind.TRUNCATED, 10),
                new Case("swap two entries", new String[] {
                        "UPDATE bulwark_audit_events SET seq = 1000" + where + "4",
                        "UPDATE bulwark_audit_events SET seq = 4" + where + "5",
                        "UPDATE bulwark_audit_events SET seq = 5" + where + "1000"}, ChainReport.Kind.EDITED, 4),
                new Case("delete and renumber", new String[] {
                        "DELETE FROM bulwark_audit_events" + where + "8",
                        "UPDATE bulwark_audit_events SET seq = seq - 1 WHERE chain_id = 'ws:ws_sql' AND seq > 8",
                        "UPDATE bulwark_audit_chains SET last_seq = 9 WHERE chain_id = 'ws:ws_sql'"}, ChainReport.Kind.EDITED, 8),
                new Case("forged entry after the head", new String[] {
                        "INSERT INTO bulwark_audit_events (chain_id, seq, time_ms, actor_type, actor_id, action, target_type, target_id, "
                                + "outcome, ip, user_agent, details, suspicious, key_id, prev_mac, mac) SELECT chain_id, 11, time_ms, actor_type, "
                                + "actor_id, 'auth.login', target_type, target_id, outcome, ip, user_agent, details, suspicious, key_id, mac, mac "
                                + "FROM bulwark_audit_events" + where + "10"}, ChainReport.Kind.INSERTED, 11),
                new Case("entry moved in from another chain", new String[] {
                        "UPDATE bulwark_audit_events SET chain_id = 'ws:ws_sql', seq = 11 WHERE chain_id = 'ws:ws_other' AND seq = 1"},
                        ChainReport.Kind.INSERTED, 11),
        };
        for (Case c : cases) {
            try (TestDatabase db = kind.open()) {
                AuditLog log = filled(db, 10);
                MutableClock clock = new MutableClock(AuditScenarios.START);
                AuditScenarios.fill(AuditScenarios.log(store(db), AuditScenarios.randomKey(2), clock), clock, ChainId.workspace("ws_other"), 1);
                sql(db, c.sql());
                ChainReport.Problem p = problem(log);
                assertThat(p.kind()).as(c.name() + ": " + p).isEqualTo(c.kind());
                assertThat(p.seq()).as(c.name() + ": " + p).isEqualTo(c.seq());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void prunedChainWithoutItsCheckpointOrWithAForgedOneIsReported(TestDatabase.Kind kind) throws Exception {
        for (int variant = 0; variant < 3; variant++) {
            try (TestDatabase db = kind.open()) {
                MutableClock clock = new MutableClock(AuditScenarios.START);
                AuditLog log = AuditScenarios.log(store(db), AuditScenarios.randomKey(2), clock);
                AuditScenarios.fill(log, clock, WS, 10); // one minute apart
                log.setRetention(WS, Retention.days(1));
                clock.advance(java.time.Duration.ofDays(1).minusMinutes(5)); // entries 1..5 are now older than a day
                assertThat(log.prune(WS).removed()).isEqualTo(5);
                assertThat(log.verify(WS).intact()).isTrue();
                switch (variant) {
                    case 0 -> { // the checkpoint is dropped: the chain seems to start at 6
                        sql(db, "UPDATE bulwark_audit_chains SET cp_through_seq = NULL WHERE chain_id = 'ws:ws_sql'");
                        assertThat(problem(log).kind()).isEqualTo(ChainReport.Kind.REMOVED);
                        assertThat(problem(log).seq()).isEqualTo(1);
                    }
                    case 1 -> { // the checkpoint is moved on to hide entries 6-7
                        sql(db, "UPDATE bulwark_audit_chains SET cp_through_seq = 7 WHERE chain_id = 'ws:ws_sql'",
                                "DELETE FROM bulwark_audit_events WHERE chain_id = 'ws:ws_sql' AND seq <= 7");
                        assertThat(problem(log).kind()).isEqualTo(ChainReport.Kind.BAD_CHECKPOINT);
                    }
                    default -> { // entries beyond the checkpoint are deleted too
                        sql(db, "DELETE FROM bulwark_audit_events WHERE chain_id = 'ws:ws_sql' AND seq = 6");
                        assertThat(problem(log).kind()).isEqualTo(ChainReport.Kind.REMOVED);
                        assertThat(problem(log).seq()).isEqualTo(6);
                    }
                }
            }
        }
    }
}
