package dev.bulwark.auth.sso;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The behaviour every LoginAttemptStore must have; run by the in-memory unit test and the JDBC IT alike. */
final class LoginAttemptStoreContract {
    private LoginAttemptStoreContract() {}

    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    static PendingLogin attempt(String state, Instant expires) {
        return new PendingLogin(OidcSignIn.sha256(state), "ws_1", OidcSignIn.sha256("binding-" + state), "nonce-" + state,
                "verifier-" + state + "-0123456789012345678901234567890123456789", "https://app.example/sso/callback", expires);
    }

    static void attemptIsReturnedOnceWithEveryField(LoginAttemptStore store) {
        PendingLogin a = attempt("s1", NOW.plusSeconds(600));
        store.save(a);
        Optional<PendingLogin> got = store.consume(a.stateHash(), NOW);
        assertThat(got).contains(a);
        assertThat(store.consume(a.stateHash(), NOW)).isEmpty();
        assertThat(store.consume(OidcSignIn.sha256("never-saved"), NOW)).isEmpty();
        assertThat(store.consume(null, NOW)).isEmpty();
    }

    static void expiredAttemptIsNotReturnedAndIsPurged(LoginAttemptStore store) {
        store.save(attempt("old", NOW.minusSeconds(1)));
        store.save(attempt("old2", NOW.minusSeconds(5)));
        store.save(attempt("fresh", NOW.plusSeconds(600)));
        assertThat(store.consume(OidcSignIn.sha256("old"), NOW)).isEmpty();
        assertThat(store.purgeExpired(NOW)).isEqualTo(1); // "old" was already consumed
        assertThat(store.consume(OidcSignIn.sha256("fresh"), NOW)).isPresent();
    }

    static void concurrentConsumersGetTheAttemptExactlyOnce(LoginAttemptStore store) throws Exception {
        PendingLogin a = attempt("race", NOW.plusSeconds(600));
        store.save(a);
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> fs = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                fs.add(pool.submit(() -> {
                    go.await();
                    return store.consume(a.stateHash(), NOW).isPresent();
                }));
            }
            go.countDown();
            int winners = 0;
            for (Future<Boolean> f : fs) if (f.get()) winners++;
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
