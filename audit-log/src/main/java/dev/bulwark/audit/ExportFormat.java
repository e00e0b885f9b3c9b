package dev.bulwark.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON Lines export: optional {@code {"type":"checkpoint",...}} first, then one {@code {"type":"entry",...}} per entry
 * in chain order, then a closing {@code {"type":"head",...}} naming the last seq and MAC.
 */
final class ExportFormat {
    private ExportFormat() {}

    static String entry(AuditEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "entry");
        m.put("chain", e.chain().value());
        m.put("seq", e.seq());
        m.put("time", e.time().toString());
        m.put("actor_type", e.actor().type().name());
        m.put("actor_id", e.actor().id());
        m.put("action", e.action());
        m.put("target_type", e.targetType());
        m.put("target_id", e.targetId());
        m.put("outcome", e.outcome().name());
        m.put("ip", e.ip());
        m.put("user_agent", e.userAgent());
        m.put("suspicious", e.suspicious());
        m.put("details", e.details().asMap());
        m.put("key_id", e.keyId());
        m.put("prev_mac", e.prevMac());
        m.put("mac", e.mac());
        return Json.object(m);
    }

    static String checkpoint(Checkpoint c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "checkpoint");
        m.put("chain", c.chain().value());
        m.put("through_seq", c.throughSeq());
        m.put("last_mac", c.lastMac());
        m.put("pruned_at", c.prunedAt().toString());
        m.put("key_id", c.keyId());
        m.put("mac", c.mac());
        return Json.object(m);
    }

    static String head(ChainId chain, long seq, String mac) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "head");
        m.put("chain", chain.value());
        m.put("seq", seq);
        m.put("mac", mac);
        return Json.object(m);
    }

    static AuditEntry parseEntry(Map<String, Object> m) throws Json.Malformed {
        ChainId chain = chain(m);
        Actor actor;
        Actor.Type type = enumValue(Actor.Type.class, str(m, "actor_type", false));
        try {
            actor = new Actor(type, str(m, "actor_id", false));
        } catch (AuditException e) {
            throw new Json.Malformed("bad actor_id");
        }
        Map<String, String> details = new LinkedHashMap<>();
        Object d = m.get("details");
        if (!(d instanceof Map<?, ?> dm)) throw new Json.Malformed("details must be an object");
        for (Map.Entry<?, ?> e : dm.entrySet()) {
            if (!(e.getValue() instanceof String s)) throw new Json.Malformed("detail values must be strings");
            details.put((String) e.getKey(), s);
        }
        return new AuditEntry(chain, num(m, "seq"), instant(m, "time"), actor, str(m, "action", false),
                str(m, "target_type", true), str(m, "target_id", true), enumValue(Outcome.class, str(m, "outcome", false)),
                str(m, "ip", true), str(m, "user_agent", true), Details.stored(details), bool(m, "suspicious"),
                (int) intNum(m, "key_id"), str(m, "prev_mac", false), str(m, "mac", false));
    }

    static Checkpoint parseCheckpoint(Map<String, Object> m) throws Json.Malformed {
        return new Checkpoint(chain(m), num(m, "through_seq"), str(m, "last_mac", false), instant(m, "pruned_at"),
                (int) intNum(m, "key_id"), str(m, "mac", false));
    }

    static ChainHead parseHead(Map<String, Object> m) throws Json.Malformed {
        return new ChainHead(chain(m), num(m, "seq"), str(m, "mac", false), null);
    }

    static String type(Map<String, Object> m) throws Json.Malformed {
        return str(m, "type", false);
    }

    private static ChainId chain(Map<String, Object> m) throws Json.Malformed {
        ChainId c = ChainId.parse(str(m, "chain", false));
        if (c == null) throw new Json.Malformed("bad chain id");
        return c;
    }

    private static String str(Map<String, Object> m, String key, boolean nullable) throws Json.Malformed {
        Object v = m.get(key);
        if (v == null) {
            if (nullable && m.containsKey(key)) return null;
            throw new Json.Malformed("missing field " + key);
        }
        if (!(v instanceof String s)) throw new Json.Malformed("field " + key + " must be a string");
        return s;
    }

    private static long num(Map<String, Object> m, String key) throws Json.Malformed {
        if (!(m.get(key) instanceof Long l)) throw new Json.Malformed("field " + key + " must be an integer");
        if (l < 0) throw new Json.Malformed("field " + key + " must not be negative");
        return l;
    }

    private static long intNum(Map<String, Object> m, String key) throws Json.Malformed {
        if (!(m.get(key) instanceof Long l) || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw new Json.Malformed("field " + key + " must be a 32-bit integer");
        }
        return l;
    }

    private static boolean bool(Map<String, Object> m, String key) throws Json.Malformed {
        if (!(m.get(key) instanceof Boolean b)) throw new Json.Malformed("field " + key + " must be true or false");
        return b;
    }

    /** Only the exact form the exporter writes ({@link Instant#toString()}): one text per instant, nothing lenient. */
    private static Instant instant(Map<String, Object> m, String key) throws Json.Malformed {
        String text = str(m, key, false);
        Instant t;
        try {
            t = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new Json.Malformed("field " + key + " must be an ISO-8601 instant");
        }
        if (!t.toString().equals(text)) {
            throw new Json.Malformed("field " + key + " is not in canonical form (expected " + t + ")");
        }
        return t;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String name) throws Json.Malformed {
        for (E e : type.getEnumConstants()) if (e.name().equals(name)) return e;
        throw new Json.Malformed("unknown " + type.getSimpleName() + " " + Json.printable(name));
    }
}
