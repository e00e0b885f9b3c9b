package dev.bulwark.audit;

import dev.bulwark.testkit.MutableClock;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link AuditLog} over the in-memory store; JdbcAuditStoreIT runs the same scenarios on H2 and PostgreSQL. */
class AuditLogTest {
    private final ChainId ws = ChainId.workspace("ws_1");

    @Test
    void intactChainsVerifyInTheStoreAndAsAnExport() throws Exception {
        AuditScenarios.intactChainsVerifyInStoreAndExport(new InMemoryAuditStore());
    }

    @Test
    void concurrentAppendsFromManyThreadsGiveOneValidChain() throws Exception {
        AuditScenarios.concurrentAppendsGiveOneValidChain(new InMemoryAuditStore(), 500);
    }

    @Test
    void pruningFollowsEachWorkspacesRetentionAndKeepsChainsVerifiable() throws Exception {
        AuditScenarios.pruningFollowsEachWorkspacesRetentionAndKeepsChainsVerifiable(new InMemoryAuditStore());
    }

    @Test
    void queriesFilterByTimeActorActionAndTarget() {
        AuditScenarios.queriesFilterByTimeActorActionAndTarget(new InMemoryAuditStore());
    }

    private record Setup(InMemoryAuditStore store, AuditLog log, List<AuditEntry> entries) {}

    private Setup setup(int n) {
        InMemoryAuditStore store = new InMemoryAuditStore();
        MutableClock clock = new MutableClock(AuditScenarios.START);
        AuditLog log = AuditScenarios.log(store, AuditScenarios.randomKey(9), clock);
        return new Setup(store, log, AuditScenarios.fill(log, clock, ws, n));
    }

    private static ChainReport.Problem problem(ChainReport r) {
        assertThat(r.intact()).as("tampering must be detected").isFalse();
        return r.problem().orElseThrow();
    }

    @Test
    void editedEntryInTheStoreIsReportedAtItsSeq() {
        Setup s = setup(10);
        AuditEntry e = s.store().rawEntries(ws).get(4L);
        s.store().rawEntries(ws).put(4L, new AuditEntry(e.chain(), e.seq(), e.time(), e.actor(), "invoice.delete", e.targetType(),
                e.targetId(), e.outcome(), e.ip(), e.userAgent(), e.details(), e.suspicious(), e.keyId(), e.prevMac(), e.mac()));
        ChainReport.Problem p = problem(s.log().verify(ws));
        assertThat(p.kind()).isEqualTo(ChainReport.Kind.EDITED);
        assertThat(p.seq()).isEqualTo(4);
        assertThat(s.log().verify(ws).entriesVerified()).isEqualTo(3);
    }

    @Test
    void removedEntryInTheStoreIsReportedAtItsSeq() {
        Setup s = setup(10);
        s.store().rawEntries(ws).remove(6L);
        ChainReport.Problem p = problem(s.log().verify(ws));
        assertThat(p.kind()).isEqualTo(ChainReport.Kind.REMOVED);
        assertThat(p.seq()).isEqualTo(6);
    }

    @Test
    void removedNewestEntriesAreReportedAsTruncated() {
        Setup s = setup(10);
        s.store().rawEntries(ws).remove(10L);
        s.store().rawEntries(ws).remove(9L);
        ChainReport.Problem p = problem(s.log().verify(ws));
        assertThat(p.kind()).isEqualTo(ChainReport.Kind.TRUNCATED);
        assertThat(p.seq()).isEqualTo(9);
    }

    @Test
    void headPublishedEarlierRevealsARewrittenTail() {
        Setup s = setup(10);
        ChainHead published = s.log().head(ws).orElseThrow();
        // An attacker with database access rewinds the chain to entry 7, head row included: the store alone
        // looks consistent, but the head published earlier shows entries 8-10 are gone.
        List<AuditEntry> rewound = new ArrayList<>(s.entries().subList(0, 7));
        ChainReport.Problem p = problem(s.log().verifier().verify(ws, null, rewound.iterator(), rewound.get(6).asHead()).intact()
                ? s.log().verifier().verify(ws, null, rewound.iterator(), published) : null);
        assertThat(p.kind()).isEqualTo(ChainReport.Kind.TRUNCATED);
        assertThat(p.seq()).isEqualTo(8);
        assertThat(s.log().verify(ws, published).intact()).isTrue();
    }

    @Test
    void detailsNeverCarrySecrets() throws Exception {
        char[] password = "hunter2-very-secret".toCharArray();
        Details d = Details.builder()
                .put("password", "hunter2-very-secret")
                .put("newPassword", "x")
                .put("api_key", "abc")
                .put("sessionToken", "t")
                .put("raw", password)
                .put("bytes", new byte[] {1, 2, 3})
                .put("object", new Object() {
                    @Override
                    public String toString() {
                        return "leaks-hunter2";
                    }
                })
                .put("header", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl")
                .put("jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl")
                .put("note", "customer paid with 4242 4242 4242 4242 yesterday")
                .put("stripe", "sk_live_51HxYzAbCdEfGhIjKlMn")
                .put("pem", "-----BEGIN PRIVATE KEY-----MIIE")
                .put("plan", "pro")
                .put("amount", 1200)
                .put("phone_digits", "0123456789012")  // 13 digits, fails Luhn: kept
                .build();
        Map<String, String> m = d.asMap();
        for (String k : List.of("password", "newPassword", "api_key", "sessionToken", "raw", "bytes", "object", "header", "jwt", "note", "stripe", "pem")) {
            assertThat(m.get(k)).as(k).isEqualTo(Details.REDACTED);
        }
        assertThat(m).containsEntry("plan", "pro").containsEntry("amount", "1200").containsEntry("phone_digits", "0123456789012");
        Setup s = setup(0);
        AuditEntry e = s.log().record(AuditEvent.in(ws).actor(Actor.member("m")).action("auth.password_change").details(d).build());
        String exported = AuditScenarios.export(s.log(), ws);
        for (String secret : List.of("hunter2", "4242 4242", "sk_live", "eyJhbGci", "BEGIN PRIVATE")) {
            assertThat(exported).doesNotContain(secret);
            assertThat(e.toString() + d).doesNotContain(secret);
        }
        assertThat(s.log().verify(ws).intact()).isTrue();
    }

    @Test
    void hostileRequestFieldsAreNormalisedNotThrown() {
        AuditEvent e = AuditEvent.in(ws).actor(Actor.member("m")).action("auth.login_failed")
                .ip("1.2.3.4, 5.6.7.8").userAgent("evil\r\nX-Injected: 1" + "a".repeat(1000)).suspicious().build();
        Setup s = setup(0);
        AuditEntry entry = s.log().record(e);
        assertThat(entry.ip()).isEqualTo("invalid");
        assertThat(entry.userAgent()).hasSize(512).doesNotContain("\n", "\r");
        assertThat(s.log().record(AuditEvent.in(ws).actor(Actor.member("m")).action("a").ip("2001:db8::1").build()).ip()).isEqualTo("2001:db8::1");
        assertThat(s.log().query(AuditQuery.in(ws).suspiciousOnly())).containsExactly(entry);
    }

    @Test
    void malformedEventsAreRejectedWithTypedErrors() {
        assertThatThrownBy(() -> AuditEvent.in(ws).actor(Actor.member("m")).action("Bad Action").build())
                .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.reason()).isEqualTo(AuditException.Reason.INVALID_EVENT));
        assertThatThrownBy(() -> Actor.member("a b")).isInstanceOf(AuditException.class);
        assertThatThrownBy(() -> AuditEvent.in(ws).action("x").build()).isInstanceOf(AuditException.class);
        assertThatThrownBy(() -> ChainId.workspace("../x")).isInstanceOf(AuditException.class);
        assertThatThrownBy(() -> Retention.days(0)).isInstanceOfSatisfying(AuditException.class,
                e -> assertThat(e.reason()).isEqualTo(AuditException.Reason.INVALID_RETENTION));
        assertThatThrownBy(() -> Retention.of(Duration.ofHours(23))).isInstanceOf(AuditException.class);
        assertThatThrownBy(() -> Details.builder().put("bad key", 1)).isInstanceOf(AuditException.class);
        Details.Builder b = Details.builder();
        for (int i = 0; i < Details.MAX_ENTRIES; i++) b.put("k" + i, i);
        assertThatThrownBy(() -> b.put("one_more", 1)).isInstanceOf(AuditException.class);
    }

    @Test
    void keyRotationKeepsOldEntriesVerifiable() {
        InMemoryAuditStore store = new InMemoryAuditStore();
        byte[] k1 = new byte[32];
        byte[] k2 = new byte[32];
        Arrays.fill(k1, (byte) 1);
        Arrays.fill(k2, (byte) 2);
        MutableClock clock = new MutableClock(AuditScenarios.START);
        AuditScenarios.fill(AuditScenarios.log(store, HmacAuditKey.of(1, k1), clock), clock, ws, 5);
        AuditLog rotated = AuditScenarios.log(store, HmacAuditKey.of(Map.of(1, k1, 2, k2), 2), clock);
        AuditScenarios.fill(rotated, clock, ws, 5);
        assertThat(rotated.query(AuditQuery.in(ws).limit(10))).extracting(AuditEntry::keyId).containsExactly(1, 1, 1, 1, 1, 2, 2, 2, 2, 2);
        assertThat(rotated.verify(ws).intact()).isTrue();
        // Retiring key 1 makes its entries unverifiable: retire a key only after the entries it sealed were pruned.
        assertThat(AuditScenarios.log(store, HmacAuditKey.of(2, k2), clock).verify(ws).problem().orElseThrow().seq()).isEqualTo(1);
        assertThat(HmacAuditKey.of(1, k1).toString()).doesNotContain("1, 1").contains("redacted");
    }

    @Test
    void timesNeverGoBackwardsAlongAChain() {
        InMemoryAuditStore store = new InMemoryAuditStore();
        MutableClock clock = new MutableClock(AuditScenarios.START);
        AuditLog log = AuditScenarios.log(store, AuditScenarios.randomKey(1), clock);
        AuditEntry first = log.record(AuditScenarios.event(ws, 1));
        clock.advance(Duration.ofMinutes(-5)); // the clock steps back (NTP correction, another node)
        AuditEntry second = log.record(AuditScenarios.event(ws, 2));
        assertThat(second.time()).isEqualTo(first.time());
        assertThat(log.verify(ws).intact()).isTrue();
    }

    @Test
    void exportOfAPrunedChainStartsWithItsCheckpoint() throws Exception {
        Setup s = setup(0);
        MutableClock clock = new MutableClock(AuditScenarios.START);
        AuditLog log = AuditScenarios.log(s.store(), AuditScenarios.randomKey(4), clock);
        AuditScenarios.fill(log, clock, ws, 5);
        log.setRetention(ws, Retention.days(1));
        clock.advance(Duration.ofDays(2));
        log.prune(ws);
        List<String> lines = new ArrayList<>(AuditScenarios.export(log, ws).lines().toList());
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("{\"type\":\"checkpoint\"");
        assertThat(log.verifier().verifyExport(new StringReader(String.join("\n", lines)), null).intact()).isTrue();
        log.record(AuditScenarios.event(ws, 6));
        assertThat(log.verify(ws).intact()).isTrue();
    }
}
