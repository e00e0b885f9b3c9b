package dev.bulwark.auth.webauthn;

import dev.bulwark.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.bulwark.auth.webauthn.SoftwareAuthenticator.AT;
import static dev.bulwark.auth.webauthn.SoftwareAuthenticator.UP;
import static dev.bulwark.auth.webauthn.SoftwareAuthenticator.UV;
import static dev.bulwark.auth.webauthn.WebAuthnRejected.Reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Registration and authentication ceremonies with a software authenticator, and each way a response is refused. */
class WebAuthnRelyingPartyTest {
    static final String ORIGIN = "https://bookings.example";
    static final String RP = "bookings.example";

    final MutableClock clock = MutableClock.at("2026-06-01T12:00:00Z");
    final WebAuthnStore store = new InMemoryWebAuthnStore();
    final WebAuthnRelyingParty rp = rp(false);
    final SoftwareAuthenticator key = new SoftwareAuthenticator();

    WebAuthnRelyingParty rp(boolean uv) {
        return WebAuthnRelyingParty.builder().relyingParty(RP, "Acme Bookings").origin(ORIGIN).clock(clock).store(store)
                .requireUserVerification(uv).build();
    }

    static Reason reasonOf(ThrowingRunnable r) {
        try {
            r.run();
        } catch (WebAuthnRejected e) {
            return e.reason();
        } catch (Exception e) {
            throw new AssertionError("untyped failure " + e, e);
        }
        throw new AssertionError("accepted");
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    WebAuthnCredential registered(String user, SoftwareAuthenticator k) throws WebAuthnRejected {
        return rp.finishRegistration(user, "Blue key", k.register(rp.startRegistration(user, user + "@example.com"), ORIGIN).json());
    }

    @Test
    void registrationAndAuthenticationRoundTrip() throws Exception {
        WebAuthnCredential c = registered("ann", key);
        assertThat(c.userId()).isEqualTo("ann");
        assertThat(c.name()).isEqualTo("Blue key");
        assertThat(rp.credentials("ann")).extracting(WebAuthnCredential::credentialId).containsExactly(c.credentialId());

        String options = rp.startAuthentication("ann");
        assertThat(options).contains(c.credentialId());
        VerifiedAssertion a = rp.finishAuthentication("ann", key.assertion(options, ORIGIN).json());
        assertThat(a.userId()).isEqualTo("ann");
        assertThat(a.credential().signCount()).isEqualTo(1);
        assertThat(rp.credentials("ann").get(0).signCount()).isEqualTo(1);
        assertThat(rp.credentials("ann").get(0).lastUsedAt()).isEqualTo(clock.instant());

        VerifiedAssertion again = rp.finishAuthentication("ann", key.assertion(rp.startAuthentication("ann"), ORIGIN).json());
        assertThat(again.credential().signCount()).isEqualTo(2);
    }

    @Test
    void replayedAssertionIsRejected() throws Exception {
        registered("ann", key);
        String json = key.assertion(rp.startAuthentication("ann"), ORIGIN).json();
        rp.finishAuthentication("ann", json);
        assertThat(reasonOf(() -> rp.finishAuthentication("ann", json))).isEqualTo(Reason.CHALLENGE_UNKNOWN);
    }

    @Test
    void replayedRegistrationIsRejected() throws Exception {
        String json = key.register(rp.startRegistration("ann", "ann"), ORIGIN).json();
        rp.finishRegistration("ann", "k", json);
        assertThat(reasonOf(() -> rp.finishRegistration("ann", "k", json))).isEqualTo(Reason.CHALLENGE_UNKNOWN);
    }

    @Test
    void challengeNeverIssuedIsRejected() throws Exception {
        registered("ann", key);
        String forged = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assertThat(reasonOf(() -> rp.finishAuthentication("ann", key.assertion(forged, ORIGIN, RP, (byte) (UP | UV), 5).json())))
                .isEqualTo(Reason.CHALLENGE_UNKNOWN);
    }

    @Test
    void expiredChallengeIsRejected() throws Exception {
        registered("ann", key);
        String options = rp.startAuthentication("ann");
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(reasonOf(() -> rp.finishAuthentication("ann", key.assertion(options, ORIGIN).json()))).isEqualTo(Reason.CHALLENGE_UNKNOWN);
    }

    @Test
    void challengeOfAnotherUserIsRejected() throws Exception {
        registered("ann", key);
        String bobsOptions = rp.startAuthentication("bob");
        assertThat(reasonOf(() -> rp.finishAuthentication("ann", key.assertion(bobsOptions, ORIGIN).json()))).isEqualTo(Reason.CHALLENGE_MISMATCH);
    }

    @Test
    void registrationChallengeCannotAuthenticate() throws Exception {
        registered("ann", key);
        String regOptions = rp.startRegistration("ann", "ann");
        String challenge = SoftwareAuthenticator.challengeOf(regOptions);
        assertThat(reasonOf(() -> rp.finishAuthentication("ann", key.assertion(challenge, ORIGIN, RP, (byte) (UP | UV), 7).json())))
                .isEqualTo(Reason.CHALLENGE_MISMATCH);
    }

    @Test
    void assertionSentToRegistrationIsRejected() throws Exception {
        registered("ann", key);
        String challenge = SoftwareAuthenticator.challengeOf(rp.startRegistration("ann", "ann"));
        SoftwareAuthenticator.Parts p = key.register(challenge, ORIGIN, RP, (byte) (UP | AT));
        p.clientData = SoftwareAuthenticator.clientData("webauthn.get", challenge, ORIGIN);
        assertThat(reasonOf(() -> rp.finishRegistration("ann", "k", p.json()))).isEqualTo(Reason.WRONG_CEREMONY);
    }

    @Test
    void wrongOriginIsRejected() throws Exception {
        registered("ann", key);
        assertThat(reasonOf(() -> rp.finishAuthentication("ann", key.assertion(rp.startAuthentication("ann"), "https://bookings.example.evil").json())))
                .isEqualTo(Reason.BAD_ORIGIN);
        SoftwareAuthenticator other = new SoftwareAuthenticator();
        assertThat(reasonOf(() -> rp.finishRegistration("ann", "k", other.register(rp.startRegistration("ann", "ann"), "http://bookings.example").json())))
                .isEqualTo(Reason.BAD_ORIGIN);
    }

    @Test
    void wrongRpIdIsRejected() throws Exception {
        registered("ann", key);
        String c = SoftwareAuthenticator.challengeOf(rp.startAuthentication("ann"));
        assertThat(reasonOf(() -> rp.finishAuthentication("ann", key.assertion(c, ORIGIN, "evil.example", (byte) (UP | UV), 9).json())))
                .isEqualTo(Reason.BAD_RP_ID);
        String rc = SoftwareAuthenticator.challengeOf(rp.startRegistration("ann", "ann"));
        assertThat(reasonOf(() -> rp.finishRegistration("ann", "k", new SoftwareAuthenticator().register(rc, ORIGIN, "evil.example", (byte) (UP | AT)).json())))
                .isEqualTo(Reason.BAD_RP_ID);
    }

    @Test
    void userPresenceIsRequired() throws Exception {
        registered("ann", key);
        String c = SoftwareAuthenticator.challengeOf(rp.startAuthentication("ann"));
        assertThat(reasonOf(() -> rp.finishAuthentication("ann", key.assertion(c, ORIGIN, RP, UV, 9).json()))).isEqualTo(Reason.USER_NOT_PRESENT);
    }

    @Test
    void userVerificationIsEnforcedWhenRequired() throws Exception {
        WebAuthnRelyingParty strict = rp(true);
        String rc = SoftwareAuthenticator.challengeOf(strict.startRegistration("ann", "ann"));
        assertThat(reasonOf(() -> strict.finishRegistration("ann", "k", key.register(rc, ORIGIN, RP, (byte) (UP | AT)).json())))
                .isEqualTo(Reason.USER_NOT_VERIFIED);
        strict.finishRegistration("ann", "k", key.register(strict.startRegistration("ann", "ann"), ORIGIN).json());
        String c = SoftwareAuthenticator.challengeOf(strict.startAuthentication("ann"));
        assertThat(reasonOf(() -> strict.finishAuthentication("ann", key.assertion(c, ORIGIN, RP, UP, 3).json()))).isEqualTo(Reason.USER_NOT_VERIFIED);
        assertThat(strict.finishAuthentication("ann", key.assertion(strict.startAuthentication("ann"), ORIGIN).json()).userVerified()).isTrue();
    }

    @Test
    void counterGoingBackIsRejected() throws Exception {
        registered("ann", key);
        key.counter = 10;
        rp.finishAuthentication("ann", key.assertion(rp.startAuthentication("ann"), ORIGIN).json()); // 11
        for (long replayed : new long[] {11, 5, 0}) {
            String c = SoftwareAuthenticator.challengeOf(rp.startAuthentication("ann"));
            assertThat(reasonOf(() -> rp.finishAuthentication("ann", key.assertion(c, ORIGIN, RP, (byte) (UP | UV), replayed).json())))
                    .as("counter %d after 11", replayed).isEqualTo(Reason.COUNTER_REGRESSION);
        }
        assertThat(rp.credentials("ann").get(0).signCount()).isEqualTo(11);
    }

    @Test
    void unknownCredentialIsRejected() throws Exception {
        registered("ann", key);
        SoftwareAuthenticator stranger = new SoftwareAuthenticator();
        assertThat(reasonOf(() -> rp.finishAuthentication("ann", stranger.assertion(rp.startAuthentication("ann"), ORIGIN).json())))
                .isEqualTo(Reason.UNKNOWN_CREDENTIAL);
    }

    @Test
    void otherUsersCredentialIsRejected() throws Exception {
        registered("ann", key);
        SoftwareAuthenticator bobsKey = new SoftwareAuthenticator();
        registered("bob", bobsKey);
        assertThat(reasonOf(() -> rp.finishAuthentication("ann", bobsKey.assertion(rp.startAuthentication("ann"), ORIGIN).json())))
                .isEqualTo(Reason.FOREIGN_CREDENTIAL);
    }

    @Test
    void removedCredentialIsRejectedAndOnlyItsOwnerCanRemoveIt() throws Exception {
        WebAuthnCredential c = registered("ann", key);
        assertThat(rp.remove("bob", c.credentialId())).isFalse();
        assertThat(rp.credentials("ann")).hasSize(1);
        assertThat(rp.remove("ann", c.credentialId())).isTrue();
        assertThat(reasonOf(() -> rp.finishAuthentication("ann", key.assertion(rp.startAuthentication("ann"), ORIGIN).json())))
                .isEqualTo(Reason.UNKNOWN_CREDENTIAL);
    }

    @Test
    void sameKeyCannotBeRegisteredTwice() throws Exception {
        registered("ann", key);
        assertThat(rp.startRegistration("ann", "ann")).contains(rp.credentials("ann").get(0).credentialId()); // excluded
        assertThat(reasonOf(() -> registered("bob", key))).isEqualTo(Reason.DUPLICATE_CREDENTIAL);
    }

    @Test
    void namesAreValidated() throws Exception {
        for (String bad : new String[] {"", "   ", "a\nb", "x".repeat(65)}) {
            assertThat(reasonOf(() -> rp.finishRegistration("ann", bad, key.register(rp.startRegistration("ann", "ann"), ORIGIN).json())))
                    .isEqualTo(Reason.INVALID_NAME);
        }
        assertThat(rp.credentials("ann")).isEmpty();
    }

    @Test
    void garbageIsATypedRejection() {
        for (String g : new String[] {null, "", "{", "[]", "null", "{\"id\":\"@@\",\"type\":\"public-key\",\"response\":{}}",
                "{\"id\":\"AA\",\"rawId\":\"AA\",\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\"!!!\",\"attestationObject\":\"AA\"}}",
                "{\"id\":\"AA\",\"rawId\":\"AA\",\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\"e30\",\"authenticatorData\":\"AA\",\"signature\":\"AA\"}}",
                "x".repeat(70_000)}) {
            assertThat(reasonOf(() -> rp.finishRegistration("ann", "k", g))).isNotNull();
            assertThat(reasonOf(() -> rp.finishAuthentication("ann", g))).isNotNull();
        }
    }

    @Test
    void toStringRevealsNoCredentialId() throws Exception {
        WebAuthnCredential c = registered("ann", key);
        assertThat(c.toString()).doesNotContain(c.credentialId()).doesNotContain(c.attestedCredential());
        VerifiedAssertion a = rp.finishAuthentication("ann", key.assertion(rp.startAuthentication("ann"), ORIGIN).json());
        assertThat(a.toString()).doesNotContain(c.credentialId());
    }

    @Test
    void misconfigurationIsRefused() {
        assertThatThrownBy(() -> WebAuthnRelyingParty.builder().relyingParty(RP, "x").origin("http://bookings.example")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebAuthnRelyingParty.builder().relyingParty(RP, "x").origin("https://other.example").store(store).build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> WebAuthnRelyingParty.builder().relyingParty("https://bookings.example", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
