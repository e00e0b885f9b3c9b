package dev.bulwark.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A secret value (password, API token, raw key from outside) that never shows itself by accident:
 * {@link #toString()} prints a redaction, {@link #equals} is identity (use {@link #matches}, which is
 * constant-time), and {@link #destroy()} overwrites the bytes.
 */
public final class Secret implements AutoCloseable {
    private final byte[] value;
    private volatile boolean destroyed;

    private Secret(byte[] value) {
        this.value = value;
    }

    /** Copies {@code bytes}; the caller may wipe its array afterwards. */
    public static Secret of(byte[] bytes) {
        if (bytes == null) throw new IllegalArgumentException("secret bytes must not be null");
        return new Secret(bytes.clone());
    }

    public static Secret ofUtf8(CharSequence text) {
        if (text == null) throw new IllegalArgumentException("secret text must not be null");
        return new Secret(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Copies and encodes {@code chars} as UTF-8; the caller may wipe its array afterwards. */
    public static Secret ofChars(char[] chars) {
        if (chars == null) throw new IllegalArgumentException("secret chars must not be null");
        var buf = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(chars));
        byte[] out = new byte[buf.remaining()];
        buf.get(out);
        if (buf.hasArray()) Arrays.fill(buf.array(), (byte) 0);
        return new Secret(out);
    }

    /** A copy of the secret bytes. Wipe it when done. */
    public byte[] bytes() {
        checkAlive();
        return value.clone();
    }

    /** The secret as UTF-8 text. Strings cannot be wiped; prefer {@link #bytes()} where the API allows. */
    public String utf8() {
        checkAlive();
        return new String(value, StandardCharsets.UTF_8);
    }

    public int length() {
        checkAlive();
        return value.length;
    }

    /** Constant-time equality with another secret. */
    public boolean matches(Secret other) {
        checkAlive();
        return other != null && ConstantTime.equalsHidingLength(value, other.value);
    }

    /** Constant-time equality with raw bytes. */
    public boolean matches(byte[] other) {
        checkAlive();
        return other != null && ConstantTime.equalsHidingLength(value, other);
    }

    /** Overwrites the secret with zeros; every later use throws {@link IllegalStateException}. */
    public void destroy() {
        Arrays.fill(value, (byte) 0);
        destroyed = true;
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public void close() {
        destroy();
    }

    private void checkAlive() {
        if (destroyed) throw new IllegalStateException("secret was destroyed");
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
