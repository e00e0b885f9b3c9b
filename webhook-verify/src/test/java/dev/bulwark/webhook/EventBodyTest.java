package dev.bulwark.webhook;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static dev.bulwark.webhook.WebhookRejected.Reason.*;
import static org.assertj.core.api.Assertions.assertThat;

/** What a correctly signed Stripe body must look like before it becomes a VerifiedEvent, and what the event exposes. */
class EventBodyTest {
    static final String SECRET = StripeWebhookTest.SECRET;
    static final long NOW = StripeWebhookTest.NOW;

    final WebhookVerifier verifier = WebhookVerifier.stripe().secret(SECRET).clock(new FixedClock(NOW))
            .withoutReplayGuard().build();
    final WebhookSigner signer = WebhookSigner.stripe(SECRET);

    VerifiedEvent accept(String json) throws WebhookRejected {
        byte[] body = Events.utf8(json);
        return verifier.verify(Events.headers("Stripe-Signature", signer.stripeHeader(NOW - 7, body)), body);
    }

    WebhookRejected rejection(String json) {
        try {
            accept(json);
        } catch (WebhookRejected r) {
            return r;
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void correctlySignedBodyThatIsNotStrictJsonIsMalformed() {
        // Lenient JSON readers accept these; another reader could then see a different event than we did.
        assertThat(rejection("{\"id\":\"evt_1\\'\",\"type\":\"invoice.paid\"}").reason()).isEqualTo(MALFORMED_PAYLOAD);
        assertThat(rejection("{\"id\":\"evt_\u00011\",\"type\":\"invoice.paid\"}").reason()).isEqualTo(MALFORMED_PAYLOAD);
        assertThat(rejection("{\"id\":\"evt_1\",\"type\":\"invoice.paid\"} trailing").reason()).isEqualTo(MALFORMED_PAYLOAD);
    }

    @Test
    void createdGivenAsAnIsoTimestampIsRead() throws Exception {
        VerifiedEvent e = accept("{\"id\":\"evt_v2\",\"type\":\"v1.billing.meter.error_report_triggered\","
                + "\"created\":\"2025-11-23T12:13:20.123Z\"}");
        assertThat(e.created()).isEqualTo(Instant.parse("2025-11-23T12:13:20.123Z"));
    }

    @Test
    void bodyWithoutAUsableCreatedFallsBackToTheSignedTime() throws Exception {
        VerifiedEvent nullCreated = accept("{\"id\":\"evt_a\",\"created\":null,\"type\":\"invoice.paid\"}");
        assertThat(nullCreated.created()).isEqualTo(Instant.ofEpochSecond(NOW - 7));
        VerifiedEvent objectCreated = accept("{\"id\":\"evt_b\",\"created\":{\"at\":1},\"type\":\"invoice.paid\"}");
        assertThat(objectCreated.created()).isEqualTo(objectCreated.signedAt());
        assertThat(rejection("{\"id\":\"evt_c\",\"created\":\"yesterday\",\"type\":\"invoice.paid\"}").reason())
                .isEqualTo(MALFORMED_PAYLOAD);
    }

    @Test
    void livemodeAndAccountOfTheWrongTypeAreAbsentNotGuessed() throws Exception {
        VerifiedEvent e = accept("{\"id\":\"evt_d\",\"livemode\":\"true\",\"account\":null,\"type\":\"invoice.paid\"}");
        assertThat(e.livemode()).isEmpty();
        assertThat(e.account()).isEmpty();
        VerifiedEvent numericAccount = accept("{\"id\":\"evt_e\",\"account\":42,\"livemode\":true,\"type\":\"x\"}");
        assertThat(numericAccount.account()).isEmpty();
        assertThat(numericAccount.livemode()).contains(true);
    }

    @Test
    void eventIdMustBeANonEmptyStringOfAtMost256Characters() throws Exception {
        String longest = "evt_" + "a".repeat(252);
        assertThat(accept("{\"id\":\"" + longest + "\",\"type\":\"x\"}").id()).isEqualTo(longest);
        assertThat(rejection("{\"id\":\"" + longest + "a\",\"type\":\"x\"}").reason()).isEqualTo(MALFORMED_PAYLOAD);
        assertThat(rejection("{\"id\":42,\"type\":\"x\"}").reason()).isEqualTo(MALFORMED_PAYLOAD);
        assertThat(rejection("{\"id\":\"\",\"type\":\"x\"}").reason()).isEqualTo(MALFORMED_PAYLOAD);
        assertThat(rejection("{\"id\":\"evt_f\",\"type\":null}").reason()).isEqualTo(MALFORMED_PAYLOAD);
    }

    @Test
    void bodyIsACopyOfTheSignedBytesThatCallersCannotAlter() throws Exception {
        String json = "{\"id\":\"evt_g\",\"type\":\"invoice.paid\",\"data\":{\"note\":\"caf\u00e9\"}}";
        VerifiedEvent e = accept(json);
        byte[] copy = e.body();
        assertThat(copy).isEqualTo(Events.utf8(json));
        copy[0] = 'X';
        assertThat(e.body()).isEqualTo(Events.utf8(json));
        assertThat(e.json()).isEqualTo(json);
    }
}
