package dev.bulwark.auth.password;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordHasherTest {
    /** Cheap parameters keep the unit tests fast; one test below uses the OWASP defaults. */
    static final Argon2idParameters CHEAP = Argon2idParameters.of(256, 1, 1);
    static final PasswordHasher HASHER = PasswordHasher.builder().parameters(CHEAP).threads(2).build();

    @AfterAll
    static void close() {
        HASHER.close();
    }

    @Test
    void defaultHashIsOwaspArgon2idPhcString() throws Exception {
        try (PasswordHasher h = PasswordHasher.builder().build()) {
            String phc = h.hash("correct horse battery staple");
            assertThat(phc).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
            PasswordVerification v = h.verify("correct horse battery staple", phc);
            assertThat(v.matches()).isTrue();
            assertThat(v.needsRehash()).isFalse();
            assertThat(v.scheme()).isEqualTo(PasswordVerification.Scheme.ARGON2ID);
        }
    }

    @Test
    void samePasswordGetsDifferentSalts() {
        assertThat(HASHER.hash("same password")).isNotEqualTo(HASHER.hash("same password"));
    }

    @Test
    void argon2idAtOtherParametersNeedsRehash() throws Exception {
        String old;
        try (PasswordHasher weaker = PasswordHasher.builder().parameters(Argon2idParameters.of(128, 1, 1)).build()) {
            old = weaker.hash("pw-to-upgrade");
        }
        PasswordVerification v = HASHER.verify("pw-to-upgrade", old);
        assertThat(v.matches()).isTrue();
        assertThat(v.needsRehash()).isTrue();
        assertThat(HASHER.needsRehash(HASHER.hash("x"))).isFalse();
    }

    @Test
    void wrongPasswordNeverReportsRehash() throws Exception {
        String old = OpenBSDBCrypt.generate("2b", "right".toCharArray(), new byte[16], 4);
        PasswordVerification v = HASHER.verify("wrong", old);
        assertThat(v.matches()).isFalse();
        assertThat(v.needsRehash()).isFalse();
    }

    /** Openwall crypt_blowfish test vectors (published with John the Ripper and PHP's test suite). */
    @Test
    void legacyBcryptPublishedVectorsVerifyAndNeedRehash() throws Exception {
        assertThat(HASHER.verify("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW").matches()).isTrue();
        assertThat(HASHER.verify("U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK").matches()).isTrue();
        PasswordVerification v = HASHER.verify("U*U*U", "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a");
        assertThat(v.matches()).isTrue();
        assertThat(v.needsRehash()).isTrue();
        assertThat(v.scheme()).isEqualTo(PasswordVerification.Scheme.BCRYPT);
        assertThat(HASHER.verify("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK").matches()).isFalse();
    }

    @Test
    void bcryptVariants2b2yVerify() throws Exception {
        for (String variant : List.of("2a", "2b", "2y")) {
            String h = OpenBSDBCrypt.generate(variant, "s3cret!".toCharArray(), HexFormat.of().parseHex("00112233445566778899aabbccddeeff"), 5);
            assertThat(HASHER.verify("s3cret!", h).matches()).as(variant).isTrue();
            assertThat(HASHER.verify("s3cret?", h).matches()).as(variant).isFalse();
        }
    }

    /** RFC 7914 section 11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1, dkLen=64. */
    static final String RFC7914_DK = "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
            + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783";

    @Test
    void legacyPbkdf2Rfc7914VectorVerifiesInPhcPasslibAndDjangoForms() throws Exception {
        byte[] dk = HexFormat.of().parseHex(RFC7914_DK);
        String salt = Base64.getEncoder().withoutPadding().encodeToString("salt".getBytes(StandardCharsets.US_ASCII));
        String hash = Base64.getEncoder().withoutPadding().encodeToString(dk);
        String phc = "$pbkdf2-sha256$i=1,l=64$" + salt + "$" + hash;
        String passlib = "$pbkdf2-sha256$1$" + salt.replace('+', '.') + "$" + hash.replace('+', '.');
        String django = "pbkdf2_sha256$1$salt$" + Base64.getEncoder().encodeToString(dk);
        for (String stored : List.of(phc, passlib, django)) {
            PasswordVerification v = HASHER.verify("passwd", stored);
            assertThat(v.matches()).as(stored).isTrue();
            assertThat(v.needsRehash()).as(stored).isTrue();
            assertThat(v.scheme()).isEqualTo(PasswordVerification.Scheme.PBKDF2_SHA256);
            assertThat(HASHER.verify("passwd!", stored).matches()).as(stored).isFalse();
        }
    }

    @Test
    void overlongPasswordIsRejectedBeforeHashing() {
        String tooLong = "a".repeat(PasswordHasher.DEFAULT_MAX_PASSWORD_LENGTH + 1);
        assertThatThrownBy(() -> HASHER.hash(tooLong))
                .isInstanceOfSatisfying(PasswordHashingException.class, e -> {
                    assertThat(e.reason()).isEqualTo(PasswordHashingException.Reason.PASSWORD_TOO_LONG);
                    assertThat(e.getMessage()).doesNotContain("aaaa");
                });
        assertThatThrownBy(() -> HASHER.verify(tooLong, HASHER.hash("x")))
                .isInstanceOfSatisfying(PasswordHashingException.class,
                        e -> assertThat(e.reason()).isEqualTo(PasswordHashingException.Reason.PASSWORD_TOO_LONG));
        assertThatThrownBy(() -> HASHER.hash(""))
                .isInstanceOfSatisfying(PasswordHashingException.class,
                        e -> assertThat(e.reason()).isEqualTo(PasswordHashingException.Reason.EMPTY_PASSWORD));
    }

    @Test
    void fullQueueRefusesWorkWithOverloaded() {
        // One worker, one queue slot, default (slow) parameters: a burst of 8 cannot all be accepted.
        try (PasswordHasher h = PasswordHasher.builder().threads(1).queueLimit(1).build()) {
            List<CompletableFuture<String>> accepted = new ArrayList<>();
            int overloaded = 0;
            for (int i = 0; i < 8; i++) {
                try {
                    accepted.add(h.hashAsync("password " + i));
                } catch (PasswordHashingException e) {
                    assertThat(e.reason()).isEqualTo(PasswordHashingException.Reason.OVERLOADED);
                    overloaded++;
                }
            }
            assertThat(overloaded).isGreaterThanOrEqualTo(6);
            assertThat(accepted).hasSizeLessThanOrEqualTo(2);
            for (CompletableFuture<String> f : accepted) assertThat(f.join()).startsWith("$argon2id$");
        }
    }

    @Test
    void closedHasherRefusesWork() {
        PasswordHasher h = PasswordHasher.builder().parameters(CHEAP).build();
        h.close();
        assertThatThrownBy(() -> h.hash("x"))
                .isInstanceOfSatisfying(PasswordHashingException.class, e -> assertThat(e.reason()).isEqualTo(PasswordHashingException.Reason.CLOSED));
    }

    @Test
    void unicodePasswordsAreNfkcNormalised() throws Exception {
        String composed = "caf\u00e9-Pa55";
        String decomposed = "cafe\u0301-Pa55";
        assertThat(HASHER.verify(decomposed, HASHER.hash(composed)).matches()).isTrue();
    }

    @Test
    void verifyAsyncReportsUnreadableHashAsTypedException() {
        assertThatThrownBy(() -> HASHER.verifyAsync("pw", "$argon2id$garbage").join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(InvalidPasswordHashException.class);
    }

    @Test
    void dummyVerificationNeverMatches() {
        assertThat(HASHER.verifyDummy("anything").matches()).isFalse();
    }

    @Test
    void hasherToStringHoldsNoSecrets() {
        assertThat(HASHER.toString()).contains("argon2id").doesNotContain("$argon2id$");
    }
}
