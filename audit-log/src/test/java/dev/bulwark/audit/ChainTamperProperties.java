package dev.bulwark.audit;

import dev.bulwark.testkit.MutableClock;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tampering with an exported chain — edit, remove, reorder, duplicate, forge, truncate — at a random place of a
 * random-length chain is always reported, with the right kind, at the right seq.
 */
class ChainTamperProperties {
    enum Tamper { EDIT_FIELD, EDIT_DETAILS, EDIT_TIME, REMOVE, SWAP_NEXT, MOVE_TO_END, DUPLICATE, FORGE_BEFORE, TRUNCATE, WRONG_KEY }

    private static final ChainId WS = ChainId.workspace("ws_t");

    @Property(tries = 400)
    void everyKindOfTamperingIsReportedAtTheRightEntry(@ForAll @IntRange(min = 2, max = 30) int n,
                                                         @ForAll("tampers") Tamper tamper,
                                                         @ForAll @IntRange(min = 0, max = 10_000) int where) throws Exception {
        InMemoryAuditStore store = new InMemoryAuditStore();
        MutableClock clock = new MutableClock(AuditScenarios.START);
        AuditLog log = AuditScenarios.log(store, AuditScenarios.randomKey(11), clock);
        AuditScenarios.fill(log, clock, WS, n);
        List<String> lines = new ArrayList<>(AuditScenarios.export(log, WS).lines().toList());
        assertThat(lines).hasSize(n + 1); // entries 1..n at index 0..n-1, head at index n
        int k = 1 + where % n;            // the seq tampered with
        int idx = k - 1;
        ChainReport.Kind kind;
        long seq = k;
        switch (tamper) {
            case EDIT_FIELD -> {
                lines.set(idx, lines.get(idx).replaceFirst("\"action\":\"[^\"]*\"", "\"action\":\"invoice.delete\""));
                kind = ChainReport.Kind.EDITED;
            }
            case EDIT_DETAILS -> {
                lines.set(idx, lines.get(idx).replaceFirst("\"note\":\"[^\"]*\"", "\"note\":\"changed\""));
                kind = ChainReport.Kind.EDITED;
            }
            case EDIT_TIME -> {
                lines.set(idx, lines.get(idx).replaceFirst("\"time\":\"2026-", "\"time\":\"2025-"));
                kind = ChainReport.Kind.EDITED;
            }
            case REMOVE -> {
                lines.remove(idx);
                kind = k == n ? ChainReport.Kind.TRUNCATED : ChainReport.Kind.REMOVED;
            }
            case SWAP_NEXT -> {
                if (k == n) k = n - 1;
                idx = k - 1;
                seq = k;
                String t = lines.get(idx);
                lines.set(idx, lines.get(idx + 1));
                lines.set(idx + 1, t);
                kind = ChainReport.Kind.REORDERED;
            }
            case MOVE_TO_END -> {
                if (k == n) k = n - 1;
                idx = k - 1;
                seq = k;
                String moved = lines.remove(idx);
                lines.add(n - 1, moved); // just before the head line
                kind = ChainReport.Kind.REORDERED;
            }
            case DUPLICATE -> {
                int after = idx + where % (n - idx); // a copy of entry k after entry k or a later one
                lines.add(after + 1, lines.get(idx));
                kind = ChainReport.Kind.INSERTED;
            }
            case FORGE_BEFORE -> {
                lines.add(idx, lines.get(idx).replaceFirst("\"outcome\":\"[A-Z]*\"", "\"outcome\":\"FAILURE\"")
                        .replaceFirst("\"note\":\"[^\"]*\"", "\"note\":\"forged\""));
                kind = ChainReport.Kind.INSERTED;
            }
            case TRUNCATE -> {
                lines.subList(k, n + 1).clear(); // keep entries 1..k, drop the rest and the head
                kind = ChainReport.Kind.TRUNCATED;
                seq = k + 1;
            }
            default -> { // WRONG_KEY: verified with another key, the first entry fails
                kind = ChainReport.Kind.EDITED;
                seq = 1;
            }
        }
        AuditVerifier verifier = tamper == Tamper.WRONG_KEY ? new AuditVerifier(AuditScenarios.randomKey(11)) : log.verifier();
        ChainReport r = verifier.verifyExport(new StringReader(String.join("\n", lines)), null);
        assertThat(r.intact()).as("%s at %d of %d went undetected", tamper, k, n).isFalse();
        ChainReport.Problem p = r.problem().orElseThrow();
        assertThat(p.kind()).as(p.toString()).isEqualTo(kind);
        assertThat(p.seq()).as(p.toString()).isEqualTo(seq);
        // Everything before the tampered entry verified; a duplicate is only noticed where the copy sits.
        if (tamper == Tamper.DUPLICATE) assertThat(r.entriesVerified()).isGreaterThanOrEqualTo(seq);
        else assertThat(r.entriesVerified()).isEqualTo(seq - 1);
    }

    @Provide
    Arbitrary<Tamper> tampers() {
        return Arbitraries.of(Tamper.class);
    }

    /** The untouched export of the same chains always verifies (the property above cannot pass by always failing). */
    @Property(tries = 100)
    void untouchedExportsVerify(@ForAll @IntRange(min = 0, max = 30) int n) throws Exception {
        MutableClock clock = new MutableClock(AuditScenarios.START);
        AuditLog log = AuditScenarios.log(new InMemoryAuditStore(), AuditScenarios.randomKey(11), clock);
        AuditScenarios.fill(log, clock, WS, n);
        ChainReport r = log.verifier().verifyExport(new StringReader(AuditScenarios.export(log, WS)), log.head(WS).orElse(null));
        assertThat(r.intact()).as(r.toString()).isTrue();
        assertThat(r.entriesVerified()).isEqualTo(n);
    }
}
