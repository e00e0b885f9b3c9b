package dev.bulwark.webhook;

import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.bulwark.webhook.SeenEventStore.Claim.CLAIMED;
import static dev.bulwark.webhook.SeenEventStore.Claim.DONE;
import static dev.bulwark.webhook.SeenEventStore.Claim.IN_PROGRESS;
import static org.assertj.core.api.Assertions.assertThat;

/** The replay guard through the JDBC store, on real PostgreSQL and on H2, by the same tests. */
class SeenEventStoresIT {
    static final String SECRET = "whsec_5f3c2a7d9e1b4c8a6f0d2e4b7a9c1e3f";
    static final long NOW = 1_763_900_000L;
    static final int THREADS = 16;

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void replayedDeliveryToAnotherNodeIsInProgressThenADuplicate(TestDatabase.Kind kind) throws Exception {
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

            VerifiedEvent first = nodeA.claim(h, body);
            assertThat(reason(nodeB, h, body)).as("node A is still processing").isEqualTo(WebhookRejected.Reason.IN_PROGRESS);
            nodeA.forget(first);
            VerifiedEvent second = nodeB.claim(h, body);
            assertThat(second.id()).isEqualTo("evt_replay");
            nodeB.completed(second);
            assertThat(reason(nodeA, h, body)).isEqualTo(WebhookRejected.Reason.DUPLICATE);

            // After the tolerance the replay is refused by its timestamp, so the record can go.
            clock.set(NOW + 301);
            assertThat(reason(nodeA, h, body)).isEqualTo(WebhookRejected.Reason.TIMESTAMP_OUTSIDE_TOLERANCE);
        }
    }

    static WebhookRejected.Reason reason(WebhookVerifier v, HeaderLookup h, byte[] body) {
        return Events.rejection(v, h, body).reason();
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
            List<Object> outcomes = atOnce(8, () -> {
                try {
                    return v.claim(h, body);
                } catch (WebhookRejected r) {
                    return r.reason();
                }
            });
            assertThat(outcomes.stream().filter(o -> o instanceof VerifiedEvent)).hasSize(1);
            assertThat(outcomes.stream().filter(o -> o == WebhookRejected.Reason.IN_PROGRESS)).hasSize(7);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void storeContractHoldsOnBothDatabases(TestDatabase.Kind kind) {
        try (TestDatabase db = kind.open()) {
            WebhookStoreSchema.create(db.dataSource());
            assertStoreContract(new JdbcSeenEventStore(db.dataSource()));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void manyThreadsClaimingOneEventOrTakingOverItsExpiredLeaseExactlyOneWins(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = kind.open()) {
            WebhookStoreSchema.create(db.dataSource());
            assertExactlyOneClaimWins(new JdbcSeenEventStore(db.dataSource()));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aTableFromBeforeTheInProgressStateIsUpgradedAndItsRowsCountAsDone(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = kind.open()) {
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                // the table as the previous release created it, with one event it had accepted
                s.execute("CREATE TABLE bulwark_webhook_seen (event_key VARCHAR(300) NOT NULL PRIMARY KEY, "
                        + "keep_until BIGINT NOT NULL)");
                s.execute("INSERT INTO bulwark_webhook_seen VALUES ('stripe:evt_before', " + (NOW + 360) + ")");
            }
            WebhookStoreSchema.create(db.dataSource());
            WebhookStoreSchema.create(db.dataSource());
            SeenEventStore store = new JdbcSeenEventStore(db.dataSource());
            Instant now = Instant.ofEpochSecond(NOW);
            assertThat(store.claim("stripe:evt_before", "a", now.plusSeconds(120), now.plusSeconds(360), now))
                    .isEqualTo(DONE);
            assertThat(store.claim("stripe:evt_after", "a", now.plusSeconds(120), now.plusSeconds(360), now))
                    .isEqualTo(CLAIMED);
            assertThat(store.claim("stripe:evt_after", "b", now.plusSeconds(120), now.plusSeconds(360), now))
                    .isEqualTo(IN_PROGRESS);
        }
    }

    /** The contract every {@link SeenEventStore} keeps (in memory, H2, PostgreSQL). */
    static void assertStoreContract(SeenEventStore store) {
        Instant now = Instant.ofEpochSecond(NOW);
        String k = "stripe:evt_1";
        assertThat(store.claim(k, "a", now.plusSeconds(120), now.plusSeconds(360), now)).isEqualTo(CLAIMED);
        assertThat(store.claim(k, "b", now.plusSeconds(130), now.plusSeconds(370), now.plusSeconds(10))).isEqualTo(IN_PROGRESS);
        assertThat(store.claim(k, "b", now.plusSeconds(240), now.plusSeconds(480), now.plusSeconds(120)))
                .as("the lease holds up to and including its last second").isEqualTo(IN_PROGRESS);
        assertThat(store.claim("std:evt_1", "a", now.plusSeconds(120), now.plusSeconds(360), now)).as("another key").isEqualTo(CLAIMED);
        // The holder died: after its lease the next delivery takes the event over.
        assertThat(store.claim(k, "b", now.plusSeconds(241), now.plusSeconds(300), now.plusSeconds(121))).isEqualTo(CLAIMED);
        store.release(k, "a");   // the dead holder's late release must not free b's claim
        assertThat(store.claim(k, "c", now.plusSeconds(242), now.plusSeconds(482), now.plusSeconds(122))).isEqualTo(IN_PROGRESS);
        store.release(k, "b");
        assertThat(store.claim(k, "c", now.plusSeconds(243), now.plusSeconds(483), now.plusSeconds(123))).isEqualTo(CLAIMED);
        store.complete(k);
        assertThat(store.claim(k, "d", now.plusSeconds(320), now.plusSeconds(560), now.plusSeconds(200))).isEqualTo(DONE);
        store.release(k, "c");   // a done record is not released
        // done is kept until the record's keep-until (483, the longest of its claims), lease or no lease
        assertThat(store.claim(k, "d", now.plusSeconds(603), now.plusSeconds(843), now.plusSeconds(483))).isEqualTo(DONE);
        assertThat(store.claim(k, "d", now.plusSeconds(604), now.plusSeconds(844), now.plusSeconds(484))).isEqualTo(CLAIMED);
        store.forget(k);         // an operator's forget drops even a claim
        assertThat(store.claim(k, "e", now.plusSeconds(605), now.plusSeconds(845), now.plusSeconds(485))).isEqualTo(CLAIMED);
        store.complete(k);
        store.forget(k);         // and a done record
        assertThat(store.claim(k, "f", now.plusSeconds(60), now.plusSeconds(300), now)).isEqualTo(CLAIMED);
        // a takeover never shortens how long the record is kept
        assertThat(store.claim(k, "g", now.plusSeconds(120), now.plusSeconds(200), now.plusSeconds(61))).isEqualTo(CLAIMED);
        store.complete(k);
        assertThat(store.claim(k, "h", now.plusSeconds(370), now.plusSeconds(610), now.plusSeconds(250))).isEqualTo(DONE);
        store.complete("stripe:evt_never");   // completing an unknown key records nothing
        assertThat(store.claim("stripe:evt_never", "a", now.plusSeconds(120), now.plusSeconds(360), now)).isEqualTo(CLAIMED);
        assertThat(store.purgeExpired(now.plusSeconds(300))).as("nothing before its keep-until").isZero();
        assertThat(store.purgeExpired(now.plusSeconds(301))).as("the record kept until 300").isEqualTo(1);
        assertThat(store.purgeExpired(now.plusSeconds(400))).as("std:evt_1 and evt_never").isEqualTo(2);
        assertThat(store.purgeExpired(now.plusSeconds(400))).isZero();
    }

    /** Many threads claim one key: one wins; later, many take over its expired lease: one wins; once done, all see it. */
    static void assertExactlyOneClaimWins(SeenEventStore store) throws Exception {
        Instant now = Instant.ofEpochSecond(NOW);
        List<Object> first = atOnce(THREADS, n -> store.claim("stripe:evt_race", "first-" + n, now.plusSeconds(120),
                now.plusSeconds(360), now));
        assertThat(first).filteredOn(o -> o == CLAIMED).hasSize(1);
        assertThat(first).filteredOn(o -> o == IN_PROGRESS).hasSize(THREADS - 1);
        Instant later = now.plusSeconds(121);
        List<Object> takeover = atOnce(THREADS, n -> store.claim("stripe:evt_race", "later-" + n, later.plusSeconds(120),
                later.plusSeconds(360), later));
        assertThat(takeover).filteredOn(o -> o == CLAIMED).hasSize(1);
        assertThat(takeover).filteredOn(o -> o == IN_PROGRESS).hasSize(THREADS - 1);
        store.complete("stripe:evt_race");
        List<Object> done = atOnce(THREADS, n -> store.claim("stripe:evt_race", "done-" + n, later.plusSeconds(130),
                later.plusSeconds(370), later.plusSeconds(10)));
        assertThat(done).containsOnly(DONE);
    }

    interface Attempt {
        Object run(int n) throws Exception;
    }

    interface Call {
        Object run() throws Exception;
    }

    static List<Object> atOnce(int threads, Call call) throws Exception {
        return atOnce(threads, n -> call.run());
    }

    /** Runs {@code threads} attempts released together; returns their outcomes. */
    static List<Object> atOnce(int threads, Attempt attempt) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Object>> fs = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                fs.add(pool.submit(() -> {
                    go.await();
                    return attempt.run(n);
                }));
            }
            go.countDown();
            List<Object> out = new ArrayList<>();
            for (Future<Object> f : fs) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
