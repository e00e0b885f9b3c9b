package dev.bulwark.auth.password;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hashes passwords with Argon2id (Bouncy Castle) into PHC strings and verifies Argon2id, bcrypt and
 * PBKDF2-HMAC-SHA256 hashes, reporting {@link PasswordVerification#needsRehash()} for anything that is not
 * Argon2id at the current parameters.
 *
 * <p>Every hash operation runs on a small bounded pool with a bounded queue: when the queue is full the call fails
 * fast with {@link PasswordHashingException.Reason#OVERLOADED} instead of queuing memory-hungry work without limit.
 * Passwords longer than {@link Builder#maxPasswordLength(int)} are refused before any hashing. New Argon2id hashes
 * are computed over the NFKC-normalised password (NIST SP 800-63B 5.1.1.2), legacy hashes over the password as given.
 *
 * <pre>{@code
 * PasswordHasher hasher = PasswordHasher.builder().build();   // OWASP: m=19 MiB, t=2, p=1
 * String phc = hasher.hash(password);                         // $argon2id$v=19$m=19456,t=2,p=1$...$...
 * PasswordVerification v = hasher.verify(password, phc);
 * if (v.matches() && v.needsRehash()) store(hasher.hash(password));
 * }</pre>
 */
public final class PasswordHasher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PasswordHasher.class);

    /** Default maximum password length in characters (the DoS guard; policies usually allow far less). */
    public static final int DEFAULT_MAX_PASSWORD_LENGTH = 1024;
    /** Default bound on hash operations waiting for a worker. */
    public static final int DEFAULT_QUEUE_LIMIT = 64;

    private final Argon2idParameters params;
    /** Asked once per operation (so a rotating source takes effect at once); null: no pepper. */
    private final PepperSource peppers;
    private final int maxPasswordLength;
    private final ThreadPoolExecutor executor;
    private final SecureRandom random;
    /** A hash of random bytes under the current pepper (re-made when the pepper changes). */
    private volatile String dummyHash;

    private PasswordHasher(Builder b) {
        this.params = b.params;
        this.peppers = b.source;
        this.maxPasswordLength = b.maxPasswordLength;
        this.random = new SecureRandom();
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(b.threads, b.threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(b.queueLimit), r -> {
                    Thread t = new Thread(r, "bulwark-password-hash-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.executor.allowCoreThreadTimeOut(true);
        if (!params.meetsOwaspMinimum()) {
            LOG.warn("PasswordHasher configured below OWASP's minimum Argon2id cost (m={} KiB, t={}): use only for tests",
                    params.memoryKiB(), params.iterations());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Argon2idParameters parameters() {
        return params;
    }

    public int maxPasswordLength() {
        return maxPasswordLength;
    }

    /** Hashes a password into a PHC string {@code $argon2id$v=19$m=..,t=..,p=..[,keyid=..]$salt$hash}. Blocks until done. */
    public String hash(CharSequence password) {
        checkInput(password);
        byte[] pw = argonInput(password);
        PepperSet ps = pepperSet();
        return await(submit(() -> hashNow(pw, ps)));
    }

    /** Non-blocking {@link #hash}: for event-loop callers. Input checks happen before returning. */
    public CompletableFuture<String> hashAsync(CharSequence password) {
        checkInput(password);
        byte[] pw = argonInput(password);
        PepperSet ps = pepperSet();
        return CompletableFuture.supplyAsync(() -> hashNow(pw, ps), this::execute);
    }

    /**
     * Verifies a password against a stored hash in any supported format. Blocks until done.
     *
     * @throws InvalidPasswordHashException the stored hash is unreadable (never thrown for a wrong password)
     * @throws PasswordHashingException     the password is empty/too long, or the hasher is overloaded
     */
    public PasswordVerification verify(CharSequence password, String storedHash) throws InvalidPasswordHashException {
        checkInput(password);
        StoredHash parsed = StoredHash.parse(storedHash);
        PepperSet ps = pepperSetFor(parsed);
        readable(parsed, ps);
        String pw = password.toString();
        return await(submit(() -> verifyNow(pw, parsed, ps)));
    }

    /** Non-blocking {@link #verify}. The future fails with InvalidPasswordHashException for an unreadable hash. */
    public CompletableFuture<PasswordVerification> verifyAsync(CharSequence password, String storedHash) {
        checkInput(password);
        String pw = password.toString();
        CompletableFuture<PasswordVerification> f = new CompletableFuture<>();
        StoredHash parsed;
        PepperSet ps;
        try {
            parsed = StoredHash.parse(storedHash);
            ps = pepperSetFor(parsed);
            readable(parsed, ps);
        } catch (InvalidPasswordHashException e) {
            f.completeExceptionally(e);
            return f;
        }
        return CompletableFuture.supplyAsync(() -> verifyNow(pw, parsed, ps), this::execute);
    }

    /**
     * Spends the same work as verifying against a real hash at the current parameters and returns a mismatch.
     * Used for unknown accounts so that they take the same path and time as known ones.
     */
    public PasswordVerification verifyDummy(CharSequence password) {
        checkInput(password);
        PepperSet ps = pepperSet();
        String dummy = dummyHash(ps);
        try {
            StoredHash parsed = StoredHash.parse(dummy);
            String pw = password.toString();
            await(submit(() -> verifyNow(pw, parsed, ps)));
        } catch (InvalidPasswordHashException e) {
            throw new IllegalStateException("internal dummy hash unreadable", e);
        }
        return PasswordVerification.mismatch(PasswordVerification.Scheme.NONE);
    }

    /** Whether a stored hash should be replaced: anything but Argon2id at exactly the current parameters. */
    public boolean needsRehash(String storedHash) throws InvalidPasswordHashException {
        StoredHash parsed = StoredHash.parse(storedHash);
        PepperSet ps = pepperSetFor(parsed);
        return needsRehash(readable(parsed, ps), ps);
    }

    /** Also true for a hash under a previous pepper, or without one when this hasher has one. */
    private boolean needsRehash(StoredHash h, PepperSet ps) {
        if (!(h instanceof StoredHash.Argon2 a)) return true;
        return a.memoryKiB != params.memoryKiB() || a.iterations != params.iterations() || a.parallelism != params.parallelism()
                || a.salt.length != params.saltLength() || a.hash.length != params.hashLength()
                || !java.util.Objects.equals(a.pepperId, ps == null ? null : ps.current().id());
    }

    /** The peppers for one operation (null: none), read once so the whole operation sees one consistent set. */
    private PepperSet pepperSet() {
        if (peppers == null) return null;
        PepperSet ps;
        try {
            ps = peppers.peppers();
        } catch (RuntimeException e) {
            throw new PasswordHashingException(PasswordHashingException.Reason.PEPPER_UNAVAILABLE, "the pepper source failed", e);
        }
        if (ps == null) throw new PasswordHashingException(PasswordHashingException.Reason.PEPPER_UNAVAILABLE, "the pepper source returned nothing");
        return ps;
    }

    /**
     * The peppers for checking one stored hash. A hash naming a pepper the source's answer lacks gets one more answer
     * from {@link PepperSource#peppersIncluding(String)}: another node may have rotated the key store since this
     * source cached it, and refusing that user's right password as unreadable would look like a wrong one.
     */
    private PepperSet pepperSetFor(StoredHash h) {
        PepperSet ps = pepperSet();
        if (ps == null || !(h instanceof StoredHash.Argon2 a) || a.pepperId == null || ps.find(a.pepperId) != null) return ps;
        PepperSet again;
        try {
            again = peppers.peppersIncluding(a.pepperId);
        } catch (RuntimeException e) {
            throw new PasswordHashingException(PasswordHashingException.Reason.PEPPER_UNAVAILABLE, "the pepper source failed", e);
        }
        if (again == null) throw new PasswordHashingException(PasswordHashingException.Reason.PEPPER_UNAVAILABLE, "the pepper source returned nothing");
        return again;
    }

    /** A peppered hash can be checked only with its pepper: refuse it, typed, before spending any work. */
    private static StoredHash readable(StoredHash h, PepperSet ps) throws InvalidPasswordHashException {
        if (h instanceof StoredHash.Argon2 a && a.pepperId != null && (ps == null || ps.find(a.pepperId) == null)) {
            throw new InvalidPasswordHashException(InvalidPasswordHashException.Reason.UNKNOWN_PEPPER,
                    "argon2id hash was made with pepper '" + a.pepperId + "', which this hasher was not given");
        }
        return h;
    }

    private String hashNow(byte[] pw, PepperSet ps) {
        Pepper pepper = ps == null ? null : ps.current();
        try {
            byte[] salt = new byte[params.saltLength()];
            random.nextBytes(salt);
            byte[] secret = pepper == null ? null : pepper.key();
            byte[] tag = Argon2id.derive(pw, salt, secret, null, params.memoryKiB(), params.iterations(), params.parallelism(), params.hashLength());
            if (secret != null) Arrays.fill(secret, (byte) 0);
            return "$argon2id$v=19$m=" + params.memoryKiB() + ",t=" + params.iterations() + ",p=" + params.parallelism()
                    + (pepper == null ? "" : ",keyid=" + pepper.keyIdParameter())
                    + "$" + StoredHash.b64(salt) + "$" + StoredHash.b64(tag);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    private PasswordVerification verifyNow(String password, StoredHash h, PepperSet ps) {
        if (h instanceof StoredHash.Argon2 a) {
            byte[] pw = argonInput(password);
            byte[] secret = a.pepperId == null ? null : ps.find(a.pepperId).key();
            try {
                byte[] tag = Argon2id.derive(pw, a.salt, secret, null, a.memoryKiB, a.iterations, a.parallelism, a.hash.length);
                return result(MessageDigest.isEqual(tag, a.hash), PasswordVerification.Scheme.ARGON2ID, h, ps);
            } finally {
                Arrays.fill(pw, (byte) 0);
                if (secret != null) Arrays.fill(secret, (byte) 0);
            }
        }
        if (h instanceof StoredHash.Bcrypt b) {
            byte[] pw = utf8(password);
            // bcrypt only reads the first 72 bytes; OpenBSD and every common implementation truncate.
            byte[] in = pw.length > 72 ? Arrays.copyOf(pw, 72) : pw;
            try {
                return result(OpenBSDBCrypt.checkPassword(b.encoded, in), PasswordVerification.Scheme.BCRYPT, h, ps);
            } catch (RuntimeException e) {
                return PasswordVerification.mismatch(PasswordVerification.Scheme.BCRYPT);
            } finally {
                Arrays.fill(pw, (byte) 0);
                Arrays.fill(in, (byte) 0);
            }
        }
        StoredHash.Pbkdf2 p = (StoredHash.Pbkdf2) h;
        byte[] pw = utf8(password);
        try {
            PKCS5S2ParametersGenerator gen = new PKCS5S2ParametersGenerator(new SHA256Digest());
            gen.init(pw, p.salt, p.iterations);
            byte[] dk = ((KeyParameter) gen.generateDerivedParameters(p.hash.length * 8)).getKey();
            return result(MessageDigest.isEqual(dk, p.hash), PasswordVerification.Scheme.PBKDF2_SHA256, h, ps);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    private PasswordVerification result(boolean ok, PasswordVerification.Scheme scheme, StoredHash h, PepperSet ps) {
        return ok ? PasswordVerification.match(scheme, needsRehash(h, ps)) : PasswordVerification.mismatch(scheme);
    }

    /** The dummy hash under the current pepper: after a rotation the old one might name a pepper that is gone. */
    private String dummyHash(PepperSet ps) {
        String d = dummyHash;
        if (d == null || !dummyMatches(d, ps)) {
            synchronized (this) {
                d = dummyHash;
                if (d == null || !dummyMatches(d, ps)) {
                    byte[] pw = new byte[24];
                    random.nextBytes(pw);
                    d = dummyHash = await(submit(() -> hashNow(pw, ps)));
                }
            }
        }
        return d;
    }

    private boolean dummyMatches(String dummy, PepperSet ps) {
        try {
            return !needsRehash(StoredHash.parse(dummy), ps);
        } catch (InvalidPasswordHashException e) {
            return false;
        }
    }

    private void checkInput(CharSequence password) {
        if (password == null || password.length() == 0)
            throw new PasswordHashingException(PasswordHashingException.Reason.EMPTY_PASSWORD, "password is empty");
        if (password.length() > maxPasswordLength)
            throw new PasswordHashingException(PasswordHashingException.Reason.PASSWORD_TOO_LONG,
                    "password is longer than the maximum of " + maxPasswordLength + " characters");
    }

    private static byte[] argonInput(CharSequence password) {
        return utf8(Normalizer.normalize(password, Normalizer.Form.NFKC));
    }

    private static byte[] utf8(CharSequence s) {
        ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(s));
        byte[] out = new byte[bb.remaining()];
        bb.get(out);
        if (bb.hasArray()) Arrays.fill(bb.array(), (byte) 0);
        return out;
    }

    private <T> Future<T> submit(Callable<T> task) {
        try {
            return executor.submit(task);
        } catch (RejectedExecutionException e) {
            throw rejected();
        }
    }

    private void execute(Runnable r) {
        try {
            executor.execute(r);
        } catch (RejectedExecutionException e) {
            throw rejected();
        }
    }

    private PasswordHashingException rejected() {
        if (executor.isShutdown()) return new PasswordHashingException(PasswordHashingException.Reason.CLOSED, "password hasher is closed");
        return new PasswordHashingException(PasswordHashingException.Reason.OVERLOADED,
                "password hashing queue is full (" + executor.getQueue().size() + " waiting); retry later");
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new PasswordHashingException(PasswordHashingException.Reason.INTERRUPTED, "interrupted while hashing");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException("password hashing failed", c);
        }
    }

    /** Number of hash operations currently waiting for a worker. */
    public int queuedOperations() {
        return executor.getQueue().size();
    }

    @Override
    public void close() {
        executor.shutdown();
    }

    @Override
    public String toString() {
        return "PasswordHasher[argon2id m=" + params.memoryKiB() + " t=" + params.iterations() + " p=" + params.parallelism()
                + (peppers == null ? "" : ", pepper=" + currentPepperIdForDisplay()) + ", threads=" + executor.getMaximumPoolSize() + ", queueLimit=" + (executor.getQueue().remainingCapacity() + executor.getQueue().size()) + "]";
    }

    /** The current pepper's id, or a placeholder if the source cannot say (toString must never fail). */
    private String currentPepperIdForDisplay() {
        try {
            return peppers.peppers().current().id();
        } catch (RuntimeException e) {
            return "<unavailable>";
        }
    }

    /** Configures a {@link PasswordHasher}; every default is the secure one. */
    public static final class Builder {
        private Argon2idParameters params = Argon2idParameters.owaspDefault();
        private int maxPasswordLength = DEFAULT_MAX_PASSWORD_LENGTH;
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int queueLimit = DEFAULT_QUEUE_LIMIT;
        private Pepper pepper;
        private java.util.List<Pepper> previousPeppers = java.util.List.of();
        private PepperSource pepperSource;
        /** What build() settles on: the fixed peppers or the given source, or null. */
        private PepperSource source;

        private Builder() {}

        /**
         * Mixes a secret key into every new hash (Argon2's secret input; ASVS 2.4.5). Hashes made without it still
         * verify and report {@code needsRehash}, so they move to the pepper at the next login. Default: none.
         */
        public Builder pepper(Pepper pepper) {
            this.pepper = java.util.Objects.requireNonNull(pepper, "pepper");
            return this;
        }

        /** Peppers being rotated out: their hashes still verify (with {@code needsRehash}); new hashes use {@link #pepper}. */
        public Builder previousPeppers(Pepper... previous) {
            this.previousPeppers = java.util.List.of(previous);
            return this;
        }

        /**
         * Takes the peppers from {@code source} at every operation instead of a fixed {@link #pepper}: a rotation in the
         * source (a new current pepper, an old one retired) takes effect without rebuilding the hasher. Hashes without a
         * pepper or under a previous one verify and report {@code needsRehash}; a hash naming a pepper the source no
         * longer has is refused as {@link InvalidPasswordHashException.Reason#UNKNOWN_PEPPER}.
         */
        public Builder peppers(PepperSource source) {
            this.pepperSource = java.util.Objects.requireNonNull(source, "source");
            return this;
        }

        /** Argon2id parameters for new hashes (default {@link Argon2idParameters#owaspDefault()}). */
        public Builder parameters(Argon2idParameters params) {
            this.params = java.util.Objects.requireNonNull(params, "params");
            return this;
        }

        /** Passwords longer than this (characters) are refused before hashing. Default 1024; 64..4096. */
        public Builder maxPasswordLength(int max) {
            if (max < 64 || max > 4096) throw new IllegalArgumentException("maxPasswordLength must be within 64..4096");
            this.maxPasswordLength = max;
            return this;
        }

        /** Worker threads (default: available processors). Peak memory is about threads × m KiB. */
        public Builder threads(int threads) {
            if (threads < 1 || threads > 256) throw new IllegalArgumentException("threads must be within 1..256");
            this.threads = threads;
            return this;
        }

        /** Operations allowed to wait for a worker before new ones are refused as OVERLOADED (default 64). */
        public Builder queueLimit(int queueLimit) {
            if (queueLimit < 1 || queueLimit > 100_000) throw new IllegalArgumentException("queueLimit must be within 1..100000");
            this.queueLimit = queueLimit;
            return this;
        }

        public PasswordHasher build() {
            if (!previousPeppers.isEmpty() && pepper == null) {
                throw new IllegalStateException("previousPeppers needs a current pepper: new hashes would otherwise lose theirs");
            }
            if (pepperSource != null && pepper != null) {
                throw new IllegalStateException("give either a fixed pepper or a pepper source, not both");
            }
            if (pepper != null) {
                try {
                    source = PepperSet.of(pepper, previousPeppers);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(e.getMessage());
                }
            } else {
                source = pepperSource;
            }
            return new PasswordHasher(this);
        }
    }
}
