package dev.bulwark.webhook;

import javax.crypto.Mac;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Produces signature headers exactly as the senders do: Stripe's {@code Stripe-Signature} (for testing your
 * endpoint with events you make up) and Standard Webhooks' {@code webhook-signature} (for sending webhooks).
 */
public final class WebhookSigner {
    private final WebhookScheme scheme;
    private final HmacKey key;

    private WebhookSigner(WebhookScheme scheme, HmacKey key) {
        this.scheme = scheme;
        this.key = key;
    }

    /** Signs as Stripe does, with a {@code whsec_} endpoint secret. */
    public static WebhookSigner stripe(String secret) {
        return new WebhookSigner(WebhookScheme.STRIPE, Secrets.stripe(secret));
    }

    /** Signs as Standard Webhooks does, with a {@code whsec_<base64>} secret. */
    public static WebhookSigner standardWebhooks(String secret) {
        return new WebhookSigner(WebhookScheme.STANDARD_WEBHOOKS, Secrets.standard(secret));
    }

    /** Stripe: the {@code Stripe-Signature} value {@code t=<timestamp>,v1=<hex>}. */
    public String stripeHeader(long timestampSeconds, byte[] body) {
        requireScheme(WebhookScheme.STRIPE);
        Objects.requireNonNull(body, "body");
        Mac mac = key.mac();
        mac.update((timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII));
        return "t=" + timestampSeconds + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    /** Standard Webhooks: the {@code webhook-signature} value {@code v1,<base64>}. */
    public String standardSignature(String id, long timestampSeconds, byte[] body) {
        requireScheme(WebhookScheme.STANDARD_WEBHOOKS);
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(body, "body");
        Mac mac = key.mac();
        mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    private void requireScheme(WebhookScheme expected) {
        if (scheme != expected) throw new IllegalStateException("this signer signs " + scheme);
    }

    @Override
    public String toString() {
        return "WebhookSigner[" + scheme + ", secret=<redacted>]";
    }
}
