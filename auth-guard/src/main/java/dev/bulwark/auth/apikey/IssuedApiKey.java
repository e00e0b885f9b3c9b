package dev.bulwark.auth.apikey;

/** A newly issued key: {@link #key()} is shown to the user once and never again. toString prints a redaction. */
public final class IssuedApiKey {
    private final String key;
    private final ApiKeyInfo info;

    IssuedApiKey(String key, ApiKeyInfo info) {
        this.key = key;
        this.info = info;
    }

    public String key() {
        return key;
    }

    public ApiKeyInfo info() {
        return info;
    }

    @Override
    public String toString() {
        return "IssuedApiKey[keyId=" + info.keyId() + ", key=<redacted>]";
    }
}
