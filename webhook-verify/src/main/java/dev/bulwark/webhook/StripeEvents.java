package dev.bulwark.webhook;

import com.stripe.model.Event;
import com.stripe.net.ApiResource;

import java.util.Objects;

/**
 * Optional convenience for stripe-java users (stripe-java is an optional dependency: add it to your project to
 * use this class). Turns an already verified Stripe event into stripe-java's {@link Event} model.
 */
public final class StripeEvents {
    private StripeEvents() {}

    /** The verified event as stripe-java's model, deserialised exactly as stripe-java does. */
    public static Event toStripeEvent(VerifiedEvent event) {
        Objects.requireNonNull(event, "event");
        if (event.scheme() != WebhookScheme.STRIPE) {
            throw new IllegalArgumentException("not a Stripe event: " + event.scheme());
        }
        return ApiResource.GSON.fromJson(event.json(), Event.class);
    }
}
