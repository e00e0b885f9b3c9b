package dev.bulwark.app.product;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Ids of product records: a type prefix and 128 random bits (base64url). Ids shown to customers (appointments,
 * invoices) are therefore never derived from names, times or a counter, and cannot be enumerated.
 */
public final class RandomIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SHAPE = Pattern.compile("[a-z]{2,4}_[A-Za-z0-9_-]{22}");

    private RandomIds() {}

    public static String next(String prefix) {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Whether {@code id} has the shape of an id minted here with {@code prefix} (cheap rejection of junk in URLs). */
    public static boolean looksLike(String prefix, String id) {
        return id != null && id.startsWith(prefix + "_") && SHAPE.matcher(id).matches();
    }
}
