package dev.bulwark.app.platform;

import dev.bulwark.auth.password.Pepper;
import dev.bulwark.auth.password.PepperSet;
import dev.bulwark.auth.password.PepperSource;
import dev.bulwark.crypto.MacKeys;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Password peppers (ASVS 4.0.3, 2.4.5) from core-crypto's password-pepper keyset, which is stored only wrapped by the
 * master key: a copy of the database alone cannot test a single password guess. The pepper of key {@code k} is
 * {@code HMAC-SHA256(key k, label)}, named in each hash's PHC {@code keyid} as {@code k} in 8 hex digits. New hashes
 * use the primary key; hashes under another enabled key still verify and move to the primary at the next sign-in, so
 * the keyset rotates like any other, and an old key may go only when no stored hash names it any more
 * ({@code KeyRotation}'s scan). No pepper byte ever leaves this class except into auth-guard's {@link Pepper}.
 */
public final class PasswordPeppers implements PepperSource {
    private static final byte[] LABEL = "bulwark.app.password-pepper.v1".getBytes(StandardCharsets.UTF_8);
    /** The keyid parameter of an Argon2id PHC string; its value is unpadded standard Base64 of the pepper id. */
    private static final Pattern KEYID = Pattern.compile("^\\$argon2id\\$v=19\\$[^$]*,keyid=([A-Za-z0-9+/]{1,12})\\$");
    private static final Pattern PEPPER_ID = Pattern.compile("[0-9a-f]{8}");
    /** SQL LIKE pattern of a stored hash that names some pepper (no LIKE wildcard inside the literal part). */
    public static final String SQL_LIKE_PEPPERED = "%,keyid=%";

    /** At most one keyset reload per interval, however many hashes name a key this node has not seen. */
    static final long RELOAD_INTERVAL_NANOS = 5_000_000_000L;

    private final MacKeys keys;
    private final Runnable reload;
    private final LongSupplier nanoClock;
    private final AtomicLong lastReload;
    private volatile Cached cached;

    private record Cached(List<Integer> ids, PepperSet set) {}

    /**
     * @param reload drops the keyring's cached copy of the pepper keyset (another node may have rotated it)
     */
    PasswordPeppers(MacKeys keys, Runnable reload, LongSupplier nanoClock) {
        this.keys = keys;
        this.reload = reload;
        this.nanoClock = nanoClock;
        this.lastReload = new AtomicLong(nanoClock.getAsLong() - RELOAD_INTERVAL_NANOS);
    }

    /**
     * A stored hash names a pepper key this node's cached keyset lacks, typically one a rotation on another node added
     * minutes ago: read the keyset again (at most once per {@link #RELOAD_INTERVAL_NANOS}) before the hasher refuses
     * the hash, so the user's right password is not counted as a wrong one.
     */
    @Override
    public PepperSet peppersIncluding(String pepperId) {
        long now = nanoClock.getAsLong();
        long last = lastReload.get();
        if (now - last >= RELOAD_INTERVAL_NANOS && lastReload.compareAndSet(last, now)) reload.run();
        return peppers();
    }

    /** The peppers of the enabled keys, primary first; derived again only when the keyset's keys change. */
    @Override
    public PepperSet peppers() {
        List<Integer> ids = keys.activeKeyIds();   // one read of the keyset, primary first
        Cached c = cached;
        if (c != null && c.ids.equals(ids)) return c.set;
        // Every pepper from one read too: a rotation or reload in between cannot leave the primary out of the set.
        java.util.LinkedHashMap<Integer, byte[]> tags = keys.tagUnderEachActiveKey(LABEL);
        List<Pepper> previous = new ArrayList<>();
        Pepper current = null;
        try {
            for (var e : tags.entrySet()) {
                Pepper p = Pepper.of(pepperId(e.getKey()), e.getValue());
                if (current == null) current = p;   // the primary comes first
                else previous.add(p);
            }
        } finally {
            tags.values().forEach(k -> java.util.Arrays.fill(k, (byte) 0));
        }
        PepperSet set = PepperSet.of(current, previous);
        cached = new Cached(List.copyOf(tags.keySet()), set);
        return set;
    }

    /** The pepper id of a key: its id as 8 lowercase hex digits (the PHC keyid holds at most 8 characters). */
    public static String pepperId(int keyId) {
        return String.format("%08x", keyId);
    }

    /** The pepper key a stored password hash names, or empty for a hash without a pepper (or not one of ours). */
    public static OptionalInt keyIdNamedBy(String passwordHash) {
        if (passwordHash == null) return OptionalInt.empty();
        Matcher m = KEYID.matcher(passwordHash);
        if (!m.find()) return OptionalInt.empty();
        String id;
        try {
            id = new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            return OptionalInt.empty();
        }
        return PEPPER_ID.matcher(id).matches() ? OptionalInt.of(Integer.parseUnsignedInt(id, 16)) : OptionalInt.empty();
    }

    @Override
    public String toString() {
        return "PasswordPeppers[" + keys + "]";
    }
}
