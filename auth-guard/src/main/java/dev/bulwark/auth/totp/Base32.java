package dev.bulwark.auth.totp;

import java.util.Optional;

/** RFC 4648 Base32 (upper-case alphabet, no padding on output; input may be lower-case, padded, spaced). */
final class Base32 {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private Base32() {}

    static String encode(byte[] data) {
        StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) sb.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        return sb.toString();
    }

    /** Decodes, or empty for any character outside the alphabet or non-zero trailing bits. Never throws. */
    static Optional<byte[]> decode(String text) {
        if (text == null) return Optional.empty();
        StringBuilder clean = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '-') continue;
            if (c == '=') {
                for (int j = i; j < text.length(); j++) if (text.charAt(j) != '=') return Optional.empty();
                break;
            }
            clean.append(Character.toUpperCase(c));
        }
        int n = clean.length();
        if (n == 0 || n % 8 == 1 || n % 8 == 3 || n % 8 == 6) return Optional.empty();
        byte[] out = new byte[n * 5 / 8];
        int buffer = 0, bits = 0, pos = 0;
        for (int i = 0; i < n; i++) {
            int v = ALPHABET.indexOf(clean.charAt(i));
            if (v < 0) return Optional.empty();
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[pos++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        if ((buffer & ((1 << bits) - 1)) != 0) return Optional.empty();
        return Optional.of(out);
    }
}
