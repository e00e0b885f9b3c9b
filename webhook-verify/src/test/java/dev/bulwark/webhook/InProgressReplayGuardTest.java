package dev.bulwark.webhook;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.bulwark.webhook.WebhookRejected.Reason.DUPLICATE;
import static dev.bulwark.webhook.WebhookRejected.Reason.IN_PROGRESS;
import static dev.bulwark.webhook.Events.rejection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The replay guard's two states: a delivery while another is processed is IN_PROGRESS (the sender must retry), a
 * delivery of a processed event is DUPLICATE (acknowledge), and an event whose holder died or failed is processed again.
 */
class InProgressReplayGuardTest {
    static final String SECRET = StripeWebhookTest.SECRET;
    static final long NOW = StripeWebhookTest.NOW;

    final FixedClock clock = new FixedClock(NOW);
    final WebhookSigner signer = WebhookSigner.stripe(SECRET);
    final InMemorySeenEventStore store = new InMemorySeenEventStore();
    final byte[] body = ToleranceAndReplayTest.event("evt_lease");

    WebhookVerifier.Builder verifier() {
        return WebhookVerifier.stripe().secret(SECRET).clock(clock).replayGuard(store);
    }

    /** A delivery as Stripe sends it at the clock's current time (each retry is signed afresh). */
    HeaderLookup delivery() {
        return Events.headers("Stripe-Signature", signer.stripeHeader(clock.instant().getEpochSecond(), body));
    }

    @Test
    void aDeliveryWhileAnotherIsProcessedIsInProgressAndAsksTheSenderToRetry() throws Exception {
        WebhookVerifier v = verifier().build();
        v.claim(delivery(), body);
        WebhookRejected r = rejection(v, delivery(), body);
        assertThat(r.reason()).isEqualTo(IN_PROGRESS);
        assertThat(r.suggestedHttpStatus()).isEqualTo(409);
        assertThat(r.getMessage()).contains("evt_lease").contains("409").contains("retries later").contains("120 s lease")
                .doesNotContain(SECRET.substring(6)).doesNotContain("charge.refunded");
    }

    @Test
    void verifyRecordsTheEventAsDoneAtOnceSoNoLeaseEverLetsAReplayThrough() throws Exception {
        WebhookVerifier v = verifier().build();
        VerifiedEvent ev = v.verify(delivery(), body);   // a caller that never calls completed()
        assertThat(rejection(v, delivery(), body).reason()).as("at once, not in progress").isEqualTo(WebhookRejected.Reason.DUPLICATE);
        clock.set(NOW + 200);                            // after the lease, within the replay window
        assertThat(rejection(v, delivery(), body).reason()).isEqualTo(WebhookRejected.Reason.DUPLICATE);
        v.completed(ev);                                 // no effect: already done
        assertThat(rejection(v, delivery(), body).reason()).isEqualTo(WebhookRejected.Reason.DUPLICATE);
        v.forget(ev);                                    // processing failed: the sender's retry is accepted
        assertThat(v.verify(delivery(), body).id()).isEqualTo("evt_lease");
    }

    @Test
    void aDeliveryOfACompletedEventIsADuplicateToAcknowledge() throws Exception {
        WebhookVerifier v = verifier().build();
        v.completed(v.claim(delivery(), body));
        clock.set(NOW + 200);   // long after the lease: a done event is never processed again within the window
        WebhookRejected r = rejection(v, delivery(), body);
        assertThat(r.reason()).isEqualTo(DUPLICATE);
        assertThat(r.suggestedHttpStatus()).isEqualTo(200);
        assertThat(r.getMessage()).contains("evt_lease").contains("already processed").contains("2xx");
    }

    @Test
    void aReleasedClaimIsProcessedByTheNextDelivery() throws Exception {
        WebhookVerifier v = verifier().build();
        v.forget(v.claim(delivery(), body));
        assertThat(v.claim(delivery(), body).id()).isEqualTo("evt_lease");
    }

    @Test
    void whenTheHolderDiesTheNextDeliveryAfterItsLeaseIsProcessed() throws Exception {
        WebhookVerifier nodeA = verifier().processingLease(Duration.ofSeconds(30)).build();
        WebhookVerifier nodeB = verifier().processingLease(Duration.ofSeconds(30)).build();
        VerifiedEvent dead = nodeA.claim(delivery(), body);          // node A never finishes
        clock.set(NOW + 30);
        assertThat(rejection(nodeB, delivery(), body).reason()).as("the last second of the lease").isEqualTo(IN_PROGRESS);
        clock.set(NOW + 31);
        VerifiedEvent taken = nodeB.claim(delivery(), body);
        nodeA.forget(dead);                                           // a late release by the old holder changes nothing
        assertThat(rejection(nodeA, delivery(), body).reason()).isEqualTo(IN_PROGRESS);
        nodeB.completed(taken);
        assertThat(rejection(nodeA, delivery(), body).reason()).isEqualTo(DUPLICATE);
    }

    @Test
    void theDefaultLeaseIsTwoMinutes() throws Exception {
        WebhookVerifier v = verifier().build();
        v.claim(delivery(), body);
        clock.set(NOW + 120);
        assertThat(rejection(v, delivery(), body).reason()).isEqualTo(IN_PROGRESS);
        clock.set(NOW + 121);
        assertThat(v.claim(delivery(), body).id()).isEqualTo("evt_lease");
        assertThat(v.toString()).contains("lease 120 s");
    }

    @Test
    void withAShortToleranceTheDefaultLeaseIsTheWholeReplayWindow() throws Exception {
        WebhookVerifier v = verifier().tolerance(Duration.ofSeconds(1)).build();   // window 1 + 60 s
        assertThat(v.toString()).contains("lease 61 s");
        v.claim(delivery(), body);
        clock.set(NOW + 61);
        assertThat(rejection(v, delivery(), body).reason()).isEqualTo(IN_PROGRESS);
        clock.set(NOW + 62);
        assertThat(v.claim(delivery(), body).id()).isEqualTo("evt_lease");
    }

    @Test
    void theLeaseMustBePositiveAndNoLongerThanTheReplayWindow() throws Exception {
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMillis(999), Duration.ofSeconds(-1)}) {
            assertThatThrownBy(() -> verifier().processingLease(bad)).as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 second");
        }
        assertThatThrownBy(() -> verifier().processingLease(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> verifier().processingLease(Duration.ofSeconds(361)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("361 s").hasMessageContaining("360 s");
        assertThatThrownBy(() -> verifier().tolerance(Duration.ofSeconds(10)).processingLease(Duration.ofSeconds(71)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replay window");
        WebhookVerifier widest = verifier().processingLease(Duration.ofSeconds(360)).build();
        widest.claim(delivery(), body);
        clock.set(NOW + 360);
        assertThat(rejection(widest, delivery(), body).reason()).isEqualTo(IN_PROGRESS);
        WebhookVerifier shortest = verifier().processingLease(Duration.ofSeconds(1)).build();
        clock.set(NOW + 362);
        shortest.claim(delivery(), body);
        clock.set(NOW + 363);
        assertThat(rejection(shortest, delivery(), body).reason()).isEqualTo(IN_PROGRESS);
        clock.set(NOW + 364);
        assertThat(shortest.claim(delivery(), body).id()).isEqualTo("evt_lease");
    }

    @Test
    void handleMarksTheEventDoneWhenTheHandlerReturns() throws Exception {
        WebhookVerifier v = verifier().build();
        AtomicInteger runs = new AtomicInteger();
        String result = v.handle(delivery(), body, ev -> {
            runs.incrementAndGet();
            assertThat(rejection(v, delivery(), body).reason()).as("while it runs").isEqualTo(IN_PROGRESS);
            return "acted on " + ev.id();
        });
        assertThat(result).isEqualTo("acted on evt_lease");
        clock.set(NOW + 200);
        assertThatThrownBy(() -> v.handle(delivery(), body, ev -> runs.incrementAndGet()))
                .isInstanceOfSatisfying(WebhookRejected.class, r -> assertThat(r.reason()).isEqualTo(DUPLICATE));
        assertThat(runs).hasValue(1);
    }

    @Test
    void handleReleasesTheClaimWhenTheHandlerThrowsSoTheRetryIsProcessed() throws Exception {
        WebhookVerifier v = verifier().build();
        IOException failure = new IOException("the database is down");
        assertThatThrownBy(() -> v.handle(delivery(), body, ev -> {
            throw failure;
        })).isSameAs(failure);
        IllegalStateException bug = new IllegalStateException("bug");
        assertThatThrownBy(() -> v.handle(delivery(), body, ev -> {
            throw bug;
        })).isSameAs(bug);
        assertThat(v.handle(delivery(), body, VerifiedEvent::id)).as("the retry is processed at once").isEqualTo("evt_lease");
        assertThat(rejection(v, delivery(), body).reason()).isEqualTo(DUPLICATE);
    }

    @Test
    void aReleaseThatFailsIsAttachedToTheHandlersFailureAndTheLeaseStillEnds() throws Exception {
        SeenEventStore broken = new DelegatingStore(store) {
            @Override
            public void release(String key, String claimant) {
                throw new WebhookStoreException("cannot release a webhook event: down", null);
            }
        };
        WebhookVerifier v = WebhookVerifier.stripe().secret(SECRET).clock(clock).replayGuard(broken).build();
        IllegalStateException failure = new IllegalStateException("processing failed");
        assertThatThrownBy(() -> v.handle(delivery(), body, ev -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(failure.getSuppressed()).singleElement().isInstanceOf(WebhookStoreException.class);
        assertThat(rejection(v, delivery(), body).reason()).isEqualTo(IN_PROGRESS);
        clock.set(NOW + 121);
        assertThat(v.handle(delivery(), body, VerifiedEvent::id)).isEqualTo("evt_lease");
    }

    @Test
    void handleDoesNotRunTheHandlerForARejectedDelivery() throws Exception {
        WebhookVerifier v = verifier().build();
        v.claim(delivery(), body);
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(() -> v.handle(delivery(), body, ev -> runs.incrementAndGet()))
                .isInstanceOfSatisfying(WebhookRejected.class, r -> assertThat(r.reason()).isEqualTo(IN_PROGRESS));
        assertThatThrownBy(() -> v.handle(delivery(), body, null)).isInstanceOf(NullPointerException.class);
        assertThat(runs).hasValue(0);
    }

    @Test
    void withoutAReplayGuardCompletedAndForgetAreNoOps() throws Exception {
        WebhookVerifier v = WebhookVerifier.stripe().secret(SECRET).clock(clock).withoutReplayGuard().build();
        VerifiedEvent ev = v.claim(delivery(), body);
        v.completed(ev);
        v.forget(ev);
        assertThat(v.handle(delivery(), body, VerifiedEvent::id)).isEqualTo("evt_lease");
        assertThat(v.toString()).contains("no replay guard").doesNotContain("lease");
        assertThatThrownBy(() -> v.completed(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> v.forget(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void anEventFromAVerifierWithoutGuardDoesNotTouchAGuardedStore() throws Exception {
        WebhookVerifier guarded = verifier().build();
        WebhookVerifier unguarded = WebhookVerifier.stripe().secret(SECRET).clock(clock).withoutReplayGuard().build();
        guarded.claim(delivery(), body);
        VerifiedEvent other = unguarded.claim(delivery(), body);
        guarded.completed(other);   // carries no claim: must not mark the event done
        assertThat(rejection(guarded, delivery(), body).reason()).isEqualTo(IN_PROGRESS);
        store.forget("stripe:evt_lease");
        assertThat(store.claim("stripe:evt_lease", "x", Instant.ofEpochSecond(NOW + 1), Instant.ofEpochSecond(NOW + 2),
                Instant.ofEpochSecond(NOW))).isEqualTo(SeenEventStore.Claim.CLAIMED);
    }

    /** Forwards everything to another store, so a test can break one operation. */
    static class DelegatingStore implements SeenEventStore {
        private final SeenEventStore d;

        DelegatingStore(SeenEventStore d) {
            this.d = d;
        }

        @Override
        public Claim claim(String key, String claimant, Instant leaseUntil, Instant keepUntil, Instant now) {
            return d.claim(key, claimant, leaseUntil, keepUntil, now);
        }

        @Override
        public void complete(String key) {
            d.complete(key);
        }

        @Override
        public void release(String key, String claimant) {
            d.release(key, claimant);
        }

        @Override
        public void forget(String key) {
            d.forget(key);
        }

        @Override
        public int purgeExpired(Instant now) {
            return d.purgeExpired(now);
        }
    }
}
