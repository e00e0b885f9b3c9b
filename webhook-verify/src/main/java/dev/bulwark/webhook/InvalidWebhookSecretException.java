package dev.bulwark.webhook;

import java.util.Objects;

/**
 * A secret given to a {@link WebhookVerifier} builder cannot be a webhook signing secret of its scheme. The
 * message names the kind of key it looks like (from its public prefix only) and never echoes the secret.
 */
public final class InvalidWebhookSecretException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final WebhookRejected.Reason reason;

    InvalidWebhookSecretException(WebhookRejected.Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason);
    }

    /** {@link WebhookRejected.Reason#NOT_A_WEBHOOK_SECRET} or {@link WebhookRejected.Reason#MALFORMED_SECRET}. */
    public WebhookRejected.Reason reason() {
        return reason;
    }
}
