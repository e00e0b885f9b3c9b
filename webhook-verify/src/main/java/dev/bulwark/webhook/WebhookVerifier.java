package dev.bulwark.webhook;

import javax.crypto.Mac;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Verifies webhook deliveries over the raw request bytes, before any JSON is parsed, and returns a
 * {@link VerifiedEvent} or throws a {@link WebhookRejected} whose reason says why.
 *
 * <pre>{@code
 * WebhookVerifier stripe = WebhookVerifier.stripe()
 *         .secret(System.getenv("STRIPE_WEBHOOK_SECRET"))      // whsec_..., repeat while rolling
 *         .replayGuard(new JdbcSeenEventStore(dataSource))
 *         .build();
 * try {
 *     stripe.handle(request::getHeader, rawBodyBytes, event -> {
 *         markPaid(event);                                    // marked done if this returns, released if it throws
 *         return null;
 *     });
 *     respond(200);
 * } catch (WebhookRejected r) {
 *     respond(r.suggestedHttpStatus(), r.reason().name());    // 200 DUPLICATE, 409 IN_PROGRESS, else 400
 * }
 * }</pre>
 *
 * <p>Checks, in order: headers present and well-formed; body not empty; a signature that matches under one of
 * the configured secrets (constant-time comparison); the signed timestamp within the tolerance of now in both
 * directions (default 5 minutes); the event body has the fields the scheme promises; the event id not already
 * accepted inside the replay window (in-memory guard by default, {@link JdbcSeenEventStore} for several nodes).
 *
 * <p>The replay guard has two states per event. {@link #verify} <em>claims</em> the event for a processing lease
 * (default 2 minutes): another delivery meanwhile is {@link WebhookRejected.Reason#IN_PROGRESS} (answer 409, so the
 * sender retries). After acting, the caller marks the event {@link #completed done}; from then on a delivery is
 * {@link WebhookRejected.Reason#DUPLICATE} (answer 200). If processing fails, {@link #forget} releases the claim so the
 * retry is processed; if the node dies, the lease runs out and the next delivery claims the event again.
 * {@link #handle} does all of this for you and is the way to use a verifier with a replay guard.
 */
public final class WebhookVerifier {
    /** Stripe's own default, and ours: 5 minutes. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
    /** The largest tolerance that may be configured. */
    public static final Duration MAX_TOLERANCE = Duration.ofHours(1);
    /** How much longer than the tolerance a seen id is remembered. */
    static final long REPLAY_MARGIN_SECONDS = 60;
    /** How long a claimed event shuts out other deliveries while it is processed: 2 minutes. */
    public static final Duration DEFAULT_PROCESSING_LEASE = Duration.ofMinutes(2);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final WebhookScheme scheme;
    private final List<HmacKey> secrets;
    private final List<PublicKey> publicKeys;
    private final long toleranceSeconds;
    private final Clock clock;
    private final SeenEventStore replayGuard;
    private final long leaseSeconds;

    private WebhookVerifier(Builder b, long leaseSeconds) {
        this.scheme = b.scheme;
        this.secrets = List.copyOf(b.secrets);
        this.publicKeys = List.copyOf(b.publicKeys);
        this.toleranceSeconds = b.tolerance.getSeconds();
        this.clock = b.clock;
        this.replayGuard = b.replayGuard;
        this.leaseSeconds = leaseSeconds;
    }

    /** A verifier for Stripe's {@code Stripe-Signature} header. */
    public static Builder stripe() {
        return new Builder(WebhookScheme.STRIPE);
    }

    /** A verifier for Standard Webhooks ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}). */
    public static Builder standardWebhooks() {
        return new Builder(WebhookScheme.STANDARD_WEBHOOKS);
    }

    public WebhookScheme scheme() {
        return scheme;
    }

    /**
     * Verifies one delivery and, with a replay guard, records the event as processed at once: every later delivery
     * within the replay window is {@link WebhookRejected.Reason#DUPLICATE}. If acting on it then fails, call
     * {@link #forget} so the sender's retry is accepted. {@link #handle} does better for several nodes: it holds the
     * event only while the handler runs, so a delivery that arrives meanwhile is told to retry instead of being
     * acknowledged for an event that might still fail.
     *
     * @param headers the request headers (e.g. {@code request::getHeader}); names are looked up as the scheme
     *                spells them, so the lookup must be case-insensitive as HTTP is
     * @param rawBody the request body exactly as received: not parsed, re-encoded or trimmed
     */
    public VerifiedEvent verify(HeaderLookup headers, byte[] rawBody) throws WebhookRejected {
        VerifiedEvent claimed = claim(headers, rawBody);
        if (claimed.claimant == null) return claimed;
        replayGuard.complete(replayKey(claimed.id()));
        return claimed.recordedAsDone();
    }

    /**
     * Verifies one delivery and, with a replay guard, claims the event for the processing lease. The caller must then
     * either call {@link #completed} after acting on it or {@link #forget} if it could not: until one of them (or the
     * end of the lease) every other delivery of the event is {@link WebhookRejected.Reason#IN_PROGRESS}, and after the
     * lease the event is processed again. {@link #handle} cannot be misused that way: prefer it.
     */
    public VerifiedEvent claim(HeaderLookup headers, byte[] rawBody) throws WebhookRejected {
        Objects.requireNonNull(headers, "headers");
        return scheme == WebhookScheme.STRIPE ? verifyStripe(headers.get(StripeSignatureHeader.NAME), rawBody)
                : verifyStandard(headers.get(StandardSignatureHeaders.ID), headers.get(StandardSignatureHeaders.TIMESTAMP),
                        headers.get(StandardSignatureHeaders.SIGNATURE), rawBody);
    }

    /**
     * Verifies one delivery, runs {@code handler} on the event, and then marks the event done if the handler
     * returned, or releases its claim if the handler threw (so the sender's retry is processed). Answer 2xx when this
     * returns; on {@link WebhookRejected} answer {@link WebhookRejected#suggestedHttpStatus()} without acting; when
     * the handler's exception comes out, answer 5xx.
     *
     * <p>The handler runs only for a delivery that holds the claim. If it runs longer than the processing lease,
     * another delivery may claim the event and run too: keep the lease above your slowest processing, and keep
     * handlers idempotent on the event id (a store failure after the handler returned also leads to a retry).
     *
     * @param headers as for {@link #verify}
     * @param rawBody as for {@link #verify}
     * @param handler acts on the verified event; what it returns is returned
     * @throws WebhookRejected the delivery was not accepted; the handler did not run
     * @throws X               the handler failed; the event's claim was released
     */
    public <T, X extends Exception> T handle(HeaderLookup headers, byte[] rawBody, EventHandler<T, X> handler)
            throws WebhookRejected, X {
        Objects.requireNonNull(handler, "handler");
        VerifiedEvent event = claim(headers, rawBody);
        T result;
        try {
            result = handler.handle(event);
        } catch (Throwable failure) {
            try {
                forget(event);
            } catch (RuntimeException releaseFailed) {
                failure.addSuppressed(releaseFailed);   // the lease still runs out, so a later retry is processed
            }
            throw failure;
        }
        completed(event);
        return result;
    }

    /** What {@link #handle} runs on a verified event. */
    @FunctionalInterface
    public interface EventHandler<T, X extends Exception> {
        T handle(VerifiedEvent event) throws X;
    }

    /**
     * Marks the event done after you acted on it: a later delivery within the replay window is then
     * {@link WebhookRejected.Reason#DUPLICATE} (answer 2xx) instead of being processed again when the lease ends.
     */
    public void completed(VerifiedEvent event) {
        Objects.requireNonNull(event, "event");
        if (replayGuard != null && event.claimant != null && !event.doneAtVerify) replayGuard.complete(replayKey(event.id()));
    }

    /**
     * Call it when processing failed and you answer an error, so the sender's retry is processed. For an event from
     * {@link #verify} (recorded as done at once) it drops the record; for one from {@link #claim} it releases this
     * delivery's claim, so the retry is processed at once instead of being {@link WebhookRejected.Reason#IN_PROGRESS}
     * until the lease ends (no effect once that event is {@link #completed done}, or when another delivery has taken
     * over the claim).
     */
    public void forget(VerifiedEvent event) {
        Objects.requireNonNull(event, "event");
        if (replayGuard == null || event.claimant == null) return;
        if (event.doneAtVerify) replayGuard.forget(replayKey(event.id()));
        else replayGuard.release(replayKey(event.id()), event.claimant);
    }

    private VerifiedEvent verifyStripe(String header, byte[] body) throws WebhookRejected {
        StripeSignatureHeader h = StripeSignatureHeader.parse(header);
        requireBody(body);
        boolean matched = false;
        for (HmacKey secret : secrets) {
            Mac mac = secret.mac();
            mac.update(h.timestampText().getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '.');
            byte[] expected = hex(mac.doFinal(body));
            for (String candidate : h.v1()) {
                // Compared as lower-case hex text, as Stripe writes it: an upper-cased copy is a different signature.
                matched |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        if (!matched) {
            throw new WebhookRejected(WebhookRejected.Reason.NO_SIGNATURE_MATCHED, "none of the " + h.v1().size()
                    + " v1 signature(s) matches the body under the " + secrets.size() + " configured secret(s). "
                    + "Check that: the secret is this endpoint's signing secret (each endpoint, and each "
                    + "'stripe listen' session, has its own whsec_); you verify the raw request body bytes exactly "
                    + "as received, before any JSON parsing or re-encoding; no proxy or middleware changed the body");
        }
        Instant now = clock.instant();
        checkTolerance(h.timestamp(), now);
        String json = VerifiedEvent.utf8(body);
        EventFields f = EventFields.read(json);
        if (f == null || f.id == null || f.id.isEmpty() || f.type == null) {
            throw new WebhookRejected(WebhookRejected.Reason.MALFORMED_PAYLOAD,
                    "correctly signed, but the body is not a Stripe event object with string 'id' and 'type'");
        }
        if (f.id.length() > StandardSignatureHeaders.MAX_ID_CHARS) {
            throw new WebhookRejected(WebhookRejected.Reason.MALFORMED_PAYLOAD, "the event id is implausibly long");
        }
        String claimant = guardReplay(f.id, h.timestamp(), now);
        return new VerifiedEvent(WebhookScheme.STRIPE, f.id, f.type,
                f.created != null ? f.created : Instant.ofEpochSecond(h.timestamp()), f.livemode, f.account,
                Instant.ofEpochSecond(h.timestamp()), body, json, claimant);
    }

    private VerifiedEvent verifyStandard(String id, String timestamp, String signature, byte[] body)
            throws WebhookRejected {
        StandardSignatureHeaders h = StandardSignatureHeaders.parse(id, timestamp, signature);
        requireBody(body);
        byte[] prefix = (h.id() + "." + h.timestampText() + ".").getBytes(StandardCharsets.US_ASCII);
        boolean matched = false;
        if (!h.v1().isEmpty()) {
            for (HmacKey secret : secrets) {
                Mac mac = secret.mac();
                mac.update(prefix);
                byte[] expected = Base64.getEncoder().encode(mac.doFinal(body));
                for (String candidate : h.v1()) {
                    matched |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.ISO_8859_1));
                }
            }
        }
        if (!matched && !h.v1a().isEmpty() && !publicKeys.isEmpty()) {
            matched = verifyEd25519(h.v1a(), prefix, body);
        }
        if (!matched) {
            throw new WebhookRejected(WebhookRejected.Reason.NO_SIGNATURE_MATCHED, "none of the "
                    + (h.v1().size() + h.v1a().size()) + " signature(s) in webhook-signature matches the body under the "
                    + secrets.size() + " configured secret(s) and " + publicKeys.size() + " public key(s). Check that "
                    + "the secret is this endpoint's whsec_ secret and that you verify the raw request body bytes "
                    + "exactly as received, before any JSON parsing or re-encoding");
        }
        Instant now = clock.instant();
        checkTolerance(h.timestamp(), now);
        String json = VerifiedEvent.utf8(body);
        EventFields f = EventFields.read(json);
        if (f == null) {
            throw new WebhookRejected(WebhookRejected.Reason.MALFORMED_PAYLOAD,
                    "correctly signed, but the body is not a JSON object");
        }
        String claimant = guardReplay(h.id(), h.timestamp(), now);
        Instant signedAt = Instant.ofEpochSecond(h.timestamp());
        return new VerifiedEvent(WebhookScheme.STANDARD_WEBHOOKS, h.id(), f.type == null ? "" : f.type, signedAt,
                f.livemode, f.account, signedAt, body, json, claimant);
    }

    private boolean verifyEd25519(List<String> signatures, byte[] prefix, byte[] body) {
        for (String candidate : signatures) {
            byte[] sig;
            try {
                sig = Base64.getDecoder().decode(candidate);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (sig.length != 64) continue;
            for (PublicKey key : publicKeys) {
                try {
                    Signature v = Signature.getInstance("Ed25519");
                    v.initVerify(key);
                    v.update(prefix);
                    v.update(body);
                    if (v.verify(sig)) return true;
                } catch (GeneralSecurityException | RuntimeException e) {
                    // a signature the provider cannot even decode does not match
                }
            }
        }
        return false;
    }

    private static void requireBody(byte[] body) throws WebhookRejected {
        if (body == null || body.length == 0) {
            throw new WebhookRejected(WebhookRejected.Reason.EMPTY_BODY, "the request body is empty: pass the raw "
                    + "request body bytes, read before any JSON parsing (a framework that has already parsed the "
                    + "body may leave the stream empty)");
        }
    }

    private void checkTolerance(long timestamp, Instant now) throws WebhookRejected {
        long skew = now.getEpochSecond() - timestamp;
        if (Math.abs(skew) > toleranceSeconds) {
            String when = skew > 0 ? skew + " s ago" : -skew + " s in the future";
            throw new WebhookRejected(WebhookRejected.Reason.TIMESTAMP_OUTSIDE_TOLERANCE, "correctly signed, but "
                    + when + " (tolerance " + toleranceSeconds + " s): "
                    + (skew > 0 ? "a replayed old delivery, or this server's clock is ahead; check NTP"
                    : "this server's clock is behind; check NTP"), skew);
        }
    }

    /** Claims the event; returns the claimant id, or null without a replay guard. */
    private String guardReplay(String id, long timestamp, Instant now) throws WebhookRejected {
        if (replayGuard == null) return null;
        // A replay carries the original signed timestamp, so it is refused by the tolerance check after this.
        long keepUntil = Math.max(now.getEpochSecond(), timestamp) + toleranceSeconds + REPLAY_MARGIN_SECONDS;
        // The lease is at most tolerance + margin (checked by the builder), so it never outlives the record.
        Instant leaseUntil = now.plusSeconds(leaseSeconds);
        String claimant = UUID.randomUUID().toString();
        SeenEventStore.Claim claim = replayGuard.claim(replayKey(id), claimant, leaseUntil,
                Instant.ofEpochSecond(keepUntil), now);
        if (claim == SeenEventStore.Claim.DONE) {
            throw new WebhookRejected(WebhookRejected.Reason.DUPLICATE, "event " + id + " was already processed; "
                    + "answer 2xx and do not act on it again");
        }
        if (claim == SeenEventStore.Claim.IN_PROGRESS) {
            throw new WebhookRejected(WebhookRejected.Reason.IN_PROGRESS, "event " + id + " is being processed by "
                    + "another delivery; do not act on it, and answer a non-2xx such as 409 so the sender retries "
                    + "later (the retry is processed if that processing fails or its " + leaseSeconds
                    + " s lease runs out)");
        }
        return claimant;
    }

    private String replayKey(String id) {
        return (scheme == WebhookScheme.STRIPE ? "stripe:" : "std:") + id;
    }

    private static byte[] hex(byte[] bytes) {
        byte[] out = new byte[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return out;
    }

    @Override
    public String toString() {
        return "WebhookVerifier[" + scheme + ", " + secrets.size() + " secret(s) <redacted>, tolerance "
                + toleranceSeconds + " s" + (replayGuard == null ? ", no replay guard" : ", lease " + leaseSeconds + " s")
                + "]";
    }

    public static final class Builder {
        private final WebhookScheme scheme;
        private final List<HmacKey> secrets = new ArrayList<>();
        private final List<PublicKey> publicKeys = new ArrayList<>();
        private Duration tolerance = DEFAULT_TOLERANCE;
        private Clock clock = Clock.systemUTC();
        private SeenEventStore replayGuard = new InMemorySeenEventStore();
        private boolean replayGuardSet;
        private Duration processingLease;

        private Builder(WebhookScheme scheme) {
            this.scheme = scheme;
        }

        /**
         * A signing secret; call again to accept several at once while rolling a secret. Stripe: the endpoint's
         * {@code whsec_...}. Standard Webhooks: {@code whsec_<base64>} of 24 to 64 bytes.
         *
         * @throws InvalidWebhookSecretException if it is an API key or otherwise not a webhook secret
         */
        public Builder secret(String secret) {
            secrets.add(scheme == WebhookScheme.STRIPE ? Secrets.stripe(secret) : Secrets.standard(secret));
            return this;
        }

        /** Standard Webhooks only: a {@code whpk_<base64>} Ed25519 public key, to verify {@code v1a} signatures. */
        public Builder publicKey(String whpk) {
            if (scheme != WebhookScheme.STANDARD_WEBHOOKS) {
                throw new IllegalStateException("public keys (v1a) exist only in Standard Webhooks");
            }
            Objects.requireNonNull(whpk, "whpk");
            if (!whpk.startsWith("whpk_")) {
                throw new InvalidWebhookSecretException(WebhookRejected.Reason.MALFORMED_SECRET,
                        "a Standard Webhooks public key starts with 'whpk_'");
            }
            try {
                byte[] raw = Base64.getDecoder().decode(whpk.substring(5));
                if (raw.length != 32) throw new IllegalArgumentException("length");
                byte[] spki = new byte[ED25519_SPKI_PREFIX.length + 32];
                System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
                System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, 32);
                publicKeys.add(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new InvalidWebhookSecretException(WebhookRejected.Reason.MALFORMED_SECRET,
                        "a Standard Webhooks public key is 'whpk_' followed by the base64 of 32 bytes");
            }
            return this;
        }

        /** How far the signed timestamp may be from now, either way: 1 second to 1 hour, default 5 minutes. */
        public Builder tolerance(Duration tolerance) {
            Objects.requireNonNull(tolerance, "tolerance");
            if (tolerance.getSeconds() < 1 || tolerance.compareTo(MAX_TOLERANCE) > 0) {
                throw new IllegalArgumentException("tolerance must be between 1 second and " + MAX_TOLERANCE);
            }
            this.tolerance = tolerance;
            return this;
        }

        /**
         * How long a claimed event shuts out other deliveries while it is processed (they get
         * {@link WebhookRejected.Reason#IN_PROGRESS}); after it, the holder is presumed dead and the next delivery
         * processes the event. At least 1 second and at most the replay window (tolerance + 60 s), so a lease never
         * outlives the record that refuses replays. Default: {@link #DEFAULT_PROCESSING_LEASE}, or the replay window
         * if that is shorter. Choose it above your slowest processing.
         */
        public Builder processingLease(Duration lease) {
            Objects.requireNonNull(lease, "lease");
            if (lease.getSeconds() < 1) throw new IllegalArgumentException("the processing lease must be at least 1 second");
            this.processingLease = lease;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where accepted event ids are remembered. Default: in memory (one node); use a JDBC store for several. */
        public Builder replayGuard(SeenEventStore store) {
            this.replayGuard = Objects.requireNonNull(store, "store");
            this.replayGuardSet = true;
            return this;
        }

        /**
         * No replay guard: a delivery captured inside the tolerance window can be replayed until it expires.
         * Only for callers that deduplicate event ids themselves, durably.
         */
        public Builder withoutReplayGuard() {
            if (replayGuardSet) throw new IllegalStateException("a replay guard store was already configured");
            this.replayGuard = null;
            return this;
        }

        public WebhookVerifier build() {
            if (secrets.isEmpty() && publicKeys.isEmpty()) {
                throw new IllegalStateException("a WebhookVerifier needs at least one secret(...)");
            }
            long window = tolerance.getSeconds() + REPLAY_MARGIN_SECONDS;
            if (processingLease == null) {
                return new WebhookVerifier(this, Math.min(DEFAULT_PROCESSING_LEASE.getSeconds(), window));
            }
            if (processingLease.getSeconds() > window) {
                throw new IllegalArgumentException("the processing lease (" + processingLease.getSeconds() + " s) must not be "
                        + "longer than the replay window (tolerance + " + REPLAY_MARGIN_SECONDS + " s = " + window + " s)");
            }
            return new WebhookVerifier(this, processingLease.getSeconds());
        }
    }
}
