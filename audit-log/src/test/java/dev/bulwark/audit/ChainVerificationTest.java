package dev.bulwark.audit;

import dev.bulwark.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verification of entries read from a store (or handed over in chain order): forks, rewound tails, anchors, forged
 * copies, foreign entries, and hostile checkpoints or keys, each reported at the exact seq and position.
 */
class ChainVerificationTest {
    private static final ChainId WS = ChainId.workspace("ws_v");
    private final HmacAuditKey key = AuditScenarios.randomKey(4);

    /** A fresh log over its own store, with its own clock starting at the same instant as every other. */
    private AuditLog newLog(InMemoryAuditStore store) {
        return AuditScenarios.log(store, key, new MutableClock(AuditScenarios.START));
    }

    private static List<AuditEntry> record(AuditLog log, int fromEvent, int toEvent, MutableClock clock) {
        List<AuditEntry> out = new ArrayList<>();
        for (int i = fromEvent; i <= toEvent; i++) {
            out.add(log.record(AuditScenarios.event(WS, i)));
            clock.advance(Duration.ofMinutes(1));
        }
        return out;
    }

    private ChainReport verify(List<AuditEntry> entries, Checkpoint cp, ChainHead anchor) {
        return new AuditVerifier(key).verify(WS, cp, entries.iterator(), anchor);
    }

    private static ChainReport.Problem assertProblem(ChainReport r, ChainReport.Kind kind, long seq, long position) {
        assertThat(r.intact()).as("must be reported").isFalse();
        ChainReport.Problem p = r.problem().orElseThrow();
        assertThat(p.kind()).as(p.toString()).isEqualTo(kind);
        assertThat(p.seq()).as(p.toString()).isEqualTo(seq);
        assertThat(p.position()).as(p.toString()).isEqualTo(position);
        return p;
    }

    private static AuditEntry withAction(AuditEntry e, String action) {
        return new AuditEntry(e.chain(), e.seq(), e.time(), e.actor(), action, e.targetType(), e.targetId(), e.outcome(), e.ip(),
                e.userAgent(), e.details(), e.suspicious(), e.keyId(), e.prevMac(), e.mac());
    }

    private static AuditEntry withSeq(AuditEntry e, long seq) {
        return new AuditEntry(e.chain(), seq, e.time(), e.actor(), e.action(), e.targetType(), e.targetId(), e.outcome(), e.ip(),
                e.userAgent(), e.details(), e.suspicious(), e.keyId(), e.prevMac(), e.mac());
    }

    private static AuditEntry withMacs(AuditEntry e, String prevMac, String mac) {
        return new AuditEntry(e.chain(), e.seq(), e.time(), e.actor(), e.action(), e.targetType(), e.targetId(), e.outcome(), e.ip(),
                e.userAgent(), e.details(), e.suspicious(), e.keyId(), prevMac, mac);
    }

    /** Two logs with the same key and clock agree on entries 1-3 and then record different events. */
    private record Fork(List<AuditEntry> a, List<AuditEntry> b, AuditLog logA, AuditLog logB) {}

    private Fork fork(int lengthA, int lengthB) {
        MutableClock clockA = new MutableClock(AuditScenarios.START);
        MutableClock clockB = new MutableClock(AuditScenarios.START);
        AuditLog logA = AuditScenarios.log(new InMemoryAuditStore(), key, clockA);
        AuditLog logB = AuditScenarios.log(new InMemoryAuditStore(), key, clockB);
        List<AuditEntry> a = record(logA, 1, lengthA, clockA);
        List<AuditEntry> b = record(logB, 1, 3, clockB);
        b.addAll(record(logB, 101, 100 + lengthB - 3, clockB));
        assertThat(b.subList(0, 3)).isEqualTo(a.subList(0, 3)); // sealing is deterministic
        return new Fork(a, b, logA, logB);
    }

    @Test
    void entriesFromAForkedHistoryDoNotLink() {
        Fork f = fork(5, 5);
        List<AuditEntry> spliced = new ArrayList<>(f.a().subList(0, 4));
        spliced.add(f.b().get(4));
        ChainReport r = verify(spliced, null, null);
        assertProblem(r, ChainReport.Kind.BROKEN_LINK, 5, 5);
        assertThat(r.entriesVerified()).isEqualTo(4);
    }

    @Test
    void tailDeletedAndReappendedByTheApplicationIsRevealedByThePublishedHead() {
        // Entries 4-10 of log A were deleted and the application went on appending: log B holds the rewritten tail.
        Fork f = fork(10, 10);
        ChainHead published = f.logA().head(WS).orElseThrow();
        assertThat(f.logB().verify(WS).intact()).as("consistent on its own").isTrue();
        ChainReport r = f.logB().verify(WS, published);
        assertProblem(r, ChainReport.Kind.BROKEN_LINK, 10, 10);
        assertThat(r.entriesVerified()).isEqualTo(9);

        Fork longer = fork(10, 12);
        assertProblem(longer.logB().verify(WS, published), ChainReport.Kind.BROKEN_LINK, 10, 10);
        Fork shorter = fork(10, 9);
        assertProblem(shorter.logB().verify(WS, published), ChainReport.Kind.TRUNCATED, 10, -1);
        assertThat(f.logA().verify(WS, published).intact()).isTrue();
    }

    @Test
    void anchorOfAnotherChainSaysNothingAboutThisOne() {
        Fork f = fork(5, 5);
        ChainHead platformHead = new ChainHead(ChainId.PLATFORM, 5, f.b().get(4).mac(), null);
        assertThat(verify(f.a(), null, platformHead).intact()).isTrue();
        assertThat(verify(f.a().subList(0, 3), null, new ChainHead(ChainId.PLATFORM, 9, "x", null)).intact()).isTrue();
    }

    @Test
    void reportNamesTheLastVerifiedEntryToPublishAsTheNextAnchor() {
        Filled w = filled();
        ChainReport intact = w.log().verify(WS);
        assertThat(intact.lastVerifiedSeq()).isEqualTo(6);
        assertThat(intact.lastVerifiedMac()).isEqualTo(w.entries().get(5).mac()).isEqualTo(w.log().head(WS).orElseThrow().mac());

        w.store().rawEntries(WS).put(4L, withAction(w.entries().get(3), "invoice.delete"));
        ChainReport broken = w.log().verify(WS);
        assertProblem(broken, ChainReport.Kind.EDITED, 4, 4);
        assertThat(broken.entriesVerified()).isEqualTo(3);
        assertThat(broken.lastVerifiedSeq()).isEqualTo(3);
        assertThat(broken.lastVerifiedMac()).isEqualTo(w.entries().get(2).mac());
    }

    @Test
    void forgedCopyOfAnEarlierEntryIsAnInsertion() {
        Fork f = fork(6, 6);
        List<AuditEntry> list = new ArrayList<>(f.a());
        list.add(4, withAction(f.a().get(1), "invoice.delete")); // after entry 4, claims to be entry 2
        ChainReport r = verify(list, null, null);
        assertProblem(r, ChainReport.Kind.INSERTED, 2, 5);
        assertThat(r.entriesVerified()).isEqualTo(4);
    }

    @Test
    void authenticCopyOfAnEarlierEntryIsAnInsertion() {
        Fork f = fork(6, 6);
        List<AuditEntry> list = new ArrayList<>(f.a());
        list.add(5, f.a().get(2));
        assertProblem(verify(list, null, null), ChainReport.Kind.INSERTED, 3, 6);
    }

    @Test
    void entryOfAnotherChainIsAnInsertion() {
        MutableClock clock = new MutableClock(AuditScenarios.START);
        AuditLog log = AuditScenarios.log(new InMemoryAuditStore(), key, clock);
        List<AuditEntry> ours = AuditScenarios.fill(log, clock, WS, 4);
        List<AuditEntry> theirs = AuditScenarios.fill(log, clock, ChainId.workspace("ws_other"), 4);
        List<AuditEntry> list = new ArrayList<>(ours.subList(0, 2));
        list.add(theirs.get(2)); // authentic, and at the seq expected here, but of another workspace
        list.add(ours.get(3));
        assertProblem(verify(list, null, null), ChainReport.Kind.INSERTED, 3, 3);
    }

    @Test
    void unverifiableEntryBeyondTheKnownHeadIsAnInsertionOtherwiseAnEdit() {
        Fork f = fork(5, 5);
        List<AuditEntry> list = new ArrayList<>(f.a());
        list.add(withSeq(withAction(f.a().get(4), "auth.login"), 6));
        ChainHead head = f.a().get(4).asHead();
        assertProblem(verify(list, null, head), ChainReport.Kind.INSERTED, 6, 6);
        assertProblem(verify(list, null, null), ChainReport.Kind.EDITED, 6, 6);
        assertProblem(verify(list, null, new ChainHead(ChainId.PLATFORM, 5, head.mac(), null)), ChainReport.Kind.EDITED, 6, 6);
        assertProblem(verify(list, null, new ChainHead(WS, 6, head.mac(), null)), ChainReport.Kind.EDITED, 6, 6);
    }

    @Test
    void entriesMissingInTheMiddleAreReportedFromTheFirstMissingSeq() {
        Fork f = fork(8, 8);
        List<AuditEntry> list = new ArrayList<>(f.a());
        list.subList(2, 5).clear(); // entries 3, 4, 5
        ChainReport.Problem p = assertProblem(verify(list, null, null), ChainReport.Kind.REMOVED, 3, 3);
        assertThat(p.message()).contains("3 to 5");
    }

    @Test
    void entryMovedLaterIsReorderedAtItsSeq() {
        Fork f = fork(8, 8);
        List<AuditEntry> list = new ArrayList<>(f.a());
        AuditEntry third = list.remove(2);
        list.add(third);
        assertProblem(verify(list, null, null), ChainReport.Kind.REORDERED, 3, 3);
    }

    @Test
    void copyOfAnAlreadyPrunedEntryIsAnInsertion() {
        Filled w = aged();
        Checkpoint cp = w.log().prune(WS).checkpoint();
        assertThat(cp.throughSeq()).isEqualTo(3);
        w.store().rawEntries(WS).put(2L, w.entries().get(1)); // a pruned entry brought back
        List<AuditEntry> list = new ArrayList<>(w.entries().subList(3, 6));
        list.add(1, w.entries().get(1));
        ChainReport.Problem p = assertProblem(verify(list, cp, null), ChainReport.Kind.INSERTED, 2, 2);
        assertThat(p.message()).contains("already pruned");
    }

    @Test
    void rowsPutBackBelowThePruningCheckpointAreReportedNotSkipped() throws Exception {
        Filled w = aged();
        assertThat(w.log().prune(WS).removed()).isEqualTo(3);
        assertThat(w.log().verify(WS).intact()).isTrue();

        // A forged row with a seq the checkpoint already covers shows up in queries, so verification must see it too.
        w.store().rawEntries(WS).put(2L, withAction(w.entries().get(1), "invoice.delete"));
        assertThat(w.log().query(AuditQuery.in(WS))).extracting(AuditEntry::seq).containsExactly(2L, 4L, 5L, 6L);
        assertProblem(w.log().verify(WS), ChainReport.Kind.INSERTED, 2, 1);
        ChainReport fromExport = w.log().verifier().verifyExport(new java.io.StringReader(AuditScenarios.export(w.log(), WS)), null);
        assertProblem(fromExport, ChainReport.Kind.INSERTED, 2, 2);

        // The same for an authentic entry brought back after it was pruned.
        w.store().rawEntries(WS).put(2L, w.entries().get(1));
        ChainReport.Problem p = assertProblem(w.log().verify(WS), ChainReport.Kind.INSERTED, 2, 1);
        assertThat(p.message()).contains("already pruned");
    }

    @Test
    void checkpointsThatDoNotVerifyAreReportedNeverThrown() {
        Filled w = aged();
        Checkpoint cp = w.log().prune(WS).checkpoint();
        List<AuditEntry> rest = w.entries().subList(3, 6);
        assertThat(verify(rest, cp, null).intact()).isTrue();
        assertThat(cp.prunedAt()).isEqualTo(w.clock().instant());
        assertThat(cp.lastMac()).isEqualTo(w.entries().get(2).mac());
        assertThat(cp.keyId()).isEqualTo(4);

        List<Checkpoint> bad = List.of(
                new Checkpoint(cp.chain(), cp.throughSeq(), cp.lastMac(), null, cp.keyId(), cp.mac()),
                new Checkpoint(cp.chain(), cp.throughSeq(), null, cp.prunedAt(), cp.keyId(), cp.mac()),
                new Checkpoint(cp.chain(), cp.throughSeq(), cp.lastMac(), cp.prunedAt(), cp.keyId(), null),
                new Checkpoint(cp.chain(), cp.throughSeq(), cp.lastMac(), cp.prunedAt(), cp.keyId(), "not base64!"),
                new Checkpoint(cp.chain(), cp.throughSeq(), cp.lastMac(), cp.prunedAt(), 77, cp.mac()),
                new Checkpoint(cp.chain(), cp.throughSeq(), cp.lastMac(), cp.prunedAt().plusMillis(1), cp.keyId(), cp.mac()),
                new Checkpoint(cp.chain(), 2, cp.lastMac(), cp.prunedAt(), cp.keyId(), cp.mac()));
        for (Checkpoint c : bad) {
            ChainReport r = verify(rest, c, null);
            assertProblem(r, ChainReport.Kind.BAD_CHECKPOINT, c.throughSeq(), 1);
            assertThat(r.entriesVerified()).isZero();
        }
        // A genuine checkpoint of another chain cannot stand in for this chain's.
        AuditScenarios.fill(w.log(), w.clock(), ChainId.workspace("ws_w"), 2);
        w.log().setRetention(ChainId.workspace("ws_w"), Retention.days(1));
        w.clock().advance(Duration.ofDays(2));
        Checkpoint foreign = w.log().prune(ChainId.workspace("ws_w")).checkpoint();
        assertThat(new AuditVerifier(key).verify(ChainId.workspace("ws_w"), foreign, List.<AuditEntry>of().iterator(), null).intact())
                .isTrue();
        assertProblem(verify(List.of(), foreign, null), ChainReport.Kind.BAD_CHECKPOINT, foreign.throughSeq(), 1);
    }

    @Test
    void unreadableMacsAndKeysThatThrowAreMismatchesNotExceptions() {
        Fork f = fork(4, 4);
        AuditEntry second = f.a().get(1);
        List<AuditEntry> noPrev = new ArrayList<>(f.a());
        noPrev.set(1, withMacs(second, null, second.mac()));
        assertProblem(verify(noPrev, null, null), ChainReport.Kind.EDITED, 2, 2);
        List<AuditEntry> garbledMac = new ArrayList<>(f.a());
        garbledMac.set(1, withMacs(second, second.prevMac(), "!unreadable-row"));
        assertProblem(verify(garbledMac, null, null), ChainReport.Kind.EDITED, 2, 2);
        List<AuditEntry> noMac = new ArrayList<>(f.a());
        noMac.set(1, withMacs(second, second.prevMac(), null));
        assertProblem(verify(noMac, null, null), ChainReport.Kind.EDITED, 2, 2);

        AuditMacKey throwing = new AuditMacKey() {
            @Override
            public int currentKeyId() {
                return 4;
            }

            @Override
            public byte[] tag(int keyId, byte[] data) {
                throw new IllegalStateException("keyset unavailable");
            }

            @Override
            public boolean verify(int keyId, byte[] data, byte[] tag) {
                throw new IllegalStateException("keyset unavailable");
            }
        };
        ChainReport r = new AuditVerifier(throwing).verify(WS, null, f.a().iterator(), null);
        assertProblem(r, ChainReport.Kind.EDITED, 1, 1);
        Checkpoint cp = new Checkpoint(WS, 3, second.mac(), AuditScenarios.START, 4, second.mac());
        assertProblem(new AuditVerifier(throwing).verify(WS, cp, List.<AuditEntry>of().iterator(), null),
                ChainReport.Kind.BAD_CHECKPOINT, 3, 1);
    }

    @Test
    void positionsCountEntriesAsReadFromTheStore() {
        Filled w = aged();
        w.log().prune(WS);
        w.store().rawEntries(WS).put(5L, withAction(w.entries().get(4), "invoice.delete"));
        // Entries 4, 5, 6 remain: entry 5 is the second read.
        assertProblem(w.log().verify(WS), ChainReport.Kind.EDITED, 5, 2);
    }

    /** An in-memory log holding six entries of {@link #WS}, with its store and clock for tampering. */
    record Filled(InMemoryAuditStore store, MutableClock clock, AuditLog log, List<AuditEntry> entries) {}

    private Filled filled() {
        InMemoryAuditStore store = new InMemoryAuditStore();
        MutableClock clock = new MutableClock(AuditScenarios.START);
        AuditLog log = AuditScenarios.log(store, key, clock);
        return new Filled(store, clock, log, AuditScenarios.fill(log, clock, WS, 6));
    }

    /** {@link #filled()} with a retention of one day and the clock moved so that the next prune removes entries 1 to 3. */
    private Filled aged() {
        Filled w = filled();
        w.log().setRetention(WS, Retention.days(1));
        w.clock().advance(Duration.ofDays(1).minusMinutes(3));
        return w;
    }
}
