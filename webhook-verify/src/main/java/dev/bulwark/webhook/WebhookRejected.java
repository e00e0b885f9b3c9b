package dev.bulwark.webhook;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A webhook delivery was not accepted. {@link #reason()} is machine-readable; the message tells the integrator
 * what to check and never contains a secret, an expected signature or the body.
 *
 * <p>No stack trace is captured: rejections are expected, and a forged delivery must stay cheap to refuse.
 */
public final class WebhookRejected extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a delivery (or a configured secret) was rejected. */
    public enum Reason {
        /** A signature header is absent. */
        MISSING_HEADER,
        /** A header is present but not in the scheme's format. */
        MALFORMED_HEADER,
        /** The signature header has no signature of the version we verify (Stripe v1, Standard Webhooks v1/v1a). */
        NO_V1_SIGNATURE,
        /** Correctly signed, but the signed timestamp is further from now than the tolerance, either way. */
        TIMESTAMP_OUTSIDE_TOLERANCE,
        /** No signature in the header matches the body under any configured secret. */
        NO_SIGNATURE_MATCHED,
        /** The request body is empty. */
        EMPTY_BODY,
        /** Correctly signed, but the body is not the event JSON the scheme promises (e.g. no id). */
        MALFORMED_PAYLOAD,
        /** Correctly signed, and this event was already processed within the replay window. Answer 2xx, do not act. */
        DUPLICATE,
        /** Configuration: the secret is not a webhook signing secret (e.g. an sk_/rk_/pk_ API key). */
        NOT_A_WEBHOOK_SECRET,
        /** Configuration: the secret is malformed or too short for its scheme. */
        MALFORMED_SECRET,
        /**
         * Correctly signed, but another delivery of this event is being processed under an unexpired lease. Do not
         * act; answer a non-2xx (409) so the sender retries later: should that processing fail or its node die, the
         * retry is processed.
         */
        IN_PROGRESS
        // New reasons go last: callers may have stored ordinals.
    }

    private final Reason reason;
    private final Long skewSeconds;

    WebhookRejected(Reason reason, String message) {
        this(reason, message, null);
    }

    WebhookRejected(Reason reason, String message, Long skewSeconds) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason);
        this.skewSeconds = skewSeconds;
    }

    public Reason reason() {
        return reason;
    }

    /**
     * For {@link Reason#TIMESTAMP_OUTSIDE_TOLERANCE}: now minus the signed timestamp, in seconds (positive: the
     * delivery is old; negative: it is from the future, so this server's clock is probably behind).
     */
    public OptionalLong skewSeconds() {
        return skewSeconds == null ? OptionalLong.empty() : OptionalLong.of(skewSeconds);
    }

    /**
     * The HTTP status to answer with: 200 for a duplicate (so the sender stops retrying), 409 for an event still in
     * progress elsewhere (so the sender retries later), 400 otherwise.
     */
    public int suggestedHttpStatus() {
        return switch (reason) {
            case DUPLICATE -> 200;
            case IN_PROGRESS -> 409;
            default -> 400;
        };
    }
}
