package dev.bulwark.auth.apikey;

/** What a key may do. READ_WRITE includes READ_ONLY. */
public enum ApiKeyScope {
    READ_ONLY, READ_WRITE;

    /** Whether a key with this scope may perform an action needing {@code required}. */
    public boolean permits(ApiKeyScope required) {
        return this == READ_WRITE || required == READ_ONLY;
    }
}
