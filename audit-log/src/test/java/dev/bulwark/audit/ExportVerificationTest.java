package dev.bulwark.audit;

import dev.bulwark.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Offline verification of JSON Lines exports: the closing head, the checkpoint line, unreadable lines and fields of
 * the wrong type are each reported with their kind, seq and line, never thrown.
 */
class ExportVerificationTest {
    private static final ChainId WS = ChainId.workspace("ws_x");

    private final MutableClock clock = new MutableClock(AuditScenarios.START);
    private final InMemoryAuditStore store = new InMemoryAuditStore();
    private final AuditLog log = AuditScenarios.log(store, AuditScenarios.randomKey(9), clock);

    private List<String> exportLines() throws Exception {
        return new ArrayList<>(AuditScenarios.export(log, WS).lines().toList());
    }

    private ChainReport verify(List<String> lines) {
        return log.verifier().verifyExport(new StringReader(String.join("\n", lines)), null);
    }

    private static ChainReport.Problem problem(ChainReport r) {
        assertThat(r.intact()).as("must be reported").isFalse();
        return r.problem().orElseThrow();
    }

    private static void assertProblem(ChainReport r, ChainReport.Kind kind, long seq, long position) {
        ChainReport.Problem p = problem(r);
        assertThat(p.kind()).as(p.toString()).isEqualTo(kind);
        assertThat(p.seq()).as(p.toString()).isEqualTo(seq);
        assertThat(p.position()).as(p.toString()).isEqualTo(position);
    }

    @Test
    void emptyOrBlankExportIsMalformedAtLineOne() {
        for (String text : new String[] {"", "\n", "  \n\t\n"}) {
            ChainReport r = log.verifier().verifyExport(new StringReader(text), null);
            assertProblem(r, ChainReport.Kind.MALFORMED, -1, 1);
            assertThat(r.entriesVerified()).isZero();
        }
    }

    @Test
    void exportOfAChainWithoutEntriesIsItsHeadAloneAndVerifies() throws Exception {
        log.setRetention(WS, Retention.days(30)); // the chain exists but has no entries
        List<String> lines = exportLines();
        assertThat(lines).hasSize(1);
        ChainReport r = verify(lines);
        assertThat(r.intact()).as(r.toString()).isTrue();
        assertThat(r.chain()).isEqualTo(WS);
        assertThat(r.entriesVerified()).isZero();
        assertThat(r.lastVerifiedSeq()).isZero();
        assertThat(r.lastVerifiedMac()).isEqualTo(Canonical.GENESIS_MAC);
        // An anchor published when the chain had entries shows they were all deleted.
        ChainReport anchored = log.verifier().verifyExport(new StringReader(lines.get(0)), new ChainHead(WS, 3, "x", null));
        assertProblem(anchored, ChainReport.Kind.TRUNCATED, 1, -1);
    }

    @Test
    void exportCutBeforeItsHeadLineIsTruncatedAfterItsLastEntry() throws Exception {
        List<AuditEntry> entries = AuditScenarios.fill(log, clock, WS, 5);
        List<String> lines = exportLines();
        lines.remove(5);
        ChainReport r = verify(lines);
        assertProblem(r, ChainReport.Kind.TRUNCATED, 6, 6);
        assertThat(r.entriesVerified()).isEqualTo(5);
        assertThat(r.lastVerifiedSeq()).isEqualTo(5);
        assertThat(r.lastVerifiedMac()).isEqualTo(entries.get(4).mac());
    }

    @Test
    void headLineThatDoesNotMatchTheEntriesIsTruncated() throws Exception {
        List<AuditEntry> entries = AuditScenarios.fill(log, clock, WS, 5);
        List<String> lines = exportLines();
        String head = lines.get(5);
        assertThat(head).isEqualTo("{\"type\":\"head\",\"chain\":\"ws:ws_x\",\"seq\":5,\"mac\":\"" + entries.get(4).mac() + "\"}");
        List<String> variants = List.of(
                head.replace("\"seq\":5", "\"seq\":7"),                          // entries 6 and 7 were cut out
                head.replace(entries.get(4).mac(), entries.get(3).mac()),       // a head from another moment
                head.replace("\"chain\":\"ws:ws_x\"", "\"chain\":\"ws:other\"")); // the head of another chain
        for (String changed : variants) {
            lines.set(5, changed);
            ChainReport r = verify(lines);
            assertProblem(r, ChainReport.Kind.TRUNCATED, 6, 6);
            assertThat(r.entriesVerified()).isEqualTo(5);
        }
    }

    @Test
    void exportOlderThanAPublishedHeadIsTruncated() throws Exception {
        AuditScenarios.fill(log, clock, WS, 3);
        String older = AuditScenarios.export(log, WS);
        AuditScenarios.fill(log, clock, WS, 2);
        ChainReport r = log.verifier().verifyExport(new StringReader(older), log.head(WS).orElseThrow());
        assertProblem(r, ChainReport.Kind.TRUNCATED, 4, -1);
        assertThat(log.verifier().verifyExport(new StringReader(AuditScenarios.export(log, WS)), log.head(WS).orElseThrow()).intact())
                .isTrue();
    }

    @Test
    void textAfterTheHeadLineIsMalformedButBlankLinesAreNot() throws Exception {
        AuditScenarios.fill(log, clock, WS, 5);
        List<String> lines = exportLines();
        List<String> trailingBlank = new ArrayList<>(lines);
        trailingBlank.add("");
        trailingBlank.add("   ");
        assertThat(verify(trailingBlank).intact()).isTrue();
        List<String> appended = new ArrayList<>(lines);
        appended.add(lines.get(4));
        ChainReport r = verify(appended);
        assertProblem(r, ChainReport.Kind.MALFORMED, -1, 7);
        assertThat(r.entriesVerified()).isEqualTo(5);
        List<String> blankInside = new ArrayList<>(lines);
        blankInside.add(2, "");
        assertThat(verify(blankInside).intact()).isTrue();
    }

    @Test
    void checkpointLineIsAcceptedOnlyAsTheFirstLine() throws Exception {
        AuditScenarios.fill(log, clock, WS, 6);
        log.setRetention(WS, Retention.days(1));
        clock.advance(Duration.ofDays(1).minusMinutes(3)); // entries 1..3 are older than a day
        assertThat(log.prune(WS).removed()).isEqualTo(3);
        List<String> pruned = exportLines();
        assertThat(pruned.get(0)).startsWith("{\"type\":\"checkpoint\"");
        assertThat(verify(pruned).intact()).isTrue();

        List<String> twice = new ArrayList<>(pruned);
        twice.add(1, pruned.get(0));
        assertProblem(verify(twice), ChainReport.Kind.MALFORMED, -1, 2);

        List<String> later = new ArrayList<>(pruned);
        later.add(3, pruned.get(0));
        ChainReport r = verify(later);
        assertProblem(r, ChainReport.Kind.MALFORMED, -1, 4);
        assertThat(r.entriesVerified()).isEqualTo(2);
        assertThat(r.lastVerifiedSeq()).isEqualTo(5);
    }

    @Test
    void problemsInAPrunedExportAreLocatedByExportLine() throws Exception {
        AuditScenarios.fill(log, clock, WS, 6);
        log.setRetention(WS, Retention.days(1));
        clock.advance(Duration.ofDays(1).minusMinutes(3));
        log.prune(WS);
        List<String> lines = exportLines(); // checkpoint, entries 4, 5, 6, head
        lines.set(2, lines.get(2).replaceFirst("\"action\":\"[^\"]*\"", "\"action\":\"invoice.delete\""));
        assertProblem(verify(lines), ChainReport.Kind.EDITED, 5, 3);
    }

    @Test
    void unknownRecordTypeIsMalformedAtItsLine() throws Exception {
        AuditScenarios.fill(log, clock, WS, 4);
        List<String> lines = exportLines();
        lines.set(2, lines.get(2).replace("\"type\":\"entry\"", "\"type\":\"note\""));
        ChainReport r = verify(lines);
        assertProblem(r, ChainReport.Kind.MALFORMED, -1, 3);
        assertThat(r.entriesVerified()).isEqualTo(2);
        lines.set(0, "{\"type\":\"comment\"}");
        assertProblem(verify(lines), ChainReport.Kind.MALFORMED, -1, 1);
    }

    @Test
    void exportThatCannotBeReadIsReportedNotThrown() throws Exception {
        AuditScenarios.fill(log, clock, WS, 3);
        String text = AuditScenarios.export(log, WS);
        int secondLineEnd = text.indexOf('\n', text.indexOf('\n') + 1) + 1;
        Reader failing = new Reader() {
            private int pos;

            @Override
            public int read(char[] buf, int off, int len) throws IOException {
                if (pos >= secondLineEnd) throw new IOException("disk gone");
                int n = Math.min(len, secondLineEnd - pos);
                text.getChars(pos, pos + n, buf, off);
                pos += n;
                return n;
            }

            @Override
            public void close() {
            }
        };
        ChainReport r = log.verifier().verifyExport(failing, null);
        assertProblem(r, ChainReport.Kind.MALFORMED, -1, 3);
        assertThat(r.entriesVerified()).isEqualTo(2);
    }

    @Test
    void entryFieldsOfTheWrongTypeOrFormAreMalformedAtTheirLine() throws Exception {
        AuditScenarios.fill(log, clock, WS, 3);
        List<String> lines = exportLines();
        String second = lines.get(1);
        assertThat(second).contains("\"seq\":2,", "\"time\":\"2026-01-01T00:01:00Z\"", "\"key_id\":9,", "\"suspicious\":false",
                "\"details\":{\"n\":\"2\",\"note\":\"entry 2\"}", "\"outcome\":\"SUCCESS\"", "\"actor_type\":\"MEMBER\"",
                "\"actor_id\":\"m2\"", "\"chain\":\"ws:ws_x\"", "\"action\":\"invoice.create\"", "\"ip\":\"203.0.113.2\"");
        String[][] edits = {
                {"\"seq\":2,", "\"seq\":-2,"}, {"\"seq\":2,", "\"seq\":\"2\","}, {"\"seq\":2,", ""},
                {"\"key_id\":9,", "\"key_id\":2147483648,"}, {"\"key_id\":9,", "\"key_id\":-2147483649,"},
                {"\"key_id\":9,", "\"key_id\":\"9\","},
                {"00:01:00Z", "00:01:00.000Z"}, {"2026-01-01T00:01:00Z", "yesterday"}, {"2026-01-01T00:01:00Z", "2026-01-01T00:01:00+00:00"},
                {"\"suspicious\":false", "\"suspicious\":\"false\""}, {"\"suspicious\":false", "\"suspicious\":0"},
                {"{\"n\":\"2\",", "{\"n\":2,"}, {"\"details\":{\"n\":\"2\",\"note\":\"entry 2\"}", "\"details\":\"n=2\""},
                {"\"outcome\":\"SUCCESS\"", "\"outcome\":\"WON\""}, {"\"actor_type\":\"MEMBER\"", "\"actor_type\":\"ROBOT\""},
                {"\"actor_id\":\"m2\"", "\"actor_id\":\"m 2\""}, {"\"chain\":\"ws:ws_x\"", "\"chain\":\"ws:../x\""},
                {"\"action\":\"invoice.create\"", "\"action\":null"}, {"\"ip\":\"203.0.113.2\",", ""},
                {"\"ip\":\"203.0.113.2\"", "\"ip\":5"},
        };
        for (String[] e : edits) {
            List<String> changed = new ArrayList<>(lines);
            changed.set(1, second.replace(e[0], e[1]));
            assertThat(changed.get(1)).isNotEqualTo(second);
            ChainReport r = verify(changed);
            assertThat(r.entriesVerified()).as(e[1]).isEqualTo(1);
            ChainReport.Problem p = problem(r);
            assertThat(p.kind()).as(e[1] + ": " + p).isEqualTo(ChainReport.Kind.MALFORMED);
            assertThat(p.position()).as(e[1]).isEqualTo(2);
        }
    }

    @Test
    void wellFormedButChangedFieldsAreEditsNotFormErrors() throws Exception {
        AuditScenarios.fill(log, clock, WS, 3);
        List<String> lines = exportLines();
        String second = lines.get(1);
        String[][] edits = {
                {"\"ip\":\"203.0.113.2\"", "\"ip\":null"}, {"\"key_id\":9,", "\"key_id\":2147483647,"},
                {"\"key_id\":9,", "\"key_id\":-2147483648,"}, {"\"suspicious\":false", "\"suspicious\":true"},
                {"\"time\":\"2026-01-01T00:01:00Z\"", "\"time\":\"2026-01-01T00:01:00.001Z\""},
        };
        for (String[] e : edits) {
            List<String> changed = new ArrayList<>(lines);
            changed.set(1, second.replace(e[0], e[1]));
            assertThat(changed.get(1)).isNotEqualTo(second);
            assertProblem(verify(changed), ChainReport.Kind.EDITED, 2, 2);
        }
    }

    @Test
    void firstLineProblemsAreReportedAtLineOne() throws Exception {
        AuditScenarios.fill(log, clock, WS, 2);
        List<String> lines = exportLines();
        lines.set(0, "{\"type\":\"entry\"");
        assertProblem(verify(lines), ChainReport.Kind.MALFORMED, -1, 1);
        lines.set(0, "not json at all");
        assertProblem(verify(lines), ChainReport.Kind.MALFORMED, -1, 1);
    }

    @Test
    void messagesAboutHostileValuesAreShortAndSingleLine() throws Exception {
        AuditScenarios.fill(log, clock, WS, 2);
        List<String> lines = exportLines();
        String hostile = "\\nFAKE LOG LINE\\r\\u001b[31m" + "x".repeat(500);
        lines.set(1, lines.get(1).replace("\"outcome\":\"SUCCESS\"", "\"outcome\":\"" + hostile + "\""));
        ChainReport.Problem p = problem(verify(lines));
        assertThat(p.kind()).isEqualTo(ChainReport.Kind.MALFORMED);
        assertThat(p.message()).doesNotContain("\n", "\r", "\u001b").hasSizeLessThan(120).contains("Outcome");
    }
}
