package dev.bulwark.audit;

/**
 * The key that MACs the chain. audit-log has no crypto dependency: back this with core-crypto's audit keyset
 * ({@code keyring.macKeys(KeyPurpose.AUDIT)}, whose methods have exactly these shapes), or with
 * {@link HmacAuditKey} for tools and tests. Key ids are stored in every entry, so keys can rotate.
 *
 * <pre>{@code
 * MacKeys keys = keyring.macKeys(KeyPurpose.AUDIT);
 * AuditMacKey auditKey = new AuditMacKey() {
 *     public int currentKeyId() { return keys.primaryKeyId(); }
 *     public byte[] tag(int keyId, byte[] data) { return keys.tag(keyId, data); }
 *     public boolean verify(int keyId, byte[] data, byte[] tag) { return keys.verify(keyId, data, tag); }
 * };
 * }</pre>
 */
public interface AuditMacKey {
    /** The key to seal new entries with. */
    int currentKeyId();

    /** HMAC-SHA256 (or another 32-byte MAC) of {@code data} under key {@code keyId}. */
    byte[] tag(int keyId, byte[] data);

    /** Constant-time check; {@code false} for unknown or retired keys. */
    boolean verify(int keyId, byte[] data, byte[] tag);
}
