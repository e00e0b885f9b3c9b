package dev.bulwark.auth.webauthn;

import dev.bulwark.testkit.MutableClock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.Base64;

import static dev.bulwark.auth.webauthn.SoftwareAuthenticator.UP;
import static dev.bulwark.auth.webauthn.SoftwareAuthenticator.UV;
import static dev.bulwark.auth.webauthn.WebAuthnRejected.Reason;
import static org.assertj.core.api.Assertions.assertThat;

/** Properties of the ceremonies: tampering, foreign origins / relying parties, counters, garbage. */
class WebAuthnProperties {
    static final String ORIGIN = WebAuthnRelyingPartyTest.ORIGIN;
    static final String RP = WebAuthnRelyingPartyTest.RP;

    final WebAuthnRelyingParty rp = WebAuthnRelyingParty.builder().relyingParty(RP, "Acme").origin(ORIGIN)
            .clock(MutableClock.at("2026-06-01T12:00:00Z")).store(new InMemoryWebAuthnStore()).build();
    final SoftwareAuthenticator key = new SoftwareAuthenticator();
    final String validRegistration;

    WebAuthnProperties() throws WebAuthnRejected {
        rp.finishRegistration("ann", "key", key.register(rp.startRegistration("ann", "ann"), ORIGIN).json());
        validRegistration = new SoftwareAuthenticator().register(rp.startRegistration("ann", "ann"), ORIGIN).json();
    }

    static Reason reasonOf(WebAuthnRelyingPartyTest.ThrowingRunnable r) {
        return WebAuthnRelyingPartyTest.reasonOf(r);
    }

    @Property(tries = 2000)
    void tamperingAnyByteOfAnAssertionIsRejected(@ForAll @IntRange(min = 0, max = 2) int part,
                                                   @ForAll @IntRange(min = 0, max = 10_000) int position,
                                                   @ForAll @IntRange(min = 1, max = 255) int xor) {
        SoftwareAuthenticator.Parts p = key.assertion(rp.startAuthentication("ann"), ORIGIN);
        byte[] target = part == 0 ? p.clientData : part == 1 ? p.authenticatorData : p.signature;
        target[position % target.length] ^= (byte) xor;
        long before = rp.credentials("ann").get(0).signCount();
        assertThat(reasonOf(() -> rp.finishAuthentication("ann", p.json()))).isNotNull();
        assertThat(rp.credentials("ann").get(0).signCount()).as("a refused assertion moves no counter").isEqualTo(before);
    }

    @Provide
    Arbitrary<String> foreignOrigins() {
        return Arbitraries.oneOf(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12).map(s -> "https://" + s.toLowerCase() + ".example"),
                Arbitraries.integers().between(1, 65535).filter(p -> p != 443).map(p -> ORIGIN + ":" + p),
                Arbitraries.of("http://bookings.example", "https://bookings.example.evil", "https://evil.bookings.example.com", "null", ""));
    }

    @Property(tries = 300)
    void responsesFromAnotherOriginAreRejected(@ForAll("foreignOrigins") String origin) {
        assertThat(reasonOf(() -> rp.finishAuthentication("ann", key.assertion(rp.startAuthentication("ann"), origin).json())))
                .isIn(Reason.BAD_ORIGIN, Reason.MALFORMED);
        assertThat(reasonOf(() -> rp.finishRegistration("ann", "k", new SoftwareAuthenticator().register(rp.startRegistration("ann", "ann"), origin).json())))
                .isIn(Reason.BAD_ORIGIN, Reason.MALFORMED);
    }

    @Property(tries = 300)
    void assertionsForAnotherRelyingPartyAreRejected(@ForAll("rpIds") String rpId) {
        String c = SoftwareAuthenticator.challengeOf(rp.startAuthentication("ann"));
        assertThat(reasonOf(() -> rp.finishAuthentication("ann", key.assertion(c, ORIGIN, rpId, (byte) (UP | UV), key.counter + 1).json())))
                .isEqualTo(Reason.BAD_RP_ID);
    }

    @Provide
    Arbitrary<String> rpIds() {
        return Arbitraries.strings().ofMinLength(0).ofMaxLength(30).filter(s -> !s.equals(RP));
    }

    @Property(tries = 300)
    void challengesNotIssuedForThisUserAndCeremonyAreRejected(@ForAll byte[] challenge, @ForAll boolean anotherUser) {
        String c = Base64.getUrlEncoder().withoutPadding().encodeToString(challenge);
        assertThat(reasonOf(() -> rp.finishAuthentication("ann", key.assertion(c, ORIGIN, RP, (byte) (UP | UV), key.counter + 1).json())))
                .isIn(Reason.CHALLENGE_UNKNOWN, Reason.MALFORMED);
        String issued = SoftwareAuthenticator.challengeOf(anotherUser ? rp.startAuthentication("bob") : rp.startRegistration("ann", "ann"));
        assertThat(reasonOf(() -> rp.finishAuthentication("ann", key.assertion(issued, ORIGIN, RP, (byte) (UP | UV), key.counter + 1).json())))
                .isEqualTo(Reason.CHALLENGE_MISMATCH);
    }

    @Property(tries = 200)
    void aCounterThatDoesNotGrowIsRejected(@ForAll @LongRange(min = 1, max = 1_000_000) long stored, @ForAll @LongRange(min = 0, max = 1_000_000) long back)
            throws WebAuthnRejected {
        long presented = Math.max(0, stored - back);
        WebAuthnRelyingParty fresh = WebAuthnRelyingParty.builder().relyingParty(RP, "Acme").origin(ORIGIN).store(new InMemoryWebAuthnStore()).build();
        SoftwareAuthenticator k = new SoftwareAuthenticator();
        fresh.finishRegistration("ann", "key", k.register(fresh.startRegistration("ann", "ann"), ORIGIN).json());
        k.counter = stored - 1;
        fresh.finishAuthentication("ann", k.assertion(fresh.startAuthentication("ann"), ORIGIN).json()); // stores `stored`
        String c = SoftwareAuthenticator.challengeOf(fresh.startAuthentication("ann"));
        assertThat(reasonOf(() -> fresh.finishAuthentication("ann", k.assertion(c, ORIGIN, RP, (byte) (UP | UV), presented).json())))
                .isEqualTo(Reason.COUNTER_REGRESSION);
    }

    @Provide
    Arbitrary<String> garbage() {
        Arbitrary<String> mutated = Arbitraries.integers().between(0, validRegistration.length() - 1)
                .flatMap(i -> Arbitraries.chars().map(ch -> validRegistration.substring(0, i) + ch + validRegistration.substring(i + 1)));
        Arbitrary<String> truncated = Arbitraries.integers().between(0, validRegistration.length()).map(i -> validRegistration.substring(0, i));
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(300), mutated, truncated,
                Arbitraries.strings().withChars("{}[]\":,0123456789abctrueflsn-").ofMaxLength(200));
    }

    @Property(tries = 10_000)
    void garbageIsATypedRejection(@ForAll("garbage") String input) {
        assertThat(reasonOf(() -> rp.finishAuthentication("ann", input))).isNotNull();
        try {
            rp.finishRegistration("ann", "k", input);
            // Accepted at most once: a mutation where "none" attestation signs nothing (e.g. inside the public key)
            // still carries the one issued challenge, which it consumes.
        } catch (WebAuthnRejected expected) {
            assertThat(expected.reason()).isNotNull();
        }
    }
}
