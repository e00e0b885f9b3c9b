package dev.bulwark.auth.apikey;

/** A key that matched, is live and has the required scope; only {@link ApiKeys} creates it. */
public final class VerifiedApiKey {
    private final ApiKeyInfo info;

    VerifiedApiKey(ApiKeyInfo info) {
        this.info = info;
    }

    public String keyId() {
        return info.keyId();
    }

    public String ownerId() {
        return info.ownerId();
    }

    public ApiKeyScope scope() {
        return info.scope();
    }

    public ApiKeyInfo info() {
        return info;
    }

    @Override
    public String toString() {
        return "VerifiedApiKey[keyId=" + info.keyId() + ", ownerId=" + info.ownerId() + ", scope=" + info.scope() + "]";
    }
}
