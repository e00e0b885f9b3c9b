package dev.bulwark.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * A webhook delivery whose signature, timestamp and (with a replay guard) novelty were checked. Only
 * {@link WebhookVerifier} creates one, so code that takes a {@code VerifiedEvent} cannot be handed an unverified
 * body. The raw JSON is exactly the bytes that were signed.
 */
public final class VerifiedEvent {
    private final WebhookScheme scheme;
    private final String id;
    private final String type;
    private final Instant created;
    private final Boolean livemode;
    private final String account;
    private final Instant signedAt;
    private final byte[] body;
    private final String json;
    /** The replay-guard claim this delivery holds, or null without a replay guard. Never shown. */
    final String claimant;
    /** True when {@link WebhookVerifier#verify} recorded the event as done at once (no lease to complete or release). */
    final boolean doneAtVerify;

    VerifiedEvent(WebhookScheme scheme, String id, String type, Instant created, Boolean livemode, String account,
                  Instant signedAt, byte[] body, String json, String claimant) {
        this(scheme, id, type, created, livemode, account, signedAt, body, json, claimant, false);
    }

    private VerifiedEvent(WebhookScheme scheme, String id, String type, Instant created, Boolean livemode, String account,
                          Instant signedAt, byte[] body, String json, String claimant, boolean doneAtVerify) {
        this.scheme = scheme;
        this.id = id;
        this.type = type;
        this.created = created;
        this.livemode = livemode;
        this.account = account;
        this.signedAt = signedAt;
        this.body = body;
        this.json = json;
        this.claimant = claimant;
        this.doneAtVerify = doneAtVerify;
    }

    /** This event, as {@link WebhookVerifier#verify} returns it after recording it as done. */
    VerifiedEvent recordedAsDone() {
        return new VerifiedEvent(scheme, id, type, created, livemode, account, signedAt, body, json, claimant, true);
    }

    public WebhookScheme scheme() {
        return scheme;
    }

    /** Stripe: the event id ({@code evt_...}). Standard Webhooks: the {@code webhook-id} header. */
    public String id() {
        return id;
    }

    /** The event type (e.g. {@code payment_intent.succeeded}); empty for a Standard Webhooks body without "type". */
    public String type() {
        return type;
    }

    /** When the event was created (Stripe's {@code created}); for Standard Webhooks the signed timestamp. */
    public Instant created() {
        return created;
    }

    /** Stripe's {@code livemode}; empty when the body has none. */
    public Optional<Boolean> livemode() {
        return Optional.ofNullable(livemode);
    }

    /** The connected account ({@code acct_...}) for Stripe Connect events; empty for platform events. */
    public Optional<String> account() {
        return Optional.ofNullable(account);
    }

    /** The timestamp in the signature header. */
    public Instant signedAt() {
        return signedAt;
    }

    /** The signed body as text (UTF-8). */
    public String json() {
        return json;
    }

    /** A copy of the signed body bytes. */
    public byte[] body() {
        return body.clone();
    }

    @Override
    public String toString() {
        return "VerifiedEvent[" + scheme + ", id=" + id + ", type=" + type + ", " + body.length + " bytes]";
    }

    static String utf8(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }
}
