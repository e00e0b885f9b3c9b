package dev.bulwark.auth.password;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parameter bounds, rehash decisions and the length cap, with the cheapest Argon2id cost the API allows. */
class PasswordHasherSettingsTest {
    static final PasswordHasher HASHER = PasswordHasher.builder().parameters(Argon2idParameters.of(8, 1, 1)).threads(1)
            .maxPasswordLength(64).build();

    @AfterAll
    static void close() {
        HASHER.close();
    }

    private static String b64(int n) {
        return Base64.getEncoder().withoutPadding().encodeToString(new byte[n]);
    }

    @Test
    void anythingButArgon2idAtExactlyTheCurrentParametersNeedsRehash() throws Exception {
        assertThat(HASHER.needsRehash("$argon2id$v=19$m=8,t=1,p=1$" + b64(16) + "$" + b64(32))).isFalse();
        assertThat(HASHER.needsRehash("$argon2id$v=19$m=16,t=1,p=1$" + b64(16) + "$" + b64(32))).as("memory").isTrue();
        assertThat(HASHER.needsRehash("$argon2id$v=19$m=8,t=2,p=1$" + b64(16) + "$" + b64(32))).as("iterations").isTrue();
        assertThat(HASHER.needsRehash("$argon2id$v=19$m=16,t=1,p=2$" + b64(16) + "$" + b64(32))).as("lanes").isTrue();
        assertThat(HASHER.needsRehash("$argon2id$v=19$m=8,t=1,p=1$" + b64(24) + "$" + b64(32))).as("salt length").isTrue();
        assertThat(HASHER.needsRehash("$argon2id$v=19$m=8,t=1,p=1$" + b64(16) + "$" + b64(64))).as("tag length").isTrue();
        assertThat(HASHER.needsRehash("$2b$04$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW")).as("bcrypt").isTrue();
        assertThatThrownBy(() -> HASHER.needsRehash("plain")).isInstanceOf(InvalidPasswordHashException.class);
    }

    @Test
    void passwordOfExactlyTheMaximumLengthIsHashedOneMoreIsRefused() throws Exception {
        String max = "p".repeat(64);
        assertThat(HASHER.verify(max, HASHER.hash(max)).matches()).isTrue();
        assertThatThrownBy(() -> HASHER.hash(max + "p")).isInstanceOfSatisfying(PasswordHashingException.class,
                e -> assertThat(e.reason()).isEqualTo(PasswordHashingException.Reason.PASSWORD_TOO_LONG));
        assertThatThrownBy(() -> HASHER.verifyDummy(max + "p")).isInstanceOf(PasswordHashingException.class);
        assertThat(HASHER.maxPasswordLength()).isEqualTo(64);
    }

    @Test
    void bcryptComparesOnlyTheFirst72Bytes() throws Exception {
        String first72 = "b".repeat(72);
        String stored = OpenBSDBCrypt.generate("2b", first72.toCharArray(), new byte[16], 4);
        PasswordHasher roomy = PasswordHasher.builder().parameters(Argon2idParameters.of(8, 1, 1)).threads(1).build();
        try {
            assertThat(roomy.verify(first72 + "anything", stored).matches()).isTrue();
            assertThat(roomy.verify("b".repeat(71), stored).matches()).isFalse();
        } finally {
            roomy.close();
        }
    }

    @Test
    void asyncHashAndVerifyAgreeWithTheBlockingOnes() throws Exception {
        String phc = HASHER.hashAsync("async-pw").join();
        assertThat(phc).startsWith("$argon2id$v=19$m=8,t=1,p=1$");
        assertThat(HASHER.verifyAsync("async-pw", phc).join().matches()).isTrue();
        assertThat(HASHER.verifyAsync("other-pw", phc).join().matches()).isFalse();
        assertThat(HASHER.verify("async-pw", phc).scheme()).isEqualTo(PasswordVerification.Scheme.ARGON2ID);
        assertThat(HASHER.queuedOperations()).isZero();
        assertThat(HASHER.parameters()).isEqualTo(Argon2idParameters.of(8, 1, 1));
    }

    @Test
    void mismatchNeverClaimsARehashAndDummyReportsNoScheme() {
        assertThat(HASHER.verifyDummy("x").scheme()).isEqualTo(PasswordVerification.Scheme.NONE);
        assertThat(HASHER.verifyDummy("y").needsRehash()).isFalse();
    }

    @Test
    void argon2ParametersAreBounded() {
        assertThatThrownBy(() -> Argon2idParameters.of(8, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Argon2idParameters.of(256, 1, 17)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Argon2idParameters.of(15, 1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Argon2idParameters.of(262_145, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Argon2idParameters.of(256, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Argon2idParameters.of(256, 33, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Argon2idParameters(256, 1, 1, 15, 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Argon2idParameters(256, 1, 1, 65, 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Argon2idParameters(256, 1, 1, 16, 31)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Argon2idParameters(256, 1, 1, 16, 129)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Argon2idParameters(262_144, 32, 16, 64, 128).memoryKiB()).isEqualTo(262_144);
        assertThat(Argon2idParameters.of(16, 1, 2).parallelism()).isEqualTo(2);
    }

    @Test
    void owaspMinimumIsSevenMebibytesTimesFivePasses() {
        assertThat(Argon2idParameters.owaspDefault().meetsOwaspMinimum()).isTrue();
        assertThat(Argon2idParameters.of(7_168, 5, 1).meetsOwaspMinimum()).isTrue();
        assertThat(Argon2idParameters.of(7_167, 5, 1).meetsOwaspMinimum()).isFalse();
        assertThat(Argon2idParameters.of(262_144, 32, 1).meetsOwaspMinimum()).as("no int overflow").isTrue();
    }

    @Test
    void builderBoundsAreEnforced() {
        assertThatThrownBy(() -> PasswordHasher.builder().maxPasswordLength(63)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordHasher.builder().maxPasswordLength(4097)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordHasher.builder().threads(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordHasher.builder().threads(257)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordHasher.builder().queueLimit(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordHasher.builder().queueLimit(100_001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordHasher.builder().parameters(null)).isInstanceOf(NullPointerException.class);
        try (PasswordHasher h = PasswordHasher.builder().parameters(Argon2idParameters.of(8, 1, 1)).maxPasswordLength(4096)
                .threads(256).queueLimit(100_000).build()) {
            assertThat(h.maxPasswordLength()).isEqualTo(4096);
            assertThat(h.toString()).contains("threads=256", "queueLimit=100000");
        }
        try (PasswordHasher h = PasswordHasher.builder().parameters(Argon2idParameters.of(8, 1, 1)).maxPasswordLength(64).threads(1).queueLimit(1).build()) {
            assertThat(h.toString()).contains("threads=1", "queueLimit=1");
        }
    }
}
