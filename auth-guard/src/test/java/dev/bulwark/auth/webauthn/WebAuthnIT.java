package dev.bulwark.auth.webauthn;

import dev.bulwark.auth.Backing;
import dev.bulwark.testkit.MutableClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.bulwark.auth.webauthn.WebAuthnRejected.Reason;
import static org.assertj.core.api.Assertions.assertThat;

/** Ceremonies on the in-memory, H2 and PostgreSQL stores: round trip, single use, counters, ownership. */
class WebAuthnIT {
    static final String ORIGIN = WebAuthnRelyingPartyTest.ORIGIN;

    static final class Rig implements AutoCloseable {
        final Backing.Opened opened;
        final MutableClock clock = MutableClock.at("2026-06-01T12:00:00Z");
        final WebAuthnStore store;
        final WebAuthnRelyingParty rp;

        Rig(Backing backing) {
            opened = backing.open();
            store = opened.inMemory() ? new InMemoryWebAuthnStore() : new JdbcWebAuthnStore(opened.dataSource());
            rp = WebAuthnRelyingParty.builder().relyingParty(WebAuthnRelyingPartyTest.RP, "Acme").origin(ORIGIN).clock(clock).store(store).build();
        }

        @Override
        public void close() {
            opened.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void registeredKeySignsInAndEachChallengeWorksOnce(Backing backing) throws Exception {
        try (Rig r = new Rig(backing)) {
            SoftwareAuthenticator key = new SoftwareAuthenticator();
            WebAuthnCredential c = r.rp.finishRegistration("ann", "Blue key", key.register(r.rp.startRegistration("ann", "ann"), ORIGIN).json());
            assertThat(r.store.findCredential(c.credentialId())).contains(c);
            String json = key.assertion(r.rp.startAuthentication("ann"), ORIGIN).json();
            assertThat(r.rp.finishAuthentication("ann", json).credential().signCount()).isEqualTo(1);
            assertThat(WebAuthnRelyingPartyTest.reasonOf(() -> r.rp.finishAuthentication("ann", json))).isEqualTo(Reason.CHALLENGE_UNKNOWN);
            WebAuthnCredential after = r.rp.credentials("ann").get(0);
            assertThat(after.signCount()).isEqualTo(1);
            assertThat(after.lastUsedAt()).isEqualTo(r.clock.instant());
            // Expired challenges are refused and purged.
            String late = r.rp.startAuthentication("ann");
            r.clock.advance(Duration.ofMinutes(6));
            assertThat(WebAuthnRelyingPartyTest.reasonOf(() -> r.rp.finishAuthentication("ann", key.assertion(late, ORIGIN).json())))
                    .isEqualTo(Reason.CHALLENGE_UNKNOWN);
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void aNewStartReplacesTheUsersOutstandingChallengeOfThatCeremonyOnly(Backing backing) throws Exception {
        try (Rig r = new Rig(backing)) {
            SoftwareAuthenticator key = new SoftwareAuthenticator();
            String firstRegistration = r.rp.startRegistration("ann", "ann");
            r.rp.finishRegistration("ann", "k", key.register(r.rp.startRegistration("ann", "ann"), ORIGIN).json());
            assertThat(WebAuthnRelyingPartyTest.reasonOf(() -> r.rp.finishRegistration("ann", "k2",
                    new SoftwareAuthenticator().register(firstRegistration, ORIGIN).json()))).isEqualTo(Reason.CHALLENGE_UNKNOWN);
            // Starting sign-ins, however often, leaves one challenge per user and ceremony; another user's is untouched.
            String bobs = r.rp.startAuthentication("bob");
            String stale = r.rp.startAuthentication("ann");
            for (int i = 0; i < 20; i++) r.rp.startAuthentication("ann");
            String current = r.rp.startAuthentication("ann");
            assertThat(WebAuthnRelyingPartyTest.reasonOf(() -> r.rp.finishAuthentication("ann", key.assertion(stale, ORIGIN).json())))
                    .isEqualTo(Reason.CHALLENGE_UNKNOWN);
            assertThat(r.rp.finishAuthentication("ann", key.assertion(current, ORIGIN).json()).credential().signCount())
                    .as("the key signed twice: the refused stale assertion and this one").isEqualTo(2);
            assertThat(WebAuthnRelyingPartyTest.reasonOf(() -> r.rp.finishAuthentication("bob", key.assertion(bobs, ORIGIN).json())))
                    .as("bob's challenge is still there; only the key is foreign").isNotEqualTo(Reason.CHALLENGE_UNKNOWN);
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void concurrentUsesOfOneChallengeSucceedOnce(Backing backing) throws Exception {
        try (Rig r = new Rig(backing)) {
            SoftwareAuthenticator key = new SoftwareAuthenticator();
            r.rp.finishRegistration("ann", "k", key.register(r.rp.startRegistration("ann", "ann"), ORIGIN).json());
            String json = key.assertion(r.rp.startAuthentication("ann"), ORIGIN).json();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    results.add(pool.submit(() -> {
                        try {
                            r.rp.finishAuthentication("ann", json);
                            return true;
                        } catch (WebAuthnRejected e) {
                            return false;
                        }
                    }));
                }
                int ok = 0;
                for (Future<Boolean> f : results) if (f.get()) ok++;
                assertThat(ok).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void keysBelongToTheirOwner(Backing backing) throws Exception {
        try (Rig r = new Rig(backing)) {
            SoftwareAuthenticator annKey = new SoftwareAuthenticator();
            SoftwareAuthenticator bobKey = new SoftwareAuthenticator();
            WebAuthnCredential ann = r.rp.finishRegistration("ann", "a", annKey.register(r.rp.startRegistration("ann", "ann"), ORIGIN).json());
            r.rp.finishRegistration("bob", "b", bobKey.register(r.rp.startRegistration("bob", "bob"), ORIGIN).json());
            assertThat(WebAuthnRelyingPartyTest.reasonOf(() -> r.rp.finishAuthentication("ann", bobKey.assertion(r.rp.startAuthentication("ann"), ORIGIN).json())))
                    .isEqualTo(Reason.FOREIGN_CREDENTIAL);
            assertThat(WebAuthnRelyingPartyTest.reasonOf(() -> r.rp.finishRegistration("bob", "again", annKey.register(r.rp.startRegistration("bob", "bob"), ORIGIN).json())))
                    .isEqualTo(Reason.DUPLICATE_CREDENTIAL);
            assertThat(r.rp.remove("bob", ann.credentialId())).isFalse();
            assertThat(r.rp.remove("ann", ann.credentialId())).isTrue();
            assertThat(r.rp.credentials("ann")).isEmpty();
            assertThat(r.rp.credentials("bob")).hasSize(1);
            r.store.deleteUser("bob");
            assertThat(r.rp.credentials("bob")).isEmpty();
        }
    }
}
