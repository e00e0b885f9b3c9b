package dev.bulwark.webhook;

import dev.bulwark.testkit.DataSources;
import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JDBC replay guard on in-memory H2, in the unit-test run (SeenEventStoresIT repeats the contract and the
 * concurrency test on PostgreSQL and H2 in the integration-test run).
 */
class JdbcSeenEventStoreTest {
    static final long NOW = SeenEventStoresIT.NOW;

    @Test
    void jdbcStoreKeepsTheSameContractAsTheInMemoryOne() {
        try (TestDatabase db = TestDatabase.h2()) {
            WebhookStoreSchema.create(db.dataSource());
            WebhookStoreSchema.create(db.dataSource()); // idempotent: safe on every start-up
            SeenEventStoresIT.assertStoreContract(new JdbcSeenEventStore(db.dataSource()));
        }
    }

    @Test
    void seenIdsAreCommittedEvenFromAPoolWhoseConnectionsDefaultToManualCommit() throws Exception {
        // e.g. HikariCP configured with autoCommit=false: an uncommitted insert is rolled back on close,
        // and the next node would accept the replay.
        DataSource manualCommit = manualCommitPool(
                "jdbc:h2:mem:m" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        WebhookStoreSchema.create(manualCommit);
        try (Connection c = manualCommit.getConnection()) {
            c.commit();
        }
        FixedClock clock = new FixedClock(NOW);
        WebhookVerifier nodeA = WebhookVerifier.stripe().secret(SeenEventStoresIT.SECRET).clock(clock)
                .replayGuard(new JdbcSeenEventStore(manualCommit)).build();
        WebhookVerifier nodeB = WebhookVerifier.stripe().secret(SeenEventStoresIT.SECRET).clock(clock)
                .replayGuard(new JdbcSeenEventStore(manualCommit)).build();
        byte[] body = Events.utf8(Events.stripeConnectEvent("evt_pool", NOW));
        HeaderLookup h = Events.headers("Stripe-Signature", WebhookSigner.stripe(SeenEventStoresIT.SECRET).stripeHeader(NOW, body));
        VerifiedEvent first = nodeA.claim(h, body);
        assertThat(SeenEventStoresIT.reason(nodeB, h, body)).as("the claim was committed")
                .isEqualTo(WebhookRejected.Reason.IN_PROGRESS);
        nodeA.completed(first);
        assertThat(SeenEventStoresIT.reason(nodeB, h, body)).as("so was its completion")
                .isEqualTo(WebhookRejected.Reason.DUPLICATE);
        nodeA.forget(first);   // no effect on a done event, but it must not fail on such a pool either
        assertThat(SeenEventStoresIT.reason(nodeB, h, body)).isEqualTo(WebhookRejected.Reason.DUPLICATE);
        new JdbcSeenEventStore(manualCommit).forget("stripe:evt_pool");
        VerifiedEvent again = nodeB.claim(h, body);
        nodeB.forget(again);
        assertThat(nodeA.verify(h, body).id()).as("an operator's forget and a release were committed").isEqualTo("evt_pool");
        assertThat(new JdbcSeenEventStore(manualCommit).purgeExpired(java.time.Instant.ofEpochSecond(NOW + 1000))).isEqualTo(1);
        assertThat(new JdbcSeenEventStore(manualCommit).purgeExpired(java.time.Instant.ofEpochSecond(NOW + 1000)))
                .as("the purge was committed").isZero();
        try (Connection c = manualCommit.getConnection()) {
            c.createStatement().execute("SHUTDOWN");
        }
    }

    @Test
    void manyThreadsClaimingOneEventOrTakingOverItsExpiredLeaseExactlyOneWins() throws Exception {
        try (TestDatabase db = TestDatabase.h2()) {
            WebhookStoreSchema.create(db.dataSource());
            SeenEventStoresIT.assertExactlyOneClaimWins(new JdbcSeenEventStore(db.dataSource()));
        }
    }

    @Test
    void aStoreThatCannotBeWrittenSaysWhichOperationFailed() {
        try (TestDatabase db = TestDatabase.h2()) {   // no table
            JdbcSeenEventStore store = new JdbcSeenEventStore(db.dataSource());
            java.time.Instant now = java.time.Instant.ofEpochSecond(NOW);
            assertThatThrownBy(() -> store.complete("k")).isInstanceOf(WebhookStoreException.class)
                    .hasMessageStartingWith("cannot mark a webhook event done");
            assertThatThrownBy(() -> store.release("k", "c")).isInstanceOf(WebhookStoreException.class)
                    .hasMessageStartingWith("cannot release a webhook event");
            assertThatThrownBy(() -> store.forget("k")).isInstanceOf(WebhookStoreException.class)
                    .hasMessageStartingWith("cannot forget a webhook event id");
            assertThatThrownBy(() -> store.purgeExpired(now)).isInstanceOf(WebhookStoreException.class)
                    .hasMessageStartingWith("cannot purge webhook event ids");
        }
    }

    @Test
    void aReplayGuardThatCannotRecordFailsTheDeliveryInsteadOfAcceptingIt() throws Exception {
        try (TestDatabase db = TestDatabase.h2()) {   // no table: the store cannot record anything
            WebhookVerifier v = WebhookVerifier.stripe().secret(SeenEventStoresIT.SECRET).clock(new FixedClock(NOW))
                    .replayGuard(new JdbcSeenEventStore(db.dataSource())).build();
            byte[] body = Events.utf8(Events.stripeConnectEvent("evt_down", NOW));
            HeaderLookup h = Events.headers("Stripe-Signature", WebhookSigner.stripe(SeenEventStoresIT.SECRET).stripeHeader(NOW, body));
            assertThatThrownBy(() -> v.verify(h, body)).isInstanceOf(WebhookStoreException.class)
                    .hasMessageContaining("cannot record a webhook event id");
        }
    }

    /** Connections that start with autoCommit off, as a pool configured that way hands them out. */
    static DataSource manualCommitPool(String url) {
        return DataSources.from(() -> {
            Connection c = DriverManager.getConnection(url);
            c.setAutoCommit(false);
            return c;
        });
    }
}
