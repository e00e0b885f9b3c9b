package dev.bulwark.webhook;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.bulwark.webhook.SeenEventStore.Claim.CLAIMED;
import static dev.bulwark.webhook.WebhookRejected.Reason.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The timestamp window at its exact edges, and the replay guard for as long as a replay could pass that window. */
class ToleranceAndReplayTest {
    static final String SECRET = StripeWebhookTest.SECRET;
    static final long NOW = StripeWebhookTest.NOW;

    final FixedClock clock = new FixedClock(NOW);
    final WebhookSigner signer = WebhookSigner.stripe(SECRET);

    static byte[] event(String id) {
        return Events.utf8("{\"id\":\"" + id + "\",\"object\":\"event\",\"type\":\"charge.refunded\"}");
    }

    static WebhookRejected rejection(WebhookVerifier v, String header, byte[] body) {
        try {
            v.verify(Events.headers("Stripe-Signature", header), body);
        } catch (WebhookRejected r) {
            return r;
        }
        throw new AssertionError("accepted");
    }

    static VerifiedEvent accept(WebhookVerifier v, String header, byte[] body) throws WebhookRejected {
        return v.verify(Events.headers("Stripe-Signature", header), body);
    }

    @Test
    void toleranceBoundaryIsInclusiveInBothDirections() throws Exception {
        WebhookVerifier v = WebhookVerifier.stripe().secret(SECRET).clock(clock).withoutReplayGuard().build();
        byte[] body = event("evt_edge");
        assertThat(accept(v, signer.stripeHeader(NOW - 300, body), body).signedAt()).isEqualTo(Instant.ofEpochSecond(NOW - 300));
        assertThat(accept(v, signer.stripeHeader(NOW + 300, body), body).signedAt()).isEqualTo(Instant.ofEpochSecond(NOW + 300));
        assertThat(rejection(v, signer.stripeHeader(NOW - 301, body), body).skewSeconds()).hasValue(301);
        assertThat(rejection(v, signer.stripeHeader(NOW + 301, body), body).skewSeconds()).hasValue(-301);
    }

    @Test
    void outsideToleranceMessageSaysWhichWayTheClockIsOff() {
        WebhookVerifier v = WebhookVerifier.stripe().secret(SECRET).clock(clock).withoutReplayGuard().build();
        byte[] body = event("evt_skew");
        WebhookRejected old = rejection(v, signer.stripeHeader(NOW - 400, body), body);
        assertThat(old.reason()).isEqualTo(TIMESTAMP_OUTSIDE_TOLERANCE);
        assertThat(old.getMessage()).contains("but 400 s ago").contains("tolerance 300 s").contains("replayed old delivery")
                .doesNotContain("behind");
        WebhookRejected ahead = rejection(v, signer.stripeHeader(NOW + 400, body), body);
        assertThat(ahead.reason()).isEqualTo(TIMESTAMP_OUTSIDE_TOLERANCE);
        assertThat(ahead.getMessage()).contains("but 400 s in the future").contains("clock is behind")
                .doesNotContain("replayed");
    }

    @Test
    void toleranceMayBeConfiguredFromOneSecondToOneHourInclusive() throws Exception {
        byte[] body = event("evt_tol");
        WebhookVerifier strict = WebhookVerifier.stripe().secret(SECRET).clock(clock).withoutReplayGuard()
                .tolerance(Duration.ofSeconds(1)).build();
        accept(strict, signer.stripeHeader(NOW - 1, body), body);
        assertThat(rejection(strict, signer.stripeHeader(NOW - 2, body), body).reason()).isEqualTo(TIMESTAMP_OUTSIDE_TOLERANCE);

        WebhookVerifier widest = WebhookVerifier.stripe().secret(SECRET).clock(clock).withoutReplayGuard()
                .tolerance(WebhookVerifier.MAX_TOLERANCE).build();
        accept(widest, signer.stripeHeader(NOW - 3600, body), body);
        assertThat(rejection(widest, signer.stripeHeader(NOW - 3601, body), body).reason()).isEqualTo(TIMESTAMP_OUTSIDE_TOLERANCE);

        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMillis(999), Duration.ofSeconds(-5),
                Duration.ofHours(1).plusSeconds(1)}) {
            assertThatThrownBy(() -> WebhookVerifier.stripe().tolerance(bad)).as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void replayIsRefusedUntilTheLastSecondOfTheToleranceWindow() throws Exception {
        WebhookVerifier v = WebhookVerifier.stripe().secret(SECRET).clock(clock).build();
        byte[] body = event("evt_window");
        String header = signer.stripeHeader(NOW, body);
        v.completed(accept(v, header, body));
        // the captured delivery is still inside the tolerance 300 s later: the replay guard must still know it
        clock.set(NOW + 300);
        assertThat(rejection(v, header, body).reason()).isEqualTo(DUPLICATE);
        // one second later the timestamp check refuses it on its own
        clock.set(NOW + 301);
        assertThat(rejection(v, header, body).reason()).isEqualTo(TIMESTAMP_OUTSIDE_TOLERANCE);
    }

    @Test
    void replayOfADeliverySignedInTheFutureIsRefusedForAsLongAsItsTimestampPasses() throws Exception {
        WebhookVerifier v = WebhookVerifier.stripe().secret(SECRET).clock(clock).build();
        byte[] body = event("evt_ahead");
        String header = signer.stripeHeader(NOW + 300, body);   // the sender's clock is 5 minutes ahead
        v.completed(accept(v, header, body));
        clock.set(NOW + 600);                                     // still within 300 s of the signed time
        assertThat(rejection(v, header, body).reason()).isEqualTo(DUPLICATE);
    }

    @Test
    void differentEventsThroughOneVerifierAreAllAccepted() throws Exception {
        WebhookVerifier v = WebhookVerifier.stripe().secret(SECRET).clock(clock).build();
        for (String id : new String[] {"evt_1", "evt_2", "evt_3"}) {
            byte[] body = event(id);
            assertThat(accept(v, signer.stripeHeader(NOW, body), body).id()).isEqualTo(id);
        }
    }

    @Test
    void stripeAndStandardWebhooksSharingOneStoreDoNotTakeEachOthersIds() throws Exception {
        SeenEventStore shared = new InMemorySeenEventStore();
        WebhookVerifier stripe = WebhookVerifier.stripe().secret(SECRET).clock(clock).replayGuard(shared).build();
        WebhookVerifier standard = WebhookVerifier.standardWebhooks().secret(StandardWebhooksTest.SPEC_SECRET)
                .clock(clock).replayGuard(shared).build();
        byte[] body = event("evt_same");
        accept(stripe, signer.stripeHeader(NOW, body), body);
        String sig = WebhookSigner.standardWebhooks(StandardWebhooksTest.SPEC_SECRET).standardSignature("evt_same", NOW, body);
        assertThat(standard.verify(StandardWebhooksTest.headers("evt_same", NOW, sig), body).id()).isEqualTo("evt_same");
        assertThat(stripe.scheme()).isEqualTo(WebhookScheme.STRIPE);
        assertThat(standard.scheme()).isEqualTo(WebhookScheme.STANDARD_WEBHOOKS);
    }

    @Test
    void inMemoryStoreDropsExpiredIdsAsNewOnesArrive() {
        InMemorySeenEventStore store = new InMemorySeenEventStore();
        Instant t0 = Instant.ofEpochSecond(NOW);
        assertThat(store.claim("stripe:evt_old", "c", t0.plusSeconds(120), t0.plusSeconds(360), t0)).isEqualTo(CLAIMED);
        Instant later = t0.plusSeconds(1000);
        // a busy endpoint: the store purges as it goes, so expired ids do not pile up in memory
        for (int i = 1; i < 1024; i++) {
            assertThat(store.claim("stripe:evt_" + i, "c", later.plusSeconds(120), later.plusSeconds(360), later))
                    .isEqualTo(CLAIMED);
        }
        assertThat(store.purgeExpired(later)).isZero();
        // live ids were kept by that purge
        assertThat(store.claim("stripe:evt_1", "d", later.plusSeconds(120), later.plusSeconds(360), later))
                .isEqualTo(SeenEventStore.Claim.IN_PROGRESS);
    }
}
