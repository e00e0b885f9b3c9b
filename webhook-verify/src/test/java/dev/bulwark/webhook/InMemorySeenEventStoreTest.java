package dev.bulwark.webhook;

import org.junit.jupiter.api.Test;

class InMemorySeenEventStoreTest {
    @Test
    void inMemoryStoreKeepsTheSameContractAsTheJdbcOne() {
        SeenEventStoresIT.assertStoreContract(new InMemorySeenEventStore());
    }

    @Test
    void manyThreadsClaimingOneEventOrTakingOverItsExpiredLeaseExactlyOneWins() throws Exception {
        SeenEventStoresIT.assertExactlyOneClaimWins(new InMemorySeenEventStore());
    }
}
