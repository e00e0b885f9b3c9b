package dev.bulwark.crypto;

/**
 * What a keyset is for. Keys are never shared between purposes, so a leak or misuse of one purpose's key
 * (e.g. link signing) says nothing about another's (e.g. third-party credentials).
 */
public enum KeyPurpose {
    /** Shared sensitive fields (AES-256-GCM). */
    FIELDS("fields", KeyKind.AEAD),
    /** Deterministic encryption of exact-match columns (AES-SIV). */
    SEARCHABLE_FIELDS("searchable-fields", KeyKind.DETERMINISTIC_AEAD),
    /** Blind indexes (HMAC-SHA256; per-column keys are derived from it). */
    BLIND_INDEX("blind-index", KeyKind.MAC),
    /** Uploaded files (AES-256-GCM-HKDF streaming, 1 MB segments). */
    FILES("files", KeyKind.STREAMING_AEAD),
    /** Database and upload backups (streaming). */
    BACKUPS("backups", KeyKind.STREAMING_AEAD),
    /** Third-party OAuth tokens and API keys: a separate key, as promised to users. */
    CONNECTION_CREDENTIALS("connection-credentials", KeyKind.AEAD),
    /** Signing of short-lived links (HMAC-SHA256, usable as JWS HS256). */
    LINK_SIGNING("link-signing", KeyKind.MAC),
    /** The audit chain MAC (HMAC-SHA256). */
    AUDIT("audit", KeyKind.MAC),
    /**
     * Password peppers (HMAC-SHA256): the application derives one pepper per key and names the key in each password hash.
     * Hashes cannot be rewritten without their password, so they move to a new key only at their owner's next sign-in;
     * an old key may go once {@link KeyReferenceScan} finds no hash naming it.
     */
    PASSWORD_PEPPER("password-pepper", KeyKind.MAC),
    /** One per workspace: that workspace's fields. Destroying it crypto-shreds the workspace. */
    WORKSPACE_DATA("data", KeyKind.AEAD),
    /** One per workspace: that workspace's files. Destroyed together with {@link #WORKSPACE_DATA}. */
    WORKSPACE_FILES("files", KeyKind.STREAMING_AEAD);

    private final String label;
    private final KeyKind kind;

    KeyPurpose(String label, KeyKind kind) {
        this.label = label;
        this.kind = kind;
    }

    String label() {
        return label;
    }

    public KeyKind kind() {
        return kind;
    }

    public boolean perWorkspace() {
        return this == WORKSPACE_DATA || this == WORKSPACE_FILES;
    }

    /** The primitive a keyset of this purpose provides. */
    public enum KeyKind { AEAD, DETERMINISTIC_AEAD, MAC, STREAMING_AEAD }
}
