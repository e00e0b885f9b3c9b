package dev.bulwark.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The exact bytes a MAC covers. Every field is length-prefixed (null has its own marker), so no two different
 * entries encode alike; the chain id and seq are included, so an entry moved to another position or chain fails.
 */
final class Canonical {
    private Canonical() {}

    static final String GENESIS_MAC = b64(new byte[32]);

    static byte[] entry(ChainId chain, long seq, long timeMillis, Actor actor, String action, String targetType,
                        String targetId, Outcome outcome, String ip, String userAgent, Details details, boolean suspicious,
                        int keyId, String prevMac) {
        Out o = new Out();
        o.str("bulwark.audit.entry.v1").str(chain.value()).num(seq).num(timeMillis).str(actor.type().name()).str(actor.id())
                .str(action).str(targetType).str(targetId).str(outcome.name()).str(ip).str(userAgent)
                .num(suspicious ? 1 : 0).num(details.asMap().size());
        for (Map.Entry<String, String> e : details.asMap().entrySet()) o.str(e.getKey()).str(e.getValue());
        return o.num(keyId).str(prevMac).bytes();
    }

    static byte[] entry(AuditEntry e) {
        return entry(e.chain(), e.seq(), e.time().toEpochMilli(), e.actor(), e.action(), e.targetType(), e.targetId(),
                e.outcome(), e.ip(), e.userAgent(), e.details(), e.suspicious(), e.keyId(), e.prevMac());
    }

    static byte[] checkpoint(ChainId chain, long throughSeq, String lastMac, long prunedAtMillis, int keyId) {
        return new Out().str("bulwark.audit.checkpoint.v1").str(chain.value()).num(throughSeq).str(lastMac)
                .num(prunedAtMillis).num(keyId).bytes();
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Decodes base64url; {@code null} if malformed. */
    static byte[] unb64(String s) {
        if (s == null) return null;
        try {
            return Base64.getUrlDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static final class Out {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream(256);

        Out str(String s) {
            if (s == null) return int32(-1);
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            int32(b.length);
            buf.write(b, 0, b.length);
            return this;
        }

        Out num(long v) {
            for (int i = 7; i >= 0; i--) buf.write((int) (v >>> (8 * i)));
            return this;
        }

        private Out int32(int v) {
            buf.write(v >>> 24);
            buf.write(v >>> 16);
            buf.write(v >>> 8);
            buf.write(v);
            return this;
        }

        byte[] bytes() {
            return buf.toByteArray();
        }
    }
}
