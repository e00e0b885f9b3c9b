package dev.bulwark.audit;

import dev.bulwark.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rules around the chain: event fields normalised or refused, retention limits and pruning boundaries, query
 * filters with their exact bounds, the MAC key's contract, and failures that must not leave a half-written chain.
 */
class AuditRulesTest {
    private static final ChainId WS = ChainId.workspace("ws_r");

    private static AuditEvent.Builder event() {
        return AuditEvent.in(WS).actor(Actor.member("m1")).action("invoice.view");
    }

    // ---------------------------------------------------------------- events

    @Test
    void onlyIpLiteralsAreStoredAsTheClientAddress() {
        for (String ip : List.of("0.0.0.0", "255.255.255.255", "249.199.99.9", "10.0.0.1", "::1", "::", "2001:db8::1",
                "::ffff:192.0.2.1", "FE80::A")) {
            assertThat(event().ip(ip).build().ip).as(ip).isEqualTo(ip);
        }
        for (String ip : List.of("256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.4 ", "1234", "12.34", ":", "fe80::1%eth0",
                "2001:db8::1/64", "a".repeat(3) + ":" + "1".repeat(42), "evil.example", "")) {
            assertThat(event().ip(ip).build().ip).as(ip).isEqualTo(AuditEvent.INVALID_IP);
        }
        assertThat(event().ip("1:" + "2".repeat(43)).build().ip).isEqualTo("1:" + "2".repeat(43)); // 45 characters
        assertThat(event().ip(null).build().ip).isNull();
    }

    @Test
    void userAgentKeepsUpTo512CharactersWithoutControlCharacters() {
        assertThat(event().userAgent("a".repeat(512)).build().userAgent).hasSize(512);
        assertThat(event().userAgent("a".repeat(513)).build().userAgent).isEqualTo("a".repeat(512));
        assertThat(event().userAgent("x\u0000y\u007fz\u001b").build().userAgent).isEqualTo("x y z ");
        assertThat(event().userAgent(null).build().userAgent).isNull();
    }

    @Test
    void actionTargetActorAndChainNamesAreChecked() {
        assertThat(event().action("a" + "b".repeat(99)).build().action).hasSize(100);
        for (String bad : new String[] {"a" + "b".repeat(100), "Invoice.view", "1x", "", "a b", null}) {
            assertThatThrownBy(() -> event().action(bad)).as(String.valueOf(bad))
                    .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.reason()).isEqualTo(AuditException.Reason.INVALID_EVENT));
        }
        AuditEvent e = event().target("invoice", "inv_1").build();
        assertThat(e.targetType).isEqualTo("invoice");
        assertThat(e.targetId).isEqualTo("inv_1");
        assertThatThrownBy(() -> event().target(null, "x")).isInstanceOf(AuditException.class);
        assertThatThrownBy(() -> event().target("Invoice", "x")).isInstanceOf(AuditException.class);
        assertThatThrownBy(() -> event().target("invoice", null)).isInstanceOf(AuditException.class);
        assertThatThrownBy(() -> event().target("invoice", "a/b")).isInstanceOf(AuditException.class);
        assertThatThrownBy(() -> AuditEvent.in(WS).action("a").build()).isInstanceOf(AuditException.class);
        assertThatThrownBy(() -> AuditEvent.in(WS).actor(Actor.member("m")).build()).isInstanceOf(AuditException.class);

        assertThat(new Actor(Actor.Type.API_KEY, "k".repeat(128)).id()).hasSize(128);
        assertThatThrownBy(() -> Actor.apiKey("k".repeat(129))).isInstanceOf(AuditException.class);
        assertThatThrownBy(() -> new Actor(null, "x")).isInstanceOf(AuditException.class);
        assertThatThrownBy(() -> Actor.system(null)).isInstanceOf(AuditException.class);
        assertThat(Actor.system("nightly-prune").type()).isEqualTo(Actor.Type.SYSTEM);

        assertThat(ChainId.workspace("w".repeat(64)).workspaceId()).hasSize(64);
        assertThat(ChainId.workspace("acme").value()).isEqualTo("ws:acme");
        assertThat(ChainId.workspace("acme").isPlatform()).isFalse();
        assertThat(ChainId.PLATFORM.isPlatform()).isTrue();
        assertThat(ChainId.PLATFORM.workspaceId()).isNull();
        for (String bad : new String[] {"w".repeat(65), "", "a:b", "a b", null}) {
            assertThatThrownBy(() -> ChainId.workspace(bad)).isInstanceOf(AuditException.class);
        }
        assertThat(ChainId.parse("ws:acme")).isEqualTo(ChainId.workspace("acme"));
        assertThat(ChainId.parse("platform")).isEqualTo(ChainId.PLATFORM);
        for (String bad : new String[] {"ws:", "platformx", "ws:a/b", "acme", null}) {
            assertThat(ChainId.parse(bad)).as(String.valueOf(bad)).isNull();
        }
    }

    @Test
    void suspiciousMarkIsSealedIntoTheEntry() {
        AuditLog log = AuditScenarios.log(new InMemoryAuditStore(), AuditScenarios.randomKey(1), new MutableClock(AuditScenarios.START));
        assertThat(log.record(event().build()).suspicious()).isFalse();
        AuditEntry flagged = log.record(event().suspicious().build());
        assertThat(flagged.suspicious()).isTrue();
        assertThat(log.query(AuditQuery.in(WS).suspiciousOnly())).containsExactly(flagged);
        assertThat(event().build().chain()).isEqualTo(WS);
    }

    // ---------------------------------------------------------------- retention and pruning

    @Test
    void retentionIsAtLeastOneDayOrForever() {
        assertThat(Retention.days(1)).isEqualTo(Retention.of(Duration.ofDays(1))).hasSameHashCodeAs(Retention.of(Duration.ofDays(1)));
        assertThat(Retention.days(1).duration()).isEqualTo(Duration.ofDays(1));
        assertThat(Retention.DEFAULT.duration()).isEqualTo(Duration.ofDays(365));
        assertThat(Retention.days(30)).isNotEqualTo(Retention.days(31)).isNotEqualTo(Duration.ofDays(30));
        assertThat(Retention.FOREVER.isForever()).isTrue();
        assertThat(Retention.FOREVER.duration()).isNull();
        assertThat(Retention.days(3650).isForever()).isFalse();
        assertThatThrownBy(() -> Retention.of(Duration.ofDays(1).minusMillis(1))).isInstanceOfSatisfying(AuditException.class,
                e -> assertThat(e.reason()).isEqualTo(AuditException.Reason.INVALID_RETENTION));
        assertThatThrownBy(() -> Retention.of(null)).isInstanceOf(AuditException.class);
        assertThatThrownBy(() -> Retention.days(-1)).isInstanceOf(AuditException.class);
        // A stored value edited below one day cannot make pruning drop fresh entries.
        assertThat(Retention.ofStoredMillis(0)).isEqualTo(Retention.days(1));
        assertThat(Retention.ofStoredMillis(-5)).isEqualTo(Retention.days(1));
        assertThat(Retention.ofStoredMillis(Duration.ofDays(2).toMillis())).isEqualTo(Retention.days(2));
        assertThat(Retention.ofStoredMillis(Long.MAX_VALUE)).isSameAs(Retention.FOREVER);
    }

    @Test
    void entryExactlyAsOldAsTheRetentionIsKeptAndOneMillisecondOlderIsPruned() {
        MutableClock clock = new MutableClock(AuditScenarios.START);
        AuditLog log = AuditScenarios.log(new InMemoryAuditStore(), AuditScenarios.randomKey(1), clock);
        AuditEntry first = log.record(event().build());
        clock.advance(Duration.ofMillis(1));
        log.record(event().build());
        log.setRetention(WS, Retention.days(1));
        clock.advance(Duration.ofDays(1).minusMillis(1)); // now = first + 1 day
        AuditLog.PruneResult none = log.prune(WS);
        assertThat(none.removed()).isZero();
        assertThat(none.checkpoint()).isNull();
        assertThat(none.retention()).isEqualTo(Retention.days(1));
        clock.advance(Duration.ofMillis(1));
        AuditLog.PruneResult one = log.prune(WS);
        assertThat(one.removed()).isEqualTo(1);
        assertThat(one.checkpoint().throughSeq()).isEqualTo(1);
        assertThat(one.checkpoint().lastMac()).isEqualTo(first.mac());
        assertThat(one.checkpoint().prunedAt()).isEqualTo(clock.instant());
        assertThat(log.query(AuditQuery.in(WS))).extracting(AuditEntry::seq).containsExactly(2L);
        assertThat(log.verify(WS).intact()).isTrue();
        // Nothing more is old enough: the checkpoint stays as it is.
        AuditLog.PruneResult again = log.prune(WS);
        assertThat(again.removed()).isZero();
        assertThat(again.checkpoint()).isEqualTo(one.checkpoint());
    }

    @Test
    void defaultRetentionAppliesToChainsWithoutTheirOwnAndForeverNeverPrunes() {
        MutableClock clock = new MutableClock(AuditScenarios.START);
        InMemoryAuditStore store = new InMemoryAuditStore();
        AuditLog log = AuditLog.builder().store(store).macKey(AuditScenarios.randomKey(1)).clock(clock)
                .defaultRetention(Retention.days(7)).build();
        ChainId kept = ChainId.workspace("kept");
        log.record(event().build());
        log.record(AuditEvent.in(kept).actor(Actor.member("m1")).action("invoice.view").build());
        log.setRetention(kept, Retention.FOREVER);
        assertThat(log.retention(WS)).isEqualTo(Retention.days(7));
        assertThat(log.retention(kept)).isSameAs(Retention.FOREVER);
        clock.advance(Duration.ofDays(8));
        List<AuditLog.PruneResult> results = log.prune();
        assertThat(results).extracting(AuditLog.PruneResult::chain).containsExactly(kept, WS);
        assertThat(results).extracting(AuditLog.PruneResult::removed).containsExactly(0L, 1L);
        assertThat(results.get(0).checkpoint()).isNull();
        // Switching a pruned chain to forever keeps its checkpoint in the result.
        Checkpoint cp = results.get(1).checkpoint();
        log.setRetention(WS, Retention.FOREVER);
        assertThat(log.prune(WS)).isEqualTo(new AuditLog.PruneResult(WS, Retention.FOREVER, 0, cp));
        assertThat(log.prune(ChainId.workspace("never-used")).removed()).isZero();
    }

    @Test
    void fullyPrunedChainExportsAsItsCheckpointAndHeadAndContinuesFromThere() throws Exception {
        MutableClock clock = new MutableClock(AuditScenarios.START);
        AuditLog log = AuditScenarios.log(new InMemoryAuditStore(), AuditScenarios.randomKey(1), clock);
        List<AuditEntry> entries = AuditScenarios.fill(log, clock, WS, 3);
        log.setRetention(WS, Retention.days(1));
        clock.advance(Duration.ofDays(2));
        assertThat(log.prune(WS).removed()).isEqualTo(3);
        String export = AuditScenarios.export(log, WS);
        assertThat(export.lines().toList()).hasSize(2);
        assertThat(export.lines().toList().get(1)).contains("\"seq\":3", entries.get(2).mac());
        ChainReport r = log.verifier().verifyExport(new java.io.StringReader(export), null);
        assertThat(r.intact()).as(r.toString()).isTrue();
        assertThat(r.entriesVerified()).isZero();
        assertThat(r.lastVerifiedSeq()).isEqualTo(3);
        assertThat(r.lastVerifiedMac()).isEqualTo(entries.get(2).mac());
        AuditEntry next = log.record(event().build());
        assertThat(next.seq()).isEqualTo(4);
        assertThat(next.prevMac()).isEqualTo(entries.get(2).mac());
        assertThat(log.verify(WS).entriesVerified()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- queries

    @Test
    void queryBoundsAreFromInclusiveToExclusiveAndSeqBoundsExclusive() {
        MutableClock clock = new MutableClock(AuditScenarios.START);
        AuditLog log = AuditScenarios.log(new InMemoryAuditStore(), AuditScenarios.randomKey(1), clock);
        AuditScenarios.fill(log, clock, WS, 10); // entry n at START + (n - 1) minutes
        Instant t3 = AuditScenarios.START.plus(Duration.ofMinutes(2));
        Instant t6 = AuditScenarios.START.plus(Duration.ofMinutes(5));
        assertThat(log.query(AuditQuery.in(WS).from(t3).to(t6))).extracting(AuditEntry::seq).containsExactly(3L, 4L, 5L);
        assertThat(log.query(AuditQuery.in(WS).afterSeq(3).beforeSeq(6))).extracting(AuditEntry::seq).containsExactly(4L, 5L);
        assertThat(log.query(AuditQuery.in(WS).newestFirst().limit(3))).extracting(AuditEntry::seq).containsExactly(10L, 9L, 8L);
        assertThat(log.query(AuditQuery.in(WS).limit(2).afterSeq(8))).extracting(AuditEntry::seq).containsExactly(9L, 10L);
        assertThat(log.query(AuditQuery.in(WS).limit(1))).extracting(AuditEntry::seq).containsExactly(1L);
        assertThat(log.query(AuditQuery.in(ChainId.workspace("empty")))).isEmpty();
    }

    @Test
    void queryFiltersSelectExactlyTheMatchingEntries() {
        MutableClock clock = new MutableClock(AuditScenarios.START);
        AuditLog log = AuditScenarios.log(new InMemoryAuditStore(), AuditScenarios.randomKey(1), clock);
        AuditScenarios.fill(log, clock, WS, 14);
        // AuditScenarios.event(i): actor system for i % 3 == 0 else member m(i % 4); action invoice.create for even i;
        // target invoice/customer t(i % 5); DENIED and suspicious for i % 7 == 0.
        assertThat(log.query(AuditQuery.in(WS).actor(Actor.member("m1")))).extracting(AuditEntry::seq).containsExactly(1L, 5L, 13L);
        assertThat(log.query(AuditQuery.in(WS).actor(Actor.system("billing-job")))).extracting(AuditEntry::seq)
                .containsExactly(3L, 6L, 9L, 12L);
        assertThat(log.query(AuditQuery.in(WS).action("customer.update"))).extracting(AuditEntry::seq)
                .containsExactly(1L, 3L, 5L, 7L, 9L, 11L, 13L);
        assertThat(log.query(AuditQuery.in(WS).target("invoice", null))).extracting(AuditEntry::seq)
                .containsExactly(2L, 4L, 6L, 8L, 10L, 12L, 14L);
        assertThat(log.query(AuditQuery.in(WS).target("invoice", "t2"))).extracting(AuditEntry::seq).containsExactly(2L, 12L);
        assertThat(log.query(AuditQuery.in(WS).target(null, "t2"))).extracting(AuditEntry::seq).containsExactly(2L, 7L, 12L);
        assertThat(log.query(AuditQuery.in(WS).outcome(Outcome.DENIED))).extracting(AuditEntry::seq).containsExactly(7L, 14L);
        assertThat(log.query(AuditQuery.in(WS).suspiciousOnly())).extracting(AuditEntry::seq).containsExactly(7L, 14L);
        assertThat(log.query(AuditQuery.in(WS).action("invoice.create").outcome(Outcome.SUCCESS).actor(Actor.member("m2"))))
                .extracting(AuditEntry::seq).containsExactly(2L, 10L);
        assertThat(log.query(AuditQuery.in(WS).action("invoice.create").action(null))).hasSize(14);
    }

    @Test
    void queryLimitsAndActionNamesAreChecked() {
        assertThat(AuditQuery.in(WS).limit(1).limit).isEqualTo(1);
        assertThat(AuditQuery.in(WS).limit(AuditQuery.MAX_LIMIT).limit).isEqualTo(AuditQuery.MAX_LIMIT);
        assertThatThrownBy(() -> AuditQuery.in(WS).limit(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditQuery.in(WS).limit(AuditQuery.MAX_LIMIT + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditQuery.in(WS).action("DROP TABLE")).isInstanceOf(AuditException.class);
        assertThat(AuditQuery.in(WS).chain()).isEqualTo(WS);
    }

    // ---------------------------------------------------------------- keys and failures

    @Test
    void hmacKeyChecksItsKeysAndCopiesThem() {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 7);
        assertThatThrownBy(() -> HmacAuditKey.of(1, new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HmacAuditKey.of(Map.of(1, k), 2)).isInstanceOf(IllegalArgumentException.class);
        HmacAuditKey key = HmacAuditKey.of(1, k);
        byte[] data = "entry".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] tag = key.tag(1, data);
        assertThat(tag).hasSize(32);
        Arrays.fill(k, (byte) 0); // the caller wipes its copy
        assertThat(key.verify(1, data, tag)).isTrue();
        assertThat(HmacAuditKey.of(1, k).verify(1, data, tag)).isFalse();
        assertThat(key.verify(2, data, tag)).isFalse();
        assertThat(key.verify(1, data, null)).isFalse();
        assertThat(key.verify(1, null, tag)).isFalse();
        assertThat(key.currentKeyId()).isEqualTo(1);
        assertThatThrownBy(() -> key.tag(-1, data)).isInstanceOfSatisfying(AuditException.class,
                e -> assertThat(e.reason()).isEqualTo(AuditException.Reason.KEY_UNAVAILABLE));
        key.destroy();
        assertThat(key.verify(1, data, tag)).as("destroyed key no longer vouches").isFalse();
    }

    private static final class FailingKey implements AuditMacKey {
        private final RuntimeException failure;

        FailingKey(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public int currentKeyId() {
            return 1;
        }

        @Override
        public byte[] tag(int keyId, byte[] data) {
            throw failure;
        }

        @Override
        public boolean verify(int keyId, byte[] data, byte[] tag) {
            return false;
        }
    }

    @Test
    void keyThatCannotSignFailsTheRecordAndAppendsNothing() {
        InMemoryAuditStore store = new InMemoryAuditStore();
        AuditLog log = AuditScenarios.log(store, new FailingKey(new IllegalStateException("KMS down")), new MutableClock(AuditScenarios.START));
        assertThatThrownBy(() -> log.record(event().build())).isInstanceOfSatisfying(AuditException.class, e -> {
            assertThat(e.reason()).isEqualTo(AuditException.Reason.KEY_UNAVAILABLE);
            assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
        });
        assertThat(log.head(WS)).isEmpty();
        assertThat(log.query(AuditQuery.in(WS))).isEmpty();

        AuditException storageFailure = new AuditException(AuditException.Reason.STORAGE, "keyset table unreadable");
        AuditLog other = AuditScenarios.log(store, new FailingKey(storageFailure), new MutableClock(AuditScenarios.START));
        assertThatThrownBy(() -> other.record(event().build())).isSameAs(storageFailure);
    }

    @Test
    void storeRefusesAnEntryThatDoesNotContinueItsChain() {
        InMemoryAuditStore store = new InMemoryAuditStore();
        AuditLog log = AuditScenarios.log(store, AuditScenarios.randomKey(1), new MutableClock(AuditScenarios.START));
        AuditEntry first = log.record(event().build());
        AuditEntry skipping = new AuditEntry(WS, 3, first.time(), first.actor(), first.action(), null, null, first.outcome(), null,
                null, Details.EMPTY, false, 1, first.mac(), first.mac());
        assertThatThrownBy(() -> store.append(WS, head -> skipping)).isInstanceOf(IllegalStateException.class);
        AuditEntry otherChain = new AuditEntry(ChainId.PLATFORM, 2, first.time(), first.actor(), first.action(), null, null,
                first.outcome(), null, null, Details.EMPTY, false, 1, first.mac(), first.mac());
        assertThatThrownBy(() -> store.append(WS, head -> otherChain)).isInstanceOf(IllegalStateException.class);
        assertThat(log.head(WS).orElseThrow().seq()).isEqualTo(1);
        assertThat(log.verify(WS).intact()).isTrue();
    }

    @Test
    void logNeedsAStoreAndAKey() {
        assertThatThrownBy(() -> AuditLog.builder().macKey(AuditScenarios.randomKey(1)).build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> AuditLog.builder().store(new InMemoryAuditStore()).build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void chainWithRetentionButNoEntriesHasNoHead() {
        AuditLog log = AuditScenarios.log(new InMemoryAuditStore(), AuditScenarios.randomKey(1), new MutableClock(AuditScenarios.START));
        log.setRetention(WS, Retention.days(30));
        assertThat(log.head(WS)).isEmpty();
        assertThat(log.head(ChainId.workspace("unknown"))).isEmpty();
        assertThat(log.verify(WS).intact()).isTrue();
        assertThat(log.verify(WS).lastVerifiedSeq()).isZero();
    }

    @Test
    void entriesAreStampedWithTheClockToTheMillisecond() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00.123456789Z"));
        AuditLog log = AuditScenarios.log(new InMemoryAuditStore(), AuditScenarios.randomKey(1), clock);
        AuditEntry e = log.record(event().build());
        assertThat(e.time()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123Z"));
        clock.advance(Duration.ofMillis(1));
        assertThat(log.record(event().build()).time()).isEqualTo(Instant.parse("2026-03-01T10:00:00.124Z"));
        assertThat(log.head(WS).orElseThrow().time()).isEqualTo(Instant.parse("2026-03-01T10:00:00.124Z"));
    }
}
