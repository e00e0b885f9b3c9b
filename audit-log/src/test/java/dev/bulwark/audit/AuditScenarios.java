package dev.bulwark.audit;

import dev.bulwark.testkit.MutableClock;

import java.io.StringReader;
import java.io.StringWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Behaviour every {@link AuditStore} must show through {@link AuditLog}; run on memory, H2 and PostgreSQL. */
final class AuditScenarios {
    private AuditScenarios() {}

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    static HmacAuditKey randomKey(int id) {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return HmacAuditKey.of(id, k);
    }

    static AuditLog log(AuditStore store, AuditMacKey key, MutableClock clock) {
        return AuditLog.builder().store(store).macKey(key).clock(clock).build();
    }

    static AuditEvent event(ChainId chain, int i) {
        AuditEvent.Builder b = AuditEvent.in(chain).actor(i % 3 == 0 ? Actor.system("billing-job") : Actor.member("m" + (i % 4)))
                .action(i % 2 == 0 ? "invoice.create" : "customer.update").target(i % 2 == 0 ? "invoice" : "customer", "t" + (i % 5))
                .outcome(i % 7 == 0 ? Outcome.DENIED : Outcome.SUCCESS).ip("203.0.113." + (i % 250)).userAgent("Mozilla/5.0 test " + i)
                .details(Details.of("n", i, "note", "entry " + i));
        if (i % 7 == 0) b.suspicious();
        return b.build();
    }

    static List<AuditEntry> fill(AuditLog log, MutableClock clock, ChainId chain, int n) {
        List<AuditEntry> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(log.record(event(chain, i)));
            clock.advance(Duration.ofMinutes(1));
        }
        return out;
    }

    static String export(AuditLog log, ChainId chain) throws Exception {
        StringWriter w = new StringWriter();
        log.export(chain, w);
        return w.toString();
    }

    static void intactChainsVerifyInStoreAndExport(AuditStore store) throws Exception {
        MutableClock clock = new MutableClock(START);
        AuditLog log = log(store, randomKey(7), clock);
        ChainId a = ChainId.workspace("ws_a");
        ChainId b = ChainId.workspace("ws_b");
        List<AuditEntry> entries = fill(log, clock, a, 25);
        fill(log, clock, ChainId.PLATFORM, 3);
        assertThat(entries).extracting(AuditEntry::seq).containsExactlyElementsOf(seqs(1, 25));
        assertThat(entries.get(0).prevMac()).isEqualTo(Canonical.GENESIS_MAC);
        for (int i = 1; i < entries.size(); i++) assertThat(entries.get(i).prevMac()).isEqualTo(entries.get(i - 1).mac());

        ChainReport r = log.verify(a);
        assertThat(r.intact()).as(r.toString()).isTrue();
        assertThat(r.entriesVerified()).isEqualTo(25);
        assertThat(r.lastVerifiedSeq()).isEqualTo(25);
        assertThat(log.verify(ChainId.PLATFORM).intact()).isTrue();
        assertThat(log.verify(b).intact()).isTrue(); // empty chain
        assertThat(log.head(a).orElseThrow().seq()).isEqualTo(25);

        String jsonl = export(log, a);
        assertThat(jsonl.lines().count()).isEqualTo(26);
        ChainReport fromExport = log.verifier().verifyExport(new StringReader(jsonl), log.head(a).orElseThrow());
        assertThat(fromExport.intact()).as(fromExport.toString()).isTrue();
        assertThat(fromExport.entriesVerified()).isEqualTo(25);
        // Another key cannot vouch for the chain.
        assertThat(new AuditVerifier(randomKey(7)).verifyExport(new StringReader(jsonl), null).problem().orElseThrow().kind())
                .isEqualTo(ChainReport.Kind.EDITED);
    }

    static List<Long> seqs(long from, long to) {
        List<Long> l = new ArrayList<>();
        for (long i = from; i <= to; i++) l.add(i);
        return l;
    }

    /** 8 threads append to one chain (and 2 others) at once: one unbroken chain per workspace, no seq lost or doubled. */
    static void concurrentAppendsGiveOneValidChain(AuditStore store, int perThread) throws Exception {
        MutableClock clock = new MutableClock(START);
        AuditLog log = log(store, randomKey(1), clock);
        ChainId hot = ChainId.workspace("hot");
        ChainId[] others = {ChainId.workspace("o1"), ChainId.workspace("o2")};
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Long>>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int tt = t;
            fs.add(pool.submit(() -> {
                go.await();
                List<Long> mine = new ArrayList<>();
                Random rnd = new Random(tt);
                for (int i = 0; i < perThread; i++) {
                    mine.add(log.record(event(hot, i + tt)).seq());
                    if (rnd.nextInt(4) == 0) log.record(event(others[rnd.nextInt(2)], i));
                }
                return mine;
            }));
        }
        go.countDown();
        Set<Long> all = new HashSet<>();
        for (Future<List<Long>> f : fs) for (Long s : f.get()) assertThat(all.add(s)).as("seq %s handed out twice", s).isTrue();
        pool.shutdown();
        assertThat(all).containsExactlyInAnyOrderElementsOf(seqs(1, (long) threads * perThread));
        ChainReport r = log.verify(hot);
        assertThat(r.intact()).as(r.toString()).isTrue();
        assertThat(r.entriesVerified()).isEqualTo((long) threads * perThread);
        for (ChainId o : others) assertThat(log.verify(o).intact()).isTrue();
    }

    /** Retention follows each workspace's setting; pruning leaves a checkpoint and the rest still verifies. */
    static void pruningFollowsEachWorkspacesRetentionAndKeepsChainsVerifiable(AuditStore store) throws Exception {
        MutableClock clock = new MutableClock(START);
        AuditLog log = log(store, randomKey(3), clock);
        ChainId shortLived = ChainId.workspace("monthly");
        ChainId standard = ChainId.workspace("yearly");
        ChainId forever = ChainId.workspace("forever");
        log.setRetention(shortLived, Retention.days(30));
        log.setRetention(forever, Retention.FOREVER);
        assertThat(log.retention(shortLived)).isEqualTo(Retention.days(30));
        assertThat(log.retention(standard)).isEqualTo(Retention.DEFAULT);
        // 400 days, one entry per day in each chain.
        for (int day = 0; day < 400; day++) {
            log.record(event(shortLived, day));
            log.record(event(standard, day));
            log.record(event(forever, day));
            clock.advance(Duration.ofDays(1));
        }
        // now = START + 400d. Entries are at START + d.
        List<AuditLog.PruneResult> results = log.prune();
        assertThat(results).extracting(AuditLog.PruneResult::chain).contains(shortLived, standard, forever);
        for (AuditLog.PruneResult p : results) {
            if (p.chain().equals(shortLived)) {
                assertThat(p.removed()).isEqualTo(370); // days 0..369 are older than 30 days
                assertThat(p.checkpoint().throughSeq()).isEqualTo(370);
            } else if (p.chain().equals(standard)) {
                assertThat(p.removed()).isEqualTo(35);  // days 0..34 are older than 365 days
            } else if (p.chain().equals(forever)) {
                assertThat(p.removed()).isZero();
            }
        }
        for (ChainId c : List.of(shortLived, standard, forever)) {
            ChainReport r = log.verify(c);
            assertThat(r.intact()).as(c + ": " + r).isTrue();
            ChainReport e = log.verifier().verifyExport(new StringReader(export(log, c)), log.head(c).orElseThrow());
            assertThat(e.intact()).as(c + " export: " + e).isTrue();
        }
        assertThat(log.query(AuditQuery.in(shortLived).limit(1000))).hasSize(30);
        assertThat(log.query(AuditQuery.in(shortLived).limit(1)).get(0).seq()).isEqualTo(371);

        // Appending after pruning continues the chain; a second prune moves the checkpoint on.
        log.record(event(shortLived, 1000));
        clock.advance(Duration.ofDays(10));
        assertThat(log.prune(shortLived).removed()).isEqualTo(10);
        assertThat(log.verify(shortLived).intact()).isTrue();
        // Changing the setting takes effect at the next prune.
        log.setRetention(standard, Retention.days(100));
        assertThat(log.prune(standard).removed()).isEqualTo(365 - 100 + 10);
        assertThat(log.verify(standard).intact()).isTrue();
    }

    /** Query filters return exactly the entries {@link AuditQuery#matches} selects, in order. */
    static void queriesFilterByTimeActorActionAndTarget(AuditStore store) {
        MutableClock clock = new MutableClock(START);
        AuditLog log = log(store, randomKey(5), clock);
        ChainId c = ChainId.workspace("q");
        List<AuditEntry> all = fill(log, clock, c, 60);
        fill(log, clock, ChainId.workspace("other"), 10);
        List<AuditQuery> queries = List.of(
                AuditQuery.in(c).limit(1000),
                AuditQuery.in(c).from(START.plus(Duration.ofMinutes(10))).to(START.plus(Duration.ofMinutes(20))),
                AuditQuery.in(c).actor(Actor.member("m1")),
                AuditQuery.in(c).actor(Actor.system("billing-job")).action("invoice.create"),
                AuditQuery.in(c).target("invoice", "t2"),
                AuditQuery.in(c).target("customer", null).outcome(Outcome.SUCCESS),
                AuditQuery.in(c).suspiciousOnly(),
                AuditQuery.in(c).newestFirst().limit(5),
                AuditQuery.in(c).afterSeq(50).beforeSeq(55));
        for (AuditQuery q : queries) {
            List<AuditEntry> expected = new ArrayList<>(all.stream().filter(q::matches).toList());
            if (q.newestFirst) java.util.Collections.reverse(expected);
            expected = expected.subList(0, Math.min(q.limit, expected.size()));
            assertThat(log.query(q)).isEqualTo(expected);
        }
        assertThat(log.query(AuditQuery.in(c).suspiciousOnly())).isNotEmpty().allMatch(AuditEntry::suspicious);
    }
}
