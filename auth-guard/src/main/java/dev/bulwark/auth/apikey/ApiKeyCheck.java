package dev.bulwark.auth.apikey;

import java.util.Optional;

/** The result of {@link ApiKeys#authenticate}: a verified key, or why the presented key was refused. */
public final class ApiKeyCheck {
    /**
     * Why a key was refused. Answer HTTP 401 for all but {@link #INSUFFICIENT_SCOPE} (403). A wrong secret for an
     * existing key id is reported as {@link #UNKNOWN}, so the answer does not confirm that the id exists.
     */
    public enum Reason { MALFORMED, UNKNOWN, REVOKED, EXPIRED, INSUFFICIENT_SCOPE }

    private final VerifiedApiKey key;
    private final Reason reason;

    private ApiKeyCheck(VerifiedApiKey key, Reason reason) {
        this.key = key;
        this.reason = reason;
    }

    static ApiKeyCheck ok(VerifiedApiKey k) {
        return new ApiKeyCheck(k, null);
    }

    static ApiKeyCheck refused(Reason r) {
        return new ApiKeyCheck(null, r);
    }

    public boolean valid() {
        return key != null;
    }

    public Optional<VerifiedApiKey> key() {
        return Optional.ofNullable(key);
    }

    public Optional<Reason> reason() {
        return Optional.ofNullable(reason);
    }

    @Override
    public String toString() {
        return valid() ? "ApiKeyCheck[valid " + key.keyId() + "]" : "ApiKeyCheck[" + reason + "]";
    }
}
