package dev.bulwark.auth.password;

import dev.bulwark.auth.password.InvalidPasswordHashException.Reason;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A parsed stored password hash. The parser accepts exactly: PHC {@code $argon2id$v=19$m=..,t=..,p=..[,keyid=..]$salt$hash}
 * (the optional {@code keyid} names the {@link Pepper} the hash was made with);
 * bcrypt {@code $2a$/$2b$/$2y$}; PBKDF2-HMAC-SHA256 as PHC-style {@code $pbkdf2-sha256$i=N[,l=L]$salt$hash},
 * passlib {@code $pbkdf2-sha256$N$salt$hash} and Django {@code pbkdf2_sha256$N$salt$hash}. Anything else is an
 * {@link InvalidPasswordHashException}; no other exception escapes {@link #parse}.
 */
abstract sealed class StoredHash permits StoredHash.Argon2, StoredHash.Bcrypt, StoredHash.Pbkdf2 {

    static final int MAX_ENCODED_LENGTH = 1024;
    static final int BCRYPT_MAX_COST = 16;
    static final int PBKDF2_MAX_ITERATIONS = 10_000_000;

    static final class Argon2 extends StoredHash {
        final int memoryKiB, iterations, parallelism;
        final byte[] salt, hash;
        /** The pepper's id from the PHC keyid parameter, or null for a hash made without a pepper. */
        final String pepperId;

        Argon2(int m, int t, int p, byte[] salt, byte[] hash, String pepperId) {
            this.pepperId = pepperId;
            this.memoryKiB = m;
            this.iterations = t;
            this.parallelism = p;
            this.salt = salt;
            this.hash = hash;
        }
    }

    static final class Bcrypt extends StoredHash {
        final String encoded;
        final int cost;

        Bcrypt(String encoded, int cost) {
            this.encoded = encoded;
            this.cost = cost;
        }
    }

    static final class Pbkdf2 extends StoredHash {
        final int iterations;
        final byte[] salt, hash;

        Pbkdf2(int iterations, byte[] salt, byte[] hash) {
            this.iterations = iterations;
            this.salt = salt;
            this.hash = hash;
        }
    }

    static StoredHash parse(String encoded) throws InvalidPasswordHashException {
        if (encoded == null || encoded.isEmpty()) throw fail(Reason.UNKNOWN_FORMAT, "stored hash is empty");
        if (encoded.length() > MAX_ENCODED_LENGTH) throw fail(Reason.MALFORMED, "stored hash is longer than " + MAX_ENCODED_LENGTH + " characters");
        if (encoded.startsWith("$argon2")) return parseArgon2(encoded);
        if (encoded.startsWith("$2")) return parseBcrypt(encoded);
        if (encoded.startsWith("$pbkdf2-sha256$")) return parsePbkdf2Dollar(encoded);
        if (encoded.startsWith("pbkdf2_sha256$")) return parseDjango(encoded);
        throw fail(Reason.UNKNOWN_FORMAT, "stored hash is not Argon2id (PHC), bcrypt or PBKDF2-HMAC-SHA256");
    }

    private static Argon2 parseArgon2(String s) throws InvalidPasswordHashException {
        String[] f = s.split("\\$", -1);
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        if (!"argon2id".equals(f[1])) throw fail(Reason.UNSUPPORTED_VARIANT, "only argon2id is supported, not " + safe(f[1]));
        if (f.length != 6) throw fail(f.length == 5 ? Reason.UNSUPPORTED_VARIANT : Reason.MALFORMED,
                f.length == 5 ? "argon2id hash without a version field (v=16) is not supported" : "argon2id hash must have 6 '$'-separated fields");
        if (!f[2].startsWith("v=")) throw fail(Reason.MALFORMED, "argon2id version field must be v=19");
        int v = number(f[2].substring(2), "version");
        if (v != 19) throw fail(Reason.UNSUPPORTED_VARIANT, "only argon2id version 19 is supported");
        String[] params = f[3].split(",", -1);
        if (params.length < 3 || params.length > 4 || !params[0].startsWith("m=") || !params[1].startsWith("t=") || !params[2].startsWith("p="))
            throw fail(Reason.MALFORMED, "argon2id parameters must be m=<KiB>,t=<iterations>,p=<lanes>[,keyid=<id>]");
        String pepperId = null;
        if (params.length == 4) {
            if (!params[3].startsWith("keyid=")) throw fail(Reason.MALFORMED, "the only optional argon2id parameter accepted is keyid=<id>");
            byte[] id = b64(params[3].substring(6), "keyid", false);
            String text = new String(id, StandardCharsets.US_ASCII);
            if (id.length > 8 || !text.matches("[A-Za-z0-9_-]{1,8}")) throw fail(Reason.MALFORMED, "argon2id keyid must encode a pepper id of 1..8 characters");
            pepperId = text;
        }
        int m = number(params[0].substring(2), "memory");
        int t = number(params[1].substring(2), "iterations");
        int p = number(params[2].substring(2), "parallelism");
        byte[] salt = b64(f[4], "salt", false);
        byte[] hash = b64(f[5], "hash", false);
        if (p < 1 || p > Argon2idParameters.MAX_PARALLELISM || m < 8 * p || m > Argon2idParameters.MAX_MEMORY_KIB
                || t < 1 || t > Argon2idParameters.MAX_ITERATIONS)
            throw fail(Reason.PARAMETERS_OUT_OF_RANGE, "argon2id cost outside accepted range (m<=" + Argon2idParameters.MAX_MEMORY_KIB
                    + " KiB, t<=" + Argon2idParameters.MAX_ITERATIONS + ", p<=" + Argon2idParameters.MAX_PARALLELISM + ")");
        if (salt.length < Argon2idParameters.MIN_SALT || salt.length > Argon2idParameters.MAX_SALT
                || hash.length < Argon2idParameters.MIN_HASH || hash.length > Argon2idParameters.MAX_HASH)
            throw fail(Reason.PARAMETERS_OUT_OF_RANGE, "argon2id salt or tag length outside accepted range");
        return new Argon2(m, t, p, salt, hash, pepperId);
    }

    private static Bcrypt parseBcrypt(String s) throws InvalidPasswordHashException {
        // $2a$10$ + 22 chars salt + 31 chars hash = 60 characters
        if (s.length() != 60 || s.charAt(3) != '$' || s.charAt(6) != '$')
            throw fail(Reason.MALFORMED, "bcrypt hash must be 60 characters: $2b$<cost>$<53 characters>");
        char variant = s.charAt(2);
        if (variant != 'a' && variant != 'b' && variant != 'y')
            throw fail(Reason.UNSUPPORTED_VARIANT, "only bcrypt $2a$, $2b$ and $2y$ are supported");
        int cost = number(s.substring(4, 6), "bcrypt cost", true);
        for (int i = 7; i < 60; i++) {
            char c = s.charAt(i);
            if (!(c == '.' || c == '/' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
                throw fail(Reason.MALFORMED, "bcrypt salt/hash contains a character outside its alphabet");
        }
        if (cost < 4 || cost > BCRYPT_MAX_COST)
            throw fail(Reason.PARAMETERS_OUT_OF_RANGE, "bcrypt cost must be within 4.." + BCRYPT_MAX_COST);
        return new Bcrypt(s, cost);
    }

    private static Pbkdf2 parsePbkdf2Dollar(String s) throws InvalidPasswordHashException {
        String[] f = s.split("\\$", -1);
        if (f.length != 5) throw fail(Reason.MALFORMED, "pbkdf2-sha256 hash must have 5 '$'-separated fields");
        int iterations;
        byte[] salt, hash;
        if (f[2].startsWith("i=")) {
            String[] params = f[2].split(",", -1);
            iterations = number(params[0].substring(2), "iterations");
            int declaredLength = -1;
            if (params.length == 2 && params[1].startsWith("l=")) declaredLength = number(params[1].substring(2), "length");
            else if (params.length != 1) throw fail(Reason.MALFORMED, "pbkdf2-sha256 parameters must be i=<n>[,l=<bytes>]");
            salt = b64(f[3], "salt", false);
            hash = b64(f[4], "hash", false);
            if (declaredLength >= 0 && declaredLength != hash.length)
                throw fail(Reason.MALFORMED, "pbkdf2-sha256 declared length does not match the hash");
        } else {
            iterations = number(f[2], "iterations");
            salt = b64(f[3], "salt", true);
            hash = b64(f[4], "hash", true);
        }
        return checkPbkdf2(iterations, salt, hash);
    }

    private static Pbkdf2 parseDjango(String s) throws InvalidPasswordHashException {
        String[] f = s.split("\\$", -1);
        if (f.length != 4) throw fail(Reason.MALFORMED, "Django pbkdf2_sha256 hash must have 4 '$'-separated fields");
        int iterations = number(f[1], "iterations");
        if (f[2].isEmpty() || f[2].length() > 128) throw fail(Reason.MALFORMED, "Django salt must be 1..128 characters");
        for (int i = 0; i < f[2].length(); i++) {
            char c = f[2].charAt(i);
            if (c < 0x21 || c > 0x7e) throw fail(Reason.MALFORMED, "Django salt must be printable ASCII");
        }
        byte[] hash;
        try {
            hash = Base64.getDecoder().decode(f[3]);
        } catch (IllegalArgumentException e) {
            throw fail(Reason.MALFORMED, "Django hash is not valid Base64");
        }
        return checkPbkdf2(iterations, f[2].getBytes(StandardCharsets.US_ASCII), hash);
    }

    private static Pbkdf2 checkPbkdf2(int iterations, byte[] salt, byte[] hash) throws InvalidPasswordHashException {
        if (iterations < 1 || iterations > PBKDF2_MAX_ITERATIONS)
            throw fail(Reason.PARAMETERS_OUT_OF_RANGE, "pbkdf2-sha256 iterations must be within 1.." + PBKDF2_MAX_ITERATIONS);
        if (salt.length < 1 || salt.length > 128 || hash.length < 16 || hash.length > 64)
            throw fail(Reason.PARAMETERS_OUT_OF_RANGE, "pbkdf2-sha256 salt or hash length outside accepted range");
        return new Pbkdf2(iterations, salt, hash);
    }

    /** Unsigned decimal, no sign, no leading zero (unless allowLeadingZero), at most 9 digits. */
    private static int number(String s, String what) throws InvalidPasswordHashException {
        return number(s, what, false);
    }

    private static int number(String s, String what, boolean allowLeadingZero) throws InvalidPasswordHashException {
        if (s.isEmpty() || s.length() > 9) throw fail(Reason.MALFORMED, what + " must be a decimal number of 1..9 digits");
        if (!allowLeadingZero && s.length() > 1 && s.charAt(0) == '0') throw fail(Reason.MALFORMED, what + " must not have leading zeros");
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw fail(Reason.MALFORMED, what + " must be a decimal number");
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Standard Base64 without padding (PHC), or passlib's "adapted" alphabet with '.' instead of '+'. */
    private static byte[] b64(String s, String what, boolean adapted) throws InvalidPasswordHashException {
        if (s.isEmpty()) throw fail(Reason.MALFORMED, what + " is empty");
        StringBuilder normal = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/'
                    || (adapted ? c == '.' : c == '+');
            if (!ok) throw fail(Reason.MALFORMED, what + " is not unpadded Base64");
            normal.append(c == '.' ? '+' : c);
        }
        if (s.length() % 4 == 1) throw fail(Reason.MALFORMED, what + " has an impossible Base64 length");
        byte[] out;
        try {
            out = Base64.getDecoder().decode(normal.toString());
        } catch (IllegalArgumentException e) {
            throw fail(Reason.MALFORMED, what + " is not valid Base64");
        }
        // Canonical encoding only: unused trailing bits must be zero, so one hash has exactly one spelling.
        if (!Base64.getEncoder().withoutPadding().encodeToString(out).equals(normal.toString()))
            throw fail(Reason.MALFORMED, what + " is not canonical Base64");
        return out;
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String safe(String s) {
        return s.length() > 16 || !s.matches("[a-z0-9]*") ? "(unrecognised)" : s;
    }

    private static InvalidPasswordHashException fail(Reason reason, String message) {
        return new InvalidPasswordHashException(reason, message);
    }
}
