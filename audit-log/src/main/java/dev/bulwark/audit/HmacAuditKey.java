package dev.bulwark.audit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plain HMAC-SHA256 {@link AuditMacKey} from raw key bytes (at least 32), for the offline verification tool and
 * tests. Applications should prefer core-crypto's audit keyset, which is wrapped by the master key.
 */
public final class HmacAuditKey implements AuditMacKey {
    private final Map<Integer, byte[]> keys;
    private final int current;

    private HmacAuditKey(Map<Integer, byte[]> keys, int current) {
        this.keys = keys;
        this.current = current;
    }

    /** One key with id {@code keyId}. The bytes are copied. */
    public static HmacAuditKey of(int keyId, byte[] key) {
        return of(Map.of(keyId, key), keyId);
    }

    /** Several keys (rotation); {@code current} seals new entries, all verify. */
    public static HmacAuditKey of(Map<Integer, byte[]> keys, int current) {
        Map<Integer, byte[]> copy = new LinkedHashMap<>();
        keys.forEach((id, k) -> {
            if (k == null || k.length < 32) throw new IllegalArgumentException("audit MAC keys must be at least 32 bytes");
            copy.put(id, k.clone());
        });
        if (!copy.containsKey(current)) throw new IllegalArgumentException("current key id is not among the keys");
        return new HmacAuditKey(copy, current);
    }

    @Override
    public int currentKeyId() {
        return current;
    }

    @Override
    public byte[] tag(int keyId, byte[] data) {
        byte[] k = keys.get(keyId);
        if (k == null) throw new AuditException(AuditException.Reason.KEY_UNAVAILABLE, "no audit key with id " + Integer.toUnsignedString(keyId));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(k, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new AuditException(AuditException.Reason.KEY_UNAVAILABLE, "HMAC-SHA256 unavailable", e);
        }
    }

    @Override
    public boolean verify(int keyId, byte[] data, byte[] tag) {
        if (tag == null || data == null || !keys.containsKey(keyId)) return false;
        return MessageDigest.isEqual(tag(keyId, data), tag);
    }

    /** Overwrites the key bytes held here. */
    public void destroy() {
        keys.values().forEach(k -> Arrays.fill(k, (byte) 0));
    }

    @Override
    public String toString() {
        return "HmacAuditKey[" + keys.size() + " key(s), redacted]";
    }
}
