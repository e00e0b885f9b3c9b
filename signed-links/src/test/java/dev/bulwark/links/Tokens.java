package dev.bulwark.links;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Helpers that take tokens apart and forge variants, for tests. */
final class Tokens {
    private Tokens() {}

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String part(String token, int i) {
        return token.split("\\.", -1)[i];
    }

    static String json(String token, int i) {
        return new String(Base64.getUrlDecoder().decode(part(token, i)), StandardCharsets.UTF_8);
    }

    static byte[] hmac(String alg, byte[] key, String input) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance(alg);
            mac.init(new javax.crypto.spec.SecretKeySpec(key, alg));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
