package dev.bulwark.webhook;

import org.junit.jupiter.api.Test;

class InMemorySeenEventStoreTest {
    @Test
    void inMemoryStoreKeepsTheSameContractAsTheJdbcOne() {
        SeenEventStoresIT.assertStoreContract(new InMemorySeenEventStore());
    }
}
