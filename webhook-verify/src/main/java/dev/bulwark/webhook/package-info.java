/**
 * Webhook verification before any parsing: Stripe's {@code Stripe-Signature} and the Standard Webhooks scheme
 * through one entry type, {@link dev.bulwark.webhook.WebhookVerifier}, which returns a
 * {@link dev.bulwark.webhook.VerifiedEvent} or a {@link dev.bulwark.webhook.WebhookRejected} with a reason.
 *
 * <p>The replay guard tells an event <em>in progress</em> (claimed by a delivery under a processing lease: another
 * delivery is {@code IN_PROGRESS}, answer 409) from one <em>done</em> (a delivery is {@code DUPLICATE}, answer 200).
 * {@link dev.bulwark.webhook.WebhookVerifier#handle} verifies, runs your handler, and marks the event done or
 * releases it, so neither step can be forgotten.
 */
package dev.bulwark.webhook;
