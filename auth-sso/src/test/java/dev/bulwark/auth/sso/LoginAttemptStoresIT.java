package dev.bulwark.auth.sso;

import dev.bulwark.testkit.MutableClock;

import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JDBC login-attempt store on real PostgreSQL and on H2, by the same tests, including a full OIDC flow. */
class LoginAttemptStoresIT {

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void attemptIsReturnedOnceWithEveryField(TestDatabase.Kind kind) {
        try (TestDatabase db = kind.open()) {
            SsoStoreSchema.create(db.dataSource());
            SsoStoreSchema.create(db.dataSource()); // idempotent
            LoginAttemptStoreContract.attemptIsReturnedOnceWithEveryField(new JdbcLoginAttemptStore(db.dataSource()));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void expiredAttemptIsNotReturnedAndIsPurged(TestDatabase.Kind kind) {
        try (TestDatabase db = kind.open()) {
            SsoStoreSchema.create(db.dataSource());
            LoginAttemptStoreContract.expiredAttemptIsNotReturnedAndIsPurged(new JdbcLoginAttemptStore(db.dataSource()));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void concurrentConsumersGetTheAttemptExactlyOnce(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = kind.open()) {
            SsoStoreSchema.create(db.dataSource());
            LoginAttemptStoreContract.concurrentConsumersGetTheAttemptExactlyOnce(new JdbcLoginAttemptStore(db.dataSource()));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void callbackCompletesOnAnotherNodeOnceAndReplayIsRejectedEverywhere(TestDatabase.Kind kind) throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (TestDatabase db = kind.open(); TestOidcProvider op = new TestOidcProvider(clock)) {
            SsoStoreSchema.create(db.dataSource());
            OidcProviderConfig config = op.config("ws_acme").build();
            TestMembers members = new TestMembers().add("ws_acme", "alice@example.com", "m_alice", "staff");
            OidcSignIn nodeA = node(db, op, config, members, clock);
            OidcSignIn nodeB = node(db, op, config, members, clock);

            SsoLoginStart start = nodeA.begin("ws_acme");
            Map<String, List<String>> callback = op.browse(start.authorizationUri());
            assertThat(nodeB.complete(callback, start.browserBinding()).memberId()).isEqualTo("m_alice");
            for (OidcSignIn node : List.of(nodeA, nodeB)) {
                assertThatThrownBy(() -> node.complete(callback, start.browserBinding()))
                        .isInstanceOfSatisfying(SsoRejected.class,
                                r -> assertThat(r.reason()).isEqualTo(SsoRejected.Reason.STATE_MISMATCH));
            }
        }
    }

    private static OidcSignIn node(TestDatabase db, TestOidcProvider op, OidcProviderConfig config, TestMembers members,
                                   MutableClock clock) {
        return OidcSignIn.builder().configurations(ws -> Optional.of(config))
                .clientSecrets((ws, id) -> SecretValue.of(TestOidcProvider.CLIENT_SECRET)).members(members)
                .attempts(new JdbcLoginAttemptStore(db.dataSource())).clock(clock)
                .tlsSocketFactory(op.tls.client.getSocketFactory()).build();
    }
}
