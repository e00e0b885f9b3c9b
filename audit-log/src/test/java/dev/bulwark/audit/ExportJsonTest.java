package dev.bulwark.audit;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JSON of export lines: whatever a field holds, the writer produces one line that reads back to the same value;
 * the reader accepts only that strict subset (one object, integers, limited nesting, no duplicate fields).
 */
class ExportJsonTest {

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(60),
                Arbitraries.strings().withChars("\"\\/\n\r\t\b\f\u0000\u001f\u007f\u2028\u2029é€😀 ax").ofMaxLength(30));
    }

    @Property(tries = 200)
    void anyFieldValueIsWrittenOnOneLineAndReadBackUnchanged(@ForAll("anyText") String key, @ForAll("anyText") String text,
                                                              @ForAll long number, @ForAll boolean flag) throws Exception {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("k" + key, text);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, text);
        m.put(key + "#n", number);
        m.put(key + "#b", flag);
        m.put(key + "#null", null);
        m.put(key + "#map", nested);
        String line = Json.object(m);
        assertThat(line).doesNotContain("\n", "\r", "\u2028", "\u2029");
        assertThat(line.chars().filter(c -> c < 0x20)).isEmpty();
        assertThat(Json.parseObject(line)).isEqualTo(m);
    }

    @Test
    void writerEscapesExactlyWhatJsonRequires() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "q\" b\\ n\n r\r t\t nul\u0000 us\u001f ls\u2028 ps\u2029 del\u007f / é");
        assertThat(Json.object(m)).isEqualTo(
                "{\"s\":\"q\\\" b\\\\ n\\n r\\r t\\t nul\\u0000 us\\u001f ls\\u2028 ps\\u2029 del\u007f / é\"}");
        m.clear();
        m.put("n", 42L);
        m.put("i", 7);
        m.put("t", true);
        m.put("f", false);
        m.put("z", null);
        assertThat(Json.object(m)).isEqualTo("{\"n\":42,\"i\":7,\"t\":true,\"f\":false,\"z\":null}");
        assertThat(Json.object(Map.of())).isEqualTo("{}");
    }

    @Test
    @SuppressWarnings("unchecked")
    void readerAcceptsEveryJsonEscapeAndWhitespace() throws Exception {
        Map<String, Object> m = Json.parseObject(" \t\r\n{ \"a\" : \"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\uD83D\\uDE00\" ,\n"
                + "\"l\":[ 1 , -2 , \"x\" , null , true , false , { } , [ ] ] , \"o\" : { \"p\" : 0 } , \"e\" : [] } \n");
        assertThat(m.get("a")).isEqualTo("\"\\/\b\f\n\r\tAé😀");
        assertThat((List<Object>) m.get("l")).containsExactly(1L, -2L, "x", null, true, false, Map.of(), List.of());
        assertThat(m.get("o")).isEqualTo(Map.of("p", 0L));
        assertThat(m.get("e")).isEqualTo(List.of());
        assertThat(Json.parseObject("{\"min\":-9223372036854775808,\"max\":9223372036854775807}"))
                .isEqualTo(Map.of("min", Long.MIN_VALUE, "max", Long.MAX_VALUE));
    }

    @Test
    void readerRefusesEverythingOutsideTheSubset() {
        String[] refused = {
                "", "   ", "[1]", "\"text\"", "42", "null", "{", "}", "{}{}", "{} x", "{\"a\":1,\"a\":2}",
                "{\"a\":1.5}", "{\"a\":1e3}", "{\"a\":1E3}", "{\"a\":-}", "{\"a\":--1}", "{\"a\":9223372036854775808}",
                "{\"a\":123456789012345678901}", "{\"a\":00000000000000000000001}", "{\"a\":1\u0661}", "{\"a\":\u0661}", "{\"a\":+1}",
                "{\"a\":04}", "{\"a\":-04}", "{\"a\":00}", "{\"a\":-0}", "{\"a\":[01]}",
                "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":\"\t\"}", "{\"a\":\"\u0001\"}",
                "{\"a\":\"open}", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":fals}", "{,}",
                "{\"a\":1,}", "{a:1}", "{\"a\":[1 2]}", "{\"a\":[1,]}", "{\"a\":[", "{\"a\":}", "{\"a\"", "{\"a\":\"x\\",
                "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{}}}}}}", "{\"a\":[[[[[]]]]]}",
        };
        for (String text : refused) {
            assertThatThrownBy(() -> Json.parseObject(text)).as(text).isInstanceOf(Json.Malformed.class);
        }
        assertThatThrownBy(() -> Json.parseObject(null)).isInstanceOf(Json.Malformed.class);
        assertThatThrownBy(() -> Json.parseObject("{\"seq\":04}")).hasMessageContaining("leading zero");
    }

    @Test
    void zeroAndNegativeNumbersWithoutLeadingZerosAreRead() throws Exception {
        assertThat(Json.parseObject("{\"a\":0,\"b\":-1,\"c\":10,\"d\":-10,\"e\":-9223372036854775808}"))
                .containsEntry("a", 0L).containsEntry("b", -1L).containsEntry("c", 10L).containsEntry("d", -10L).containsEntry("e", Long.MIN_VALUE);
    }

    @Test
    void nestingUpToTheLimitIsAccepted() throws Exception {
        assertThat(Json.parseObject("{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}")).containsKey("a");
        assertThat(Json.parseObject("{\"a\":[[[[]]]]}")).containsKey("a");
    }

    @Test
    void linesUpToTheLengthLimitAreReadAndLongerOnesRefused() throws Exception {
        String shell = "{\"a\":\"\"}";
        String atLimit = "{\"a\":\"" + "x".repeat(Json.MAX_LENGTH - shell.length()) + "\"}";
        assertThat(atLimit).hasSize(Json.MAX_LENGTH);
        assertThat(Json.parseObject(atLimit)).containsKey("a");
        String over = "{\"a\":\"" + "x".repeat(Json.MAX_LENGTH - shell.length() + 1) + "\"}";
        assertThatThrownBy(() -> Json.parseObject(over)).isInstanceOf(Json.Malformed.class);
    }

    @Test
    void duplicateFieldsAreRefusedSoNoTwoReadersCanDisagree() {
        assertThatThrownBy(() -> Json.parseObject("{\"mac\":\"a\",\"seq\":1,\"mac\":\"b\"}"))
                .isInstanceOf(Json.Malformed.class).hasMessageContaining("mac");
        assertThatThrownBy(() -> Json.parseObject("{\"d\":{\"x\":\"1\",\"x\":\"2\"}}")).isInstanceOf(Json.Malformed.class);
    }

    @Test
    void printableCutsAndNeutralisesHostileText() {
        assertThat(Json.printable("ok")).isEqualTo("ok");
        assertThat(Json.printable("x".repeat(40))).isEqualTo("x".repeat(40));
        assertThat(Json.printable("x".repeat(41))).isEqualTo("x".repeat(40) + "...");
        assertThat(Json.printable("a\nb\u001b\u007fc")).isEqualTo("a?b??c");
    }
}
