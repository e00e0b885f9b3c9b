package dev.bulwark.webhook;

/** The signing scheme a {@link WebhookVerifier} checks. */
public enum WebhookScheme {
    /** Stripe: {@code Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">}, secret {@code whsec_...}. */
    STRIPE,
    /**
     * Standard Webhooks (standardwebhooks.com): {@code webhook-id}, {@code webhook-timestamp},
     * {@code webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, secret {@code whsec_<base64>};
     * optionally {@code v1a,<base64 Ed25519>} with a {@code whpk_} public key.
     */
    STANDARD_WEBHOOKS
}
