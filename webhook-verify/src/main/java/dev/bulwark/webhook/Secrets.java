package dev.bulwark.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Turns configured secret strings into keys, refusing anything that is not a webhook secret of the scheme. */
final class Secrets {
    static final String WHSEC = "whsec_";
    static final int STANDARD_MIN_BYTES = 24;
    static final int STANDARD_MAX_BYTES = 64;
    static final int STRIPE_MIN_CHARS_AFTER_PREFIX = 16;

    private Secrets() {}

    static HmacKey stripe(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new InvalidWebhookSecretException(WebhookRejected.Reason.MALFORMED_SECRET, "the Stripe webhook secret is empty");
        }
        refuseApiKeys(secret, "Stripe");
        if (!secret.startsWith(WHSEC)) {
            throw new InvalidWebhookSecretException(WebhookRejected.Reason.NOT_A_WEBHOOK_SECRET,
                    "a Stripe webhook signing secret starts with 'whsec_'; copy it from the endpoint's page in the "
                            + "Stripe Dashboard (Developers > Webhooks) or from the output of 'stripe listen'");
        }
        String rest = secret.substring(WHSEC.length());
        if (rest.length() < STRIPE_MIN_CHARS_AFTER_PREFIX || !rest.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new InvalidWebhookSecretException(WebhookRejected.Reason.MALFORMED_SECRET,
                    "the Stripe webhook secret looks truncated or contains spaces; copy the whole whsec_ value");
        }
        // Stripe keys the HMAC with the whole secret string, prefix included.
        return new HmacKey(secret.getBytes(StandardCharsets.UTF_8));
    }

    static HmacKey standard(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new InvalidWebhookSecretException(WebhookRejected.Reason.MALFORMED_SECRET, "the webhook secret is empty");
        }
        refuseApiKeys(secret, "Standard Webhooks");
        String b64 = secret.startsWith(WHSEC) ? secret.substring(WHSEC.length()) : secret;
        byte[] key;
        try {
            key = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new InvalidWebhookSecretException(WebhookRejected.Reason.MALFORMED_SECRET,
                    "a Standard Webhooks secret is 'whsec_' followed by base64; this one is not valid base64");
        }
        if (key.length < STANDARD_MIN_BYTES || key.length > STANDARD_MAX_BYTES) {
            throw new InvalidWebhookSecretException(WebhookRejected.Reason.MALFORMED_SECRET,
                    "a Standard Webhooks secret must decode to " + STANDARD_MIN_BYTES + " to " + STANDARD_MAX_BYTES
                            + " bytes; this one decodes to " + key.length);
        }
        return new HmacKey(key);
    }

    private static void refuseApiKeys(String secret, String scheme) {
        String kind = null;
        if (secret.startsWith("sk_")) kind = "a secret API key (sk_...)";
        else if (secret.startsWith("rk_")) kind = "a restricted API key (rk_...)";
        else if (secret.startsWith("pk_")) kind = "a publishable API key (pk_...)";
        else if (secret.startsWith("whpk_")) kind = "a Standard Webhooks public key (whpk_...); pass it to publicKey(...)";
        else if (secret.startsWith("whsk_")) kind = "a Standard Webhooks signing (private) key (whsk_...), which only the sender needs";
        if (kind != null) {
            throw new InvalidWebhookSecretException(WebhookRejected.Reason.NOT_A_WEBHOOK_SECRET,
                    "this is " + kind + ", not a " + scheme + " webhook signing secret (whsec_...). "
                            + "Use the signing secret of the webhook endpoint, and keep API keys out of webhook configuration");
        }
    }
}
