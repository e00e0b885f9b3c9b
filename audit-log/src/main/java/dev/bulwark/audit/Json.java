package dev.bulwark.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small JSON subset audit exports use (one object per line): a writer, and a strict parser that never throws an
 * unchecked exception on hostile text, only {@link Malformed}. Numbers are integers; nesting is limited.
 */
final class Json {
    private Json() {}

    static final int MAX_DEPTH = 4;
    static final int MAX_LENGTH = 256 * 1024;

    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    // ---------------------------------------------------------------- writing

    static void string(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    static String object(Map<String, ?> fields) {
        StringBuilder sb = new StringBuilder(256).append('{');
        boolean first = true;
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            string(sb, e.getKey());
            sb.append(':');
            value(sb, e.getValue());
        }
        return sb.append('}').toString();
    }

    private static void value(StringBuilder sb, Object v) {
        if (v == null) sb.append("null");
        else if (v instanceof String s) string(sb, s);
        else if (v instanceof Long || v instanceof Integer) sb.append(v);
        else if (v instanceof Boolean b) sb.append(b);
        else if (v instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked") Map<String, ?> mm = (Map<String, ?>) m;
            sb.append(object(mm));
        } else throw new IllegalArgumentException("unsupported JSON value type " + v.getClass().getSimpleName());
    }

    // ---------------------------------------------------------------- parsing

    /** Parses one JSON object. */
    static Map<String, Object> parseObject(String text) throws Malformed {
        if (text == null) throw new Malformed("no input");
        if (text.length() > MAX_LENGTH) throw new Malformed("line longer than " + MAX_LENGTH + " characters");
        Json.Parser p = new Json.Parser(text);
        p.ws();
        Object v = p.value(0);
        p.ws();
        if (p.pos != text.length()) throw new Malformed("unexpected text after the object at column " + (p.pos + 1));
        if (!(v instanceof Map)) throw new Malformed("expected a JSON object");
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) v;
        return m;
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        Object value(int depth) throws Malformed {
            if (depth > MAX_DEPTH) throw new Malformed("nested too deeply");
            if (pos >= s.length()) throw new Malformed("unexpected end of line");
            char c = s.charAt(pos);
            switch (c) {
                case '{' -> {
                    return object(depth);
                }
                case '[' -> {
                    return array(depth);
                }
                case '"' -> {
                    return string();
                }
                case 't' -> {
                    literal("true");
                    return Boolean.TRUE;
                }
                case 'f' -> {
                    literal("false");
                    return Boolean.FALSE;
                }
                case 'n' -> {
                    literal("null");
                    return null;
                }
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) return number();
                    throw new Malformed("unexpected character at column " + (pos + 1));
                }
            }
        }

        private Map<String, Object> object(int depth) throws Malformed {
            Map<String, Object> m = new LinkedHashMap<>();
            pos++;
            ws();
            if (peek() == '}') {
                pos++;
                return m;
            }
            while (true) {
                ws();
                if (peek() != '"') throw new Malformed("expected a field name at column " + (pos + 1));
                String key = string();
                ws();
                expect(':');
                ws();
                Object v = value(depth + 1);
                if (m.containsKey(key)) throw new Malformed("duplicate field \"" + printable(key) + "\"");
                m.put(key, v);
                ws();
                char c = next();
                if (c == '}') return m;
                if (c != ',') throw new Malformed("expected , or } at column " + pos);
            }
        }

        private List<Object> array(int depth) throws Malformed {
            List<Object> l = new ArrayList<>();
            pos++;
            ws();
            if (peek() == ']') {
                pos++;
                return l;
            }
            while (true) {
                ws();
                l.add(value(depth + 1));
                ws();
                char c = next();
                if (c == ']') return l;
                if (c != ',') throw new Malformed("expected , or ] at column " + pos);
            }
        }

        private String string() throws Malformed {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') return sb.toString();
                if (c < 0x20) throw new Malformed("control character inside a string at column " + pos);
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) throw new Malformed("truncated \\u escape");
                        int v = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(s.charAt(pos++), 16);
                            if (d < 0) throw new Malformed("bad \\u escape at column " + pos);
                            v = v * 16 + d;
                        }
                        sb.append((char) v);
                    }
                    default -> throw new Malformed("bad escape at column " + pos);
                }
            }
        }

        private Long number() throws Malformed {
            int start = pos;
            if (peek() == '-') pos++;
            while (pos < s.length() && Character.isDigit(s.charAt(pos)) && s.charAt(pos) < 128) pos++;
            String t = s.substring(start, pos);
            if (pos < s.length() && (s.charAt(pos) == '.' || s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                throw new Malformed("only integers are expected at column " + (start + 1));
            }
            if (t.isEmpty() || t.equals("-") || t.length() > 20) throw new Malformed("bad number at column " + (start + 1));
            // No leading zeros (RFC 8259), and no "-0" (valid JSON, but never written here): this format writes each
            // integer one way, so a line holding another spelling was edited, even though it reads as the same value.
            String digits = t.startsWith("-") ? t.substring(1) : t;
            if ((digits.length() > 1 && digits.charAt(0) == '0') || t.equals("-0")) {
                throw new Malformed("a number with a leading zero at column " + (start + 1));
            }
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw new Malformed("number out of range at column " + (start + 1));
            }
        }

        private void literal(String word) throws Malformed {
            if (!s.startsWith(word, pos)) throw new Malformed("unexpected text at column " + (pos + 1));
            pos += word.length();
        }

        void ws() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == '\r' || s.charAt(pos) == '\n')) pos++;
        }

        private char peek() throws Malformed {
            if (pos >= s.length()) throw new Malformed("unexpected end of line");
            return s.charAt(pos);
        }

        private char next() throws Malformed {
            char c = peek();
            pos++;
            return c;
        }

        private void expect(char c) throws Malformed {
            if (next() != c) throw new Malformed("expected " + c + " at column " + pos);
        }
    }

    static String printable(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
