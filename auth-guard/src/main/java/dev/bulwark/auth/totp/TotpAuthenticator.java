package dev.bulwark.auth.totp;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * TOTP second factor (RFC 6238): HMAC-SHA1/256/512, 6 to 8 digits, 30-second steps, a window of ±1 step for clock
 * drift, and single use (a step once accepted for a user, and every earlier one, is refused afterwards).
 * Also issues and checks 10 single-use recovery codes stored as SHA-256 hashes.
 *
 * <pre>{@code
 * TotpAuthenticator totp = TotpAuthenticator.builder().issuer("Acme Bookings").store(new JdbcMfaStore(ds)).build();
 * TotpSecret secret = totp.newSecret();                   // store encrypted
 * String uri = totp.enrolmentUri(secret, "ann@example.com"); // show as QR code
 * boolean ok = totp.verify(userId, secret, codeFromUser);
 * }</pre>
 * Count failures with {@code LoginGuard.verifySecondFactor} so guessing is locked out.
 */
public final class TotpAuthenticator {
    private static final String RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"; // no l, o, 0, 1
    public static final int RECOVERY_CODE_COUNT = 10;
    /** 24 characters of a 32-letter alphabet: 120 random bits, above ASVS 2.6.2's 112 for lookup secrets. */
    static final int RECOVERY_CODE_CHARS = 24;

    private final String issuer;
    private final TotpAlgorithm algorithm;
    private final int digits;
    private final int periodSeconds;
    private final int window;
    private final Clock clock;
    private final MfaStore store;
    private final SecureRandom random = new SecureRandom();

    private TotpAuthenticator(Builder b) {
        this.issuer = b.issuer;
        this.algorithm = b.algorithm;
        this.digits = b.digits;
        this.periodSeconds = b.periodSeconds;
        this.window = b.window;
        this.clock = b.clock;
        this.store = b.store;
    }

    public static Builder builder() {
        return new Builder();
    }

    public TotpSecret newSecret() {
        return TotpSecret.generate(algorithm);
    }

    /** {@code otpauth://totp/Issuer:account?secret=...&issuer=...&algorithm=...&digits=...&period=...} for a QR code. */
    public String enrolmentUri(TotpSecret secret, String accountName) {
        Objects.requireNonNull(accountName, "accountName");
        String label = enc(issuer) + ":" + enc(accountName);
        return "otpauth://totp/" + label + "?secret=" + secret.base32() + "&issuer=" + enc(issuer)
                + "&algorithm=" + algorithm.name() + "&digits=" + digits + "&period=" + periodSeconds;
    }

    /**
     * Checks a code typed by the user (spaces ignored). True at most once per time step and user: a replayed or
     * older code is refused even inside the window.
     */
    public boolean verify(String userId, TotpSecret secret, String code) {
        return check(userId, secret, code) == TotpCheck.ACCEPTED;
    }

    /**
     * Like {@link #verify}, but tells a wrong code from a right one that was already used (or is older than the last
     * one used): a {@link TotpCheck#REPLAYED} code means someone else may have seen it, so tell the user (ASVS 2.8.5).
     */
    public TotpCheck check(String userId, TotpSecret secret, String code) {
        String c = code == null ? "" : code.replace(" ", "");
        if (c.length() != digits || !c.chars().allMatch(ch -> ch >= '0' && ch <= '9')) return TotpCheck.INVALID;
        byte[] presented = c.getBytes(StandardCharsets.US_ASCII);
        long now = Math.floorDiv(clock.instant().getEpochSecond(), periodSeconds);
        long matched = Long.MIN_VALUE;
        for (long step = now - window; step <= now + window; step++) {
            // Check every step (no early exit) and compare in constant time.
            boolean eq = MessageDigest.isEqual(codeAtStep(secret, step).getBytes(StandardCharsets.US_ASCII), presented);
            if (eq && matched == Long.MIN_VALUE) matched = step;
        }
        if (matched == Long.MIN_VALUE) return TotpCheck.INVALID;
        return store.advanceStep(userId, matched) ? TotpCheck.ACCEPTED : TotpCheck.REPLAYED;
    }

    /** The code for a time (package-private: tests against RFC 6238 Appendix B). */
    String codeAt(TotpSecret secret, Instant time) {
        return codeAtStep(secret, Math.floorDiv(time.getEpochSecond(), periodSeconds));
    }

    private String codeAtStep(TotpSecret secret, long step) {
        byte[] msg = new byte[8];
        for (int i = 7; i >= 0; i--) {
            msg[i] = (byte) step;
            step >>>= 8;
        }
        byte[] h;
        try {
            Mac mac = Mac.getInstance(algorithm.macName);
            mac.init(new SecretKeySpec(secret.key(), algorithm.macName));
            h = mac.doFinal(msg);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.macName + " unavailable", e);
        }
        int offset = h[h.length - 1] & 0x0f;
        int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8) | (h[offset + 3] & 0xff);
        int otp = binary % POW10[digits];
        String s = Integer.toString(otp);
        return "0".repeat(digits - s.length()) + s;
    }

    private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    /** Issues 10 new recovery codes, replacing any earlier set. Only their hashes are stored. */
    public RecoveryCodes newRecoveryCodes(String userId) {
        List<String> codes = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODE_COUNT; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < RECOVERY_CODE_CHARS; j++) {
                if (j > 0 && j % 4 == 0) sb.append('-');
                sb.append(RECOVERY_ALPHABET.charAt(random.nextInt(RECOVERY_ALPHABET.length())));
            }
            String code = sb.toString();
            codes.add(code);
            hashes.add(recoveryHash(code));
        }
        store.replaceRecoveryCodes(userId, hashes);
        return new RecoveryCodes(codes);
    }

    /** Uses up a recovery code (case, spaces and dashes ignored). True exactly once per code. */
    public boolean useRecoveryCode(String userId, String code) {
        if (code == null || code.length() > 64) return false;
        String n = normaliseRecovery(code);
        if (n.length() != RECOVERY_CODE_CHARS) return false;
        return store.consumeRecoveryCode(userId, sha256(n));
    }

    public int remainingRecoveryCodes(String userId) {
        return store.countRecoveryCodes(userId);
    }

    /** Forgets the user's TOTP replay state and recovery codes (MFA switched off). */
    public void disable(String userId) {
        store.deleteUser(userId);
    }

    static String recoveryHash(String code) {
        return sha256(normaliseRecovery(code));
    }

    private static String normaliseRecovery(String code) {
        StringBuilder sb = new StringBuilder();
        for (char c : code.toLowerCase(Locale.ROOT).toCharArray()) if (c != '-' && c != ' ') sb.append(c);
        return sb.toString();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Configures a {@link TotpAuthenticator}; defaults are what every authenticator app supports. */
    public static final class Builder {
        private String issuer = "Bulwark";
        private TotpAlgorithm algorithm = TotpAlgorithm.SHA1;
        private int digits = 6;
        private int periodSeconds = 30;
        private int window = 1;
        private Clock clock = Clock.systemUTC();
        private MfaStore store;

        private Builder() {}

        /** Name shown in the authenticator app. */
        public Builder issuer(String issuer) {
            if (issuer == null || issuer.isBlank() || issuer.contains(":")) throw new IllegalArgumentException("issuer must be non-blank without ':'");
            this.issuer = issuer;
            return this;
        }

        public Builder algorithm(TotpAlgorithm algorithm) {
            this.algorithm = Objects.requireNonNull(algorithm);
            return this;
        }

        /** 6 (default), 7 or 8. */
        public Builder digits(int digits) {
            if (digits < 6 || digits > 8) throw new IllegalArgumentException("digits must be within 6..8");
            this.digits = digits;
            return this;
        }

        /** Accepted steps either side of now: 0 or 1 (default 1). */
        public Builder window(int steps) {
            if (steps < 0 || steps > 1) throw new IllegalArgumentException("window must be 0 or 1");
            this.window = steps;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Default: in memory. */
        public Builder store(MfaStore store) {
            this.store = Objects.requireNonNull(store);
            return this;
        }

        public TotpAuthenticator build() {
            if (store == null) store = new InMemoryMfaStore();
            return new TotpAuthenticator(this);
        }
    }
}
