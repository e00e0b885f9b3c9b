package dev.bulwark.webhook;

import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The replay guard through the JDBC store, on real PostgreSQL and on H2, by the same tests. */
class SeenEventStoresIT {
    static final String SECRET = "whsec_5f3c2a7d9e1b4c8a6f0d2e4b7a9c1e3f";
    static final long NOW = 1_763_900_000L;

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void replayedDeliveryToAnotherNodeIsADuplicate(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = kind.open()) {
            WebhookStoreSchema.create(db.dataSource());
            WebhookStoreSchema.create(db.dataSource());
            FixedClock clock = new FixedClock(NOW);
            WebhookVerifier nodeA = WebhookVerifier.stripe().secret(SECRET).clock(clock)
                    .replayGuard(new JdbcSeenEventStore(db.dataSource())).build();
            WebhookVerifier nodeB = WebhookVerifier.stripe().secret(SECRET).clock(clock)
                    .replayGuard(new JdbcSeenEventStore(db.dataSource())).build();
            byte[] body = Events.utf8(Events.stripeConnectEvent("evt_replay", NOW));
            HeaderLookup h = Events.headers("Stripe-Signature", WebhookSigner.stripe(SECRET).stripeHeader(NOW, body));

            VerifiedEvent first = nodeA.verify(h, body);
            try {
                nodeB.verify(h, body);
                throw new AssertionError("replay accepted");
            } catch (WebhookRejected r) {
                assertThat(r.reason()).isEqualTo(WebhookRejected.Reason.DUPLICATE);
            }
            nodeA.forget(first);
            assertThat(nodeB.verify(h, body).id()).isEqualTo("evt_replay");

            // After the tolerance the replay is refused by its timestamp, so the record can go.
            clock.set(NOW + 301);
            try {
                nodeA.verify(h, body);
                throw new AssertionError("stale replay accepted");
            } catch (WebhookRejected r) {
                assertThat(r.reason()).isEqualTo(WebhookRejected.Reason.TIMESTAMP_OUTSIDE_TOLERANCE);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void concurrentDeliveriesOfOneEventAreAcceptedExactlyOnce(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = kind.open()) {
            WebhookStoreSchema.create(db.dataSource());
            WebhookVerifier v = WebhookVerifier.standardWebhooks().secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                    .clock(new FixedClock(NOW)).replayGuard(new JdbcSeenEventStore(db.dataSource())).build();
            byte[] body = Events.utf8("{\"type\":\"booking.created\",\"data\":{}}");
            String sig = WebhookSigner.standardWebhooks("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                    .standardSignature("msg_once", NOW, body);
            HeaderLookup h = Events.headers("webhook-id", "msg_once", "webhook-timestamp", Long.toString(NOW),
                    "webhook-signature", sig);
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Boolean>> fs = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    fs.add(pool.submit(() -> {
                        go.await();
                        try {
                            v.verify(h, body);
                            return true;
                        } catch (WebhookRejected r) {
                            assertThat(r.reason()).isEqualTo(WebhookRejected.Reason.DUPLICATE);
                            return false;
                        }
                    }));
                }
                go.countDown();
                int accepted = 0;
                for (Future<Boolean> f : fs) if (f.get()) accepted++;
                assertThat(accepted).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void expiredRecordsAreTakenOverAndPurged(TestDatabase.Kind kind) {
        try (TestDatabase db = kind.open()) {
            WebhookStoreSchema.create(db.dataSource());
            assertStoreContract(new JdbcSeenEventStore(db.dataSource()));
        }
    }

    static void assertStoreContract(SeenEventStore store) {
        Instant now = Instant.ofEpochSecond(NOW);
        assertThat(store.firstSeen("stripe:evt_1", now.plusSeconds(360), now)).isTrue();
        assertThat(store.firstSeen("stripe:evt_1", now.plusSeconds(360), now.plusSeconds(10))).isFalse();
        assertThat(store.firstSeen("std:evt_1", now.plusSeconds(360), now)).isTrue();
        // once its keep-until has passed, the id is new again
        assertThat(store.firstSeen("stripe:evt_1", now.plusSeconds(900), now.plusSeconds(361))).isTrue();
        assertThat(store.firstSeen("stripe:evt_1", now.plusSeconds(900), now.plusSeconds(362))).isFalse();
        store.forget("stripe:evt_1");
        assertThat(store.firstSeen("stripe:evt_1", now.plusSeconds(100), now)).isTrue();
        assertThat(store.purgeExpired(now.plusSeconds(200))).isEqualTo(1);
        assertThat(store.purgeExpired(now.plusSeconds(400))).isEqualTo(1);
        assertThat(store.purgeExpired(now.plusSeconds(400))).isZero();
    }
}
