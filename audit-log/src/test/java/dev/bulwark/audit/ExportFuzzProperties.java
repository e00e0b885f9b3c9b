package dev.bulwark.audit;

import dev.bulwark.testkit.MutableClock;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.StringReader;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The export reader is a parser of untrusted files: it must answer every input with a report, never an exception. */
class ExportFuzzProperties {
    private static final AuditLog LOG;
    private static final String VALID;

    static {
        MutableClock clock = new MutableClock(AuditScenarios.START);
        LOG = AuditScenarios.log(new InMemoryAuditStore(), AuditScenarios.randomKey(3), clock);
        AuditScenarios.fill(LOG, clock, ChainId.workspace("fz"), 4);
        try {
            VALID = AuditScenarios.export(LOG, ChainId.workspace("fz"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Property(tries = 10_000)
    void arbitraryTextIsReportedNeverThrown(@ForAll("jsonish") String text) {
        ChainReport r = LOG.verifier().verifyExport(new StringReader(text), null);
        assertThat(r).isNotNull();
        assertThat(r.intact()).isFalse(); // no random text is a valid non-empty chain export without a key
    }

    @Property(tries = 10_000)
    void mutatedExportsAreReportedNeverThrown(@ForAll("mutations") List<int[]> edits) {
        StringBuilder sb = new StringBuilder(VALID);
        for (int[] e : edits) {
            int pos = Math.floorMod(e[0], sb.length() + 1);
            switch (Math.floorMod(e[1], 3)) {
                case 0 -> { if (pos < sb.length()) sb.deleteCharAt(pos); }
                case 1 -> sb.insert(pos, (char) e[2]);
                default -> { if (pos < sb.length()) sb.setCharAt(pos, (char) e[2]); }
            }
        }
        ChainReport r = LOG.verifier().verifyExport(new StringReader(sb.toString()), null);
        assertThat(r).isNotNull();
        if (r.intact()) {
            // Only edits that change no value may still verify: whitespace between tokens, or an escape such as "\/"
            // that reads back as the same character. Every line must read back to exactly the original's values.
            assertThat(values(sb.toString())).isEqualTo(values(VALID));
        }
    }

    /** Each non-blank line of an export as the field values it reads back to. */
    static List<java.util.Map<String, Object>> values(String export) {
        List<java.util.Map<String, Object>> out = new java.util.ArrayList<>();
        for (String line : export.split("\n", -1)) {
            if (line.isBlank()) continue;
            try {
                out.add(Json.parseObject(line));
            } catch (Json.Malformed e) {
                throw new AssertionError("an export that verified holds an unreadable line: " + line, e);
            }
        }
        return out;
    }

    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> tokens = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"", "\\", "\\u12", "\"type\"", "\"entry\"",
                "\"head\"", "\"checkpoint\"", "\"seq\"", "1", "-", "99999999999999999999", "1.5", "null", "true", "\n", " ",
                "\"chain\":\"ws:fz\"", "\"details\"", "{\"type\":\"entry\"", "\u0000", "é");
        return Arbitraries.oneOf(tokens.list().ofMaxSize(40).map(l -> String.join("", l)), Arbitraries.strings().ofMaxLength(200));
    }

    @Provide
    Arbitrary<List<int[]>> mutations() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.integers(), Arbitraries.chars().range(' ', '~'))
                .as((a, b, c) -> new int[] {a, b, c}).list().ofMinSize(1).ofMaxSize(4);
    }
}
