package dev.bulwark.auth.password;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Peppered Argon2id hashes (ASVS 2.4.5): the pepper is Argon2's secret input K, named in the PHC keyid parameter. */
class PepperTest {
    static final Argon2idParameters CHEAP = Argon2idParameters.of(256, 1, 1);
    static final byte[] KEY_1 = filled(32, 0x11);
    static final byte[] KEY_2 = filled(32, 0x22);
    static final Pepper P1 = Pepper.of("p1", KEY_1);
    static final Pepper P2 = Pepper.of("p2", KEY_2);
    static final PasswordHasher PLAIN = PasswordHasher.builder().parameters(CHEAP).threads(1).build();
    static final PasswordHasher WITH_P1 = PasswordHasher.builder().parameters(CHEAP).threads(1).pepper(P1).build();
    static final PasswordHasher ROTATED = PasswordHasher.builder().parameters(CHEAP).threads(1).pepper(P2).previousPeppers(P1).build();

    static byte[] filled(int n, int b) {
        byte[] k = new byte[n];
        Arrays.fill(k, (byte) b);
        return k;
    }

    @AfterAll
    static void close() {
        PLAIN.close();
        WITH_P1.close();
        ROTATED.close();
    }

    @Test
    void pepperedHashIsArgon2WithTheKeyAsSecretInputComputedIndependently() throws Exception {
        String phc = WITH_P1.hash("correct horse battery staple");
        String[] f = phc.split("\\$");
        assertThat(f[3]).isEqualTo("m=256,t=1,p=1,keyid=" + Base64.getEncoder().withoutPadding().encodeToString("p1".getBytes(StandardCharsets.US_ASCII)));
        byte[] salt = Base64.getDecoder().decode(f[4]);
        // Bouncy Castle's generator driven directly, not through the library's Argon2id helper.
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(256).withIterations(1).withParallelism(1).withSalt(salt).withSecret(KEY_1).build());
        byte[] expected = new byte[Base64.getDecoder().decode(f[5]).length];
        gen.generateBytes("correct horse battery staple".getBytes(StandardCharsets.UTF_8), expected);
        assertThat(f[5]).isEqualTo(Base64.getEncoder().withoutPadding().encodeToString(expected));
        PasswordVerification v = WITH_P1.verify("correct horse battery staple", phc);
        assertThat(v.matches()).isTrue();
        assertThat(v.needsRehash()).isFalse();
    }

    @Test
    void hashWithoutItsPepperIsRefusedTypedBeforeAnyWork() throws Exception {
        String phc = WITH_P1.hash("correct horse battery staple");
        assertThatThrownBy(() -> PLAIN.verify("correct horse battery staple", phc)).isInstanceOfSatisfying(InvalidPasswordHashException.class,
                e -> assertThat(e.reason()).isEqualTo(InvalidPasswordHashException.Reason.UNKNOWN_PEPPER));
        assertThatThrownBy(() -> PLAIN.needsRehash(phc)).isInstanceOf(InvalidPasswordHashException.class);
        assertThatThrownBy(() -> PLAIN.verifyAsync("x", phc).join()).hasCauseInstanceOf(InvalidPasswordHashException.class);
    }

    @Test
    void sameIdWithAnotherKeyDoesNotVerify() throws Exception {
        String phc = WITH_P1.hash("correct horse battery staple");
        try (PasswordHasher impostor = PasswordHasher.builder().parameters(CHEAP).threads(1).pepper(Pepper.of("p1", filled(32, 0x12))).build()) {
            assertThat(impostor.verify("correct horse battery staple", phc).matches()).isFalse();
        }
    }

    @Test
    void unpepperedHashesStillVerifyAndAskToBeRehashedUnderThePepper() throws Exception {
        String legacy = PLAIN.hash("correct horse battery staple");
        PasswordVerification v = WITH_P1.verify("correct horse battery staple", legacy);
        assertThat(v.matches()).isTrue();
        assertThat(v.needsRehash()).isTrue();
        assertThat(WITH_P1.verify("wrong horse", legacy).matches()).isFalse();
    }

    @Test
    void rotationVerifiesTheOldPepperAndMovesHashesToTheNewOne() throws Exception {
        String old = WITH_P1.hash("correct horse battery staple");
        PasswordVerification v = ROTATED.verify("correct horse battery staple", old);
        assertThat(v.matches()).isTrue();
        assertThat(v.needsRehash()).isTrue();
        String fresh = ROTATED.hash("correct horse battery staple");
        assertThat(fresh).contains(",keyid=" + Base64.getEncoder().withoutPadding().encodeToString("p2".getBytes(StandardCharsets.US_ASCII)) + "$");
        assertThat(ROTATED.needsRehash(fresh)).isFalse();
        assertThatThrownBy(() -> WITH_P1.verify("correct horse battery staple", fresh)).isInstanceOf(InvalidPasswordHashException.class);
    }

    @Test
    void aRotatingPepperSourceTakesEffectWithoutRebuildingTheHasher() throws Exception {
        java.util.concurrent.atomic.AtomicReference<PepperSet> now = new java.util.concurrent.atomic.AtomicReference<>(PepperSet.of(P1));
        try (PasswordHasher h = PasswordHasher.builder().parameters(CHEAP).threads(1).peppers(now::get).build()) {
            String underP1 = h.hash("correct horse battery staple");
            assertThat(h.verifyDummy("anything").matches()).isFalse(); // the dummy is made under p1
            assertThat(h.toString()).contains("pepper=p1");

            now.set(PepperSet.of(P2, P1)); // rotation: p2 is current, p1 still verifies
            PasswordVerification v = h.verify("correct horse battery staple", underP1);
            assertThat(v.matches()).isTrue();
            assertThat(v.needsRehash()).as("a hash under the previous pepper moves to the current one").isTrue();
            String underP2 = h.hash("correct horse battery staple");
            assertThat(underP2).contains(",keyid=" + Base64.getEncoder().withoutPadding().encodeToString("p2".getBytes(StandardCharsets.US_ASCII)) + "$");
            assertThat(h.needsRehash(underP2)).isFalse();

            now.set(PepperSet.of(P2)); // p1 retired
            assertThatThrownBy(() -> h.verify("correct horse battery staple", underP1)).isInstanceOfSatisfying(InvalidPasswordHashException.class,
                    e -> assertThat(e.reason()).isEqualTo(InvalidPasswordHashException.Reason.UNKNOWN_PEPPER));
            assertThat(h.verify("correct horse battery staple", underP2).matches()).isTrue();
            assertThat(h.verifyDummy("anything").matches()).as("the dummy hash follows the pepper instead of naming a retired one").isFalse();
        }
    }

    /** A source caching a key store another node rotated: the hash names a pepper its cached answer lacks. */
    static final class StaleSource implements PepperSource {
        final java.util.concurrent.atomic.AtomicInteger lookedAgain = new java.util.concurrent.atomic.AtomicInteger();
        volatile PepperSet cached = PepperSet.of(P1);
        final PepperSet inStore = PepperSet.of(P2, P1);

        @Override
        public PepperSet peppers() {
            return cached;
        }

        @Override
        public PepperSet peppersIncluding(String pepperId) {
            lookedAgain.incrementAndGet();
            cached = inStore;
            return cached;
        }
    }

    @Test
    void aHashUnderAPepperTheSourceHasNotSeenYetMakesItLookAgainOnce() throws Exception {
        String underP2 = ROTATED.hash("correct horse battery staple"); // made by the node that rotated
        String underP1 = WITH_P1.hash("correct horse battery staple");
        StaleSource source = new StaleSource();
        try (PasswordHasher h = PasswordHasher.builder().parameters(CHEAP).threads(1).peppers(source).build()) {
            assertThat(h.verify("correct horse battery staple", underP1).matches()).isTrue();
            assertThat(source.lookedAgain).as("a known pepper needs no second look").hasValue(0);

            PasswordVerification v = h.verify("correct horse battery staple", underP2);
            assertThat(v.matches()).isTrue();
            assertThat(v.needsRehash()).isFalse();
            assertThat(source.lookedAgain).hasValue(1);
            assertThat(h.verify("wrong password entirely", underP2).matches()).isFalse();
            assertThat(h.verifyAsync("correct horse battery staple", underP2).get().matches()).isTrue();
            assertThat(h.needsRehash(underP2)).isFalse();
            assertThat(source.lookedAgain).as("the fresh answer is used from then on").hasValue(1);
        }
        // A fixed set has nothing to look at again: an unknown pepper stays a typed refusal.
        try (PasswordHasher h = PasswordHasher.builder().parameters(CHEAP).threads(1).peppers(PepperSet.of(P1)).build()) {
            assertThatThrownBy(() -> h.verify("correct horse battery staple", underP2)).isInstanceOfSatisfying(InvalidPasswordHashException.class,
                    e -> assertThat(e.reason()).isEqualTo(InvalidPasswordHashException.Reason.UNKNOWN_PEPPER));
            assertThat(h.verifyAsync("correct horse battery staple", underP2)).failsWithin(java.time.Duration.ofSeconds(5))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class).withCauseInstanceOf(InvalidPasswordHashException.class);
        }
        // A source whose second look fails is unavailable, not a wrong password.
        PepperSource failsOnSecondLook = new PepperSource() {
            public PepperSet peppers() {
                return PepperSet.of(P1);
            }

            public PepperSet peppersIncluding(String id) {
                throw new IllegalStateException("key store unreachable");
            }
        };
        try (PasswordHasher h = PasswordHasher.builder().parameters(CHEAP).threads(1).peppers(failsOnSecondLook).build()) {
            assertThatThrownBy(() -> h.verify("correct horse battery staple", underP2)).isInstanceOfSatisfying(PasswordHashingException.class,
                    e -> assertThat(e.reason()).isEqualTo(PasswordHashingException.Reason.PEPPER_UNAVAILABLE));
        }
        PepperSource answersNothing = new PepperSource() {
            public PepperSet peppers() {
                return PepperSet.of(P1);
            }

            public PepperSet peppersIncluding(String id) {
                return null;
            }
        };
        try (PasswordHasher h = PasswordHasher.builder().parameters(CHEAP).threads(1).peppers(answersNothing).build()) {
            assertThatThrownBy(() -> h.needsRehash(underP2)).isInstanceOfSatisfying(PasswordHashingException.class,
                    e -> assertThat(e.reason()).isEqualTo(PasswordHashingException.Reason.PEPPER_UNAVAILABLE));
        }
    }

    @Test
    void aFailingPepperSourceIsATypedErrorNotAWrongPassword() throws Exception {
        String phc = WITH_P1.hash("correct horse battery staple");
        PepperSource broken = () -> {
            throw new IllegalStateException("key store unreachable");
        };
        try (PasswordHasher h = PasswordHasher.builder().parameters(CHEAP).threads(1).peppers(broken).build()) {
            for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call : java.util.List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                    () -> h.verify("correct horse battery staple", phc), () -> h.hash("correct horse battery staple"),
                    () -> h.verifyDummy("x"))) {
                assertThatThrownBy(call).isInstanceOfSatisfying(PasswordHashingException.class,
                        e -> assertThat(e.reason()).isEqualTo(PasswordHashingException.Reason.PEPPER_UNAVAILABLE));
            }
            assertThat(h.toString()).contains("pepper=<unavailable>");
        }
        assertThatThrownBy(() -> PasswordHasher.builder().pepper(P1).peppers(PepperSet.of(P2)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> PepperSet.of(P1, Pepper.of("p1", KEY_2))).hasMessageContaining("share the id");
        assertThat(PepperSet.of(P2, P1).toString()).isEqualTo("PepperSet[current=p2, ids=[p2, p1]]");
    }

    @Test
    void misconfigurationsAreRefusedAndTheKeyNeverShows() {
        assertThatThrownBy(() -> Pepper.of("p1", new byte[31])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> Pepper.of("toolong12", KEY_1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pepper.of("a b", KEY_1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordHasher.builder().previousPeppers(P1).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("current pepper");
        assertThatThrownBy(() -> PasswordHasher.builder().pepper(P1).previousPeppers(Pepper.of("p1", KEY_2)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("share the id");
        byte[] key = filled(32, 0x33);
        Pepper p = Pepper.of("k", key);
        Arrays.fill(key, (byte) 0); // the caller's array is copied in
        assertThat(p.toString()).isEqualTo("Pepper[id=k, key=<redacted>]");
        assertThat(WITH_P1.toString()).contains("pepper=p1").doesNotContain("11111111");
    }

    @Test
    void malformedKeyIdsAreRefusedByTheParser() {
        String good = WITH_P1.hash("pw-for-parser");
        for (String bad : new String[] {
                good.replace(",keyid=", ",data="),
                good.replace(",keyid=cDE", ",keyid="),
                good.replace(",keyid=cDE", ",keyid=!!"),
                good.replace(",keyid=cDE", ",keyid=" + Base64.getEncoder().withoutPadding().encodeToString("123456789".getBytes(StandardCharsets.US_ASCII))),
                good.replace(",keyid=cDE", ",keyid=" + Base64.getEncoder().withoutPadding().encodeToString("a b".getBytes(StandardCharsets.US_ASCII))),
                good.replace(",keyid=cDE", ",keyid=cDE,keyid=cDE")}) {
            assertThatThrownBy(() -> WITH_P1.verify("pw-for-parser", bad)).as(bad).isInstanceOfSatisfying(InvalidPasswordHashException.class,
                    e -> assertThat(e.reason()).isEqualTo(InvalidPasswordHashException.Reason.MALFORMED));
        }
    }

    @Property(tries = 30)
    void pepperedRoundTripAndAnyOtherPasswordFails(@ForAll @StringLength(min = 1, max = 40) String password,
                                                   @ForAll @StringLength(min = 1, max = 40) String other) throws Exception {
        // Its own hasher: jqwik runs after the JUnit engine has closed the shared ones.
        try (PasswordHasher h = PasswordHasher.builder().parameters(CHEAP).threads(1).pepper(P1).build()) {
            String phc = h.hash(password);
            assertThat(h.verify(password, phc).matches()).isTrue();
            if (!java.text.Normalizer.normalize(password, java.text.Normalizer.Form.NFKC).equals(java.text.Normalizer.normalize(other, java.text.Normalizer.Form.NFKC))) {
                assertThat(h.verify(other, phc).matches()).isFalse();
            }
        }
    }
}
