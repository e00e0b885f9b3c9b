package dev.bulwark.auth.login;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Signed device cookies (OWASP "device cookies" against lockout abuse): after a successful login the browser
 * receives {@code v1.<id>.<issuedAt>.<HMAC-SHA256>} bound to the account. While the account is locked by failures
 * from elsewhere, a request with a valid cookie for that account may still try its password; its failures are
 * counted against the cookie alone.
 */
final class DeviceCookies {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final int MAX_LENGTH = 200;

    private final byte[] key;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    DeviceCookies(byte[] key, Duration lifetime, Clock clock) {
        this.key = key.clone();
        this.lifetime = lifetime;
        this.clock = clock;
    }

    String issue(String account) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        String idText = B64.encodeToString(id);
        long issued = clock.instant().getEpochSecond();
        return "v1." + idText + "." + issued + "." + B64.encodeToString(mac(idText, issued, account));
    }

    /** The cookie's id if it is well-formed, signed for this account and not expired; never throws. */
    Optional<String> validId(String cookie, String account) {
        if (cookie == null || cookie.length() > MAX_LENGTH || !cookie.startsWith("v1.")) return Optional.empty();
        String[] p = cookie.split("\\.", -1);
        if (p.length != 4 || p[1].length() != 22 || p[2].isEmpty() || p[2].length() > 12 || p[3].length() != 43) return Optional.empty();
        long issued = 0;
        for (int i = 0; i < p[2].length(); i++) {
            char c = p[2].charAt(i);
            if (c < '0' || c > '9') return Optional.empty();
            issued = issued * 10 + (c - '0');
        }
        byte[] presented;
        try {
            presented = Base64.getUrlDecoder().decode(p[3]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(mac(p[1], issued, account), presented)) return Optional.empty();
        long now = clock.instant().getEpochSecond();
        if (issued > now + 300 || now - issued > lifetime.getSeconds()) return Optional.empty();
        return Optional.of(p[1]);
    }

    private byte[] mac(String id, long issued, String account) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m.doFinal(("bulwark-device-cookie|v1|" + id + "|" + issued + "|" + account).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "DeviceCookies[key=<redacted>]";
    }
}
