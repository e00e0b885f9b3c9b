package dev.bulwark.crypto;

import java.util.Base64;

/** The stored text form: a version prefix then unpadded base64url of Tink's output (which starts with the key id). */
final class TextCodec {
    private TextCodec() {}

    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();
    /** Tink's output prefix: one version byte (0x01) and a 4-byte big-endian key id. */
    static final int TINK_PREFIX = 5;

    static String encode(String prefix, byte[] tinkOutput) {
        int p = prefix.length();
        byte[] out = new byte[p + (tinkOutput.length * 4 + 2) / 3];
        for (int i = 0; i < p; i++) out[i] = (byte) prefix.charAt(i);
        byte[] body = ENC.encode(tinkOutput);
        System.arraycopy(body, 0, out, p, body.length);
        return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * Decodes strictly: the prefix must match, only the base64url alphabet without padding, and the unused low bits of
     * the last character must be zero, so every distinct text decodes to distinct bytes (no malleable encodings).
     */
    static byte[] decode(String prefix, String text, String what) throws DecryptionException {
        if (text == null || !text.startsWith(prefix)) {
            throw new DecryptionException(DecryptionException.Reason.MALFORMED,
                    "not a " + what + ": expected the prefix '" + prefix + "'");
        }
        int start = prefix.length();
        int n = text.length() - start;
        if (n % 4 == 1 || n < 8) {
            throw new DecryptionException(DecryptionException.Reason.MALFORMED, what + " is too short or has an impossible base64 length");
        }
        // the JDK decoder rejects characters outside the alphabet; padding and non-zero unused bits we reject here
        int last = value(text.charAt(text.length() - 1));
        int unusedBits = (n * 6) % 8;
        if (last < 0 || (unusedBits > 0 && (last & ((1 << unusedBits) - 1)) != 0)) {
            throw new DecryptionException(DecryptionException.Reason.MALFORMED, what + " is not canonical unpadded base64url");
        }
        byte[] out;
        try {
            out = DEC.decode(text.substring(start));
        } catch (IllegalArgumentException e) {
            throw new DecryptionException(DecryptionException.Reason.MALFORMED, what + " contains a character outside base64url");
        }
        if (out.length <= TINK_PREFIX || out[0] != 0x01) {
            throw new DecryptionException(DecryptionException.Reason.MALFORMED, what + " is too short or has an unknown key prefix");
        }
        return out;
    }

    static int keyId(byte[] tinkOutput) {
        return ((tinkOutput[1] & 0xff) << 24) | ((tinkOutput[2] & 0xff) << 16) | ((tinkOutput[3] & 0xff) << 8) | (tinkOutput[4] & 0xff);
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '-') return 62;
        if (c == '_') return 63;
        return -1;
    }

    /** Turns a Tink failure into our reason, looking at the key id where that is knowable. */
    static DecryptionException classify(LoadedKeyset k, byte[] tinkOutput, String what) {
        int keyId = keyId(tinkOutput);
        com.google.crypto.tink.KeyStatus st = k.statuses.get(keyId);
        if (st == null) {
            return new DecryptionException(DecryptionException.Reason.UNKNOWN_KEY,
                    what + " was not encrypted under keyset " + k.name.id() + " (another keyset, or a destroyed key)");
        }
        if (st != com.google.crypto.tink.KeyStatus.ENABLED) {
            return new DecryptionException(DecryptionException.Reason.KEY_DISABLED,
                    what + " is under key " + Integer.toUnsignedString(keyId) + " of " + k.name.id() + ", which is disabled");
        }
        return new DecryptionException(DecryptionException.Reason.AUTHENTICATION_FAILED,
                what + " failed authentication: it was altered, or it belongs to another workspace/table/column/row");
    }
}
