package dev.bulwark.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/** One HMAC-SHA256 secret with an initialised Mac per thread. Never printed. */
final class HmacKey {
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    HmacKey(byte[] keyBytes) {
        this.key = new SecretKeySpec(keyBytes, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    Mac mac() {
        Mac mac = macs.get();
        mac.reset();
        return mac;
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "HmacKey[<redacted>]";
    }
}
