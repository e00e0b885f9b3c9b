package dev.bulwark.auth.sso;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryLoginAttemptStoreTest {
    @Test
    void attemptIsReturnedOnceWithEveryField() {
        LoginAttemptStoreContract.attemptIsReturnedOnceWithEveryField(new InMemoryLoginAttemptStore());
    }

    @Test
    void expiredAttemptIsNotReturnedAndIsPurged() {
        LoginAttemptStoreContract.expiredAttemptIsNotReturnedAndIsPurged(new InMemoryLoginAttemptStore());
    }

    @Test
    void concurrentConsumersGetTheAttemptExactlyOnce() throws Exception {
        LoginAttemptStoreContract.concurrentConsumersGetTheAttemptExactlyOnce(new InMemoryLoginAttemptStore());
    }

    @Test
    void floodOfAbandonedAttemptsIsCapped() {
        InMemoryLoginAttemptStore store = new InMemoryLoginAttemptStore(2);
        Instant later = Instant.now().plusSeconds(600);
        store.save(LoginAttemptStoreContract.attempt("a", later));
        store.save(LoginAttemptStoreContract.attempt("b", later));
        assertThatThrownBy(() -> store.save(LoginAttemptStoreContract.attempt("c", later))).isInstanceOf(SsoStoreException.class);
    }
}
