/**
 * Webhook verification before any parsing: Stripe's {@code Stripe-Signature} and the Standard Webhooks scheme
 * through one entry type, {@link dev.bulwark.webhook.WebhookVerifier}, which returns a
 * {@link dev.bulwark.webhook.VerifiedEvent} or a {@link dev.bulwark.webhook.WebhookRejected} with a reason.
 */
package dev.bulwark.webhook;
