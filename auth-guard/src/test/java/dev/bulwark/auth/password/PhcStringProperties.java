package dev.bulwark.auth.password;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.lifecycle.AfterContainer;

import static org.assertj.core.api.Assertions.assertThat;

class PhcStringProperties {
    private static final PasswordHasher HASHER = PasswordHasher.builder().parameters(Argon2idParameters.of(64, 1, 1)).threads(2).build();
    private static final String PASSWORD = "Known-Password-1";
    private static final String VALID = HASHER.hash(PASSWORD);

    @AfterContainer
    static void close() {
        HASHER.close();
    }

    @Property(tries = 10000)
    void randomStringsNeverThrowAnythingButTypedException(@ForAll @StringLength(max = 200) String s) {
        parseOnlyTypedFailure(s);
    }

    @Property(tries = 10000)
    void mutatedPhcStringsNeverThrowAnythingButTypedException(@ForAll("mutatedHashes") String s) {
        parseOnlyTypedFailure(s);
    }

    @Property(tries = 1000)
    void mutatedPhcStringNeverVerifiesTheOriginalPassword(@ForAll("mutatedHashes") String s) {
        if (s.equals(VALID)) return;
        try {
            assertThat(HASHER.verify(PASSWORD, s).matches()).isFalse();
        } catch (InvalidPasswordHashException expected) {
            // typed refusal is fine
        }
    }

    @Property(tries = 200)
    void hashThenVerifyRoundTrips(@ForAll @StringLength(min = 1, max = 64) String password) throws Exception {
        String phc = HASHER.hash(password);
        PasswordVerification v = HASHER.verify(password, phc);
        assertThat(v.matches()).isTrue();
        assertThat(v.needsRehash()).isFalse();
    }

    @Property(tries = 200)
    void wrongPasswordNeverVerifies(@ForAll @StringLength(min = 1, max = 64) String password,
                                    @ForAll @StringLength(min = 1, max = 64) String other) throws Exception {
        if (java.text.Normalizer.normalize(password, java.text.Normalizer.Form.NFKC)
                .equals(java.text.Normalizer.normalize(other, java.text.Normalizer.Form.NFKC))) return;
        assertThat(HASHER.verify(other, HASHER.hash(password)).matches()).isFalse();
    }

    @Provide
    Arbitrary<String> mutatedHashes() {
        Arbitrary<Integer> pos = Arbitraries.integers().between(0, VALID.length() - 1);
        Arbitrary<Character> ch = Arbitraries.oneOf(Arbitraries.of('$', ',', '=', '0', '9', 'A', '/', '+', '-', ' '),
                Arbitraries.chars());
        Arbitrary<String> replaced = Combinators.combine(pos, ch).as((p, c) -> VALID.substring(0, p) + c + VALID.substring(p + 1));
        Arbitrary<String> inserted = Combinators.combine(pos, ch).as((p, c) -> VALID.substring(0, p) + c + VALID.substring(p));
        Arbitrary<String> deleted = pos.map(p -> VALID.substring(0, p) + VALID.substring(p + 1));
        Arbitrary<String> truncated = pos.map(p -> VALID.substring(0, p));
        Arbitrary<String> swappedDigits = Arbitraries.integers().between(0, 999_999_999)
                .map(n -> VALID.replace("m=64", "m=" + (n % 2_000)).replace("t=1", "t=" + (n % 50)));
        return Arbitraries.oneOf(replaced, inserted, deleted, truncated, swappedDigits);
    }

    private static void parseOnlyTypedFailure(String s) {
        try {
            StoredHash.parse(s);
        } catch (InvalidPasswordHashException e) {
            assertThat(e.reason()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
