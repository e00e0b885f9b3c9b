package dev.bulwark.app.platform;

import dev.bulwark.auth.password.Argon2idParameters;
import dev.bulwark.auth.password.InvalidPasswordHashException;
import dev.bulwark.auth.password.PasswordHasher;
import dev.bulwark.crypto.InMemoryKeysetStore;
import dev.bulwark.crypto.KeyPurpose;
import dev.bulwark.crypto.Keyring;
import dev.bulwark.crypto.KeysetName;
import dev.bulwark.crypto.MasterKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two app nodes over one keyset store: a pepper rotation made on one is followed by the other at the first hash that needs it. */
class PasswordPeppersTest {
    static final Argon2idParameters CHEAP = Argon2idParameters.of(256, 1, 1);
    static final KeysetName PEPPERS = KeysetName.of(KeyPurpose.PASSWORD_PEPPER);

    static Keyring node(InMemoryKeysetStore store, MasterKey mk) {
        return Keyring.builder().masterKey(mk).store(store).build(); // default cache period: 5 minutes
    }

    @Test
    void aNodeWithAStaleCachedKeysetVerifiesAHashUnderAPepperAnotherNodeRotatedIn() throws Exception {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        MasterKey mk = MasterKey.fromBase64(Base64.getEncoder().encodeToString(raw), "test master key");
        InMemoryKeysetStore store = new InMemoryKeysetStore();
        Keyring a = node(store, mk);
        Keyring b = node(store, mk);
        a.provisionShared(name -> 0);

        AtomicLong clock = new AtomicLong(1_000_000_000_000L);
        AtomicInteger reloads = new AtomicInteger();
        PasswordPeppers onA = new PasswordPeppers(a.macKeys(KeyPurpose.PASSWORD_PEPPER), () -> {
            reloads.incrementAndGet();
            a.reload(PEPPERS);
        }, clock::get);
        PasswordPeppers onB = new PasswordPeppers(b.macKeys(KeyPurpose.PASSWORD_PEPPER), () -> b.reload(PEPPERS), clock::get);
        try (PasswordHasher hasherA = PasswordHasher.builder().parameters(CHEAP).threads(1).peppers(onA).build();
             PasswordHasher hasherB = PasswordHasher.builder().parameters(CHEAP).threads(1).peppers(onB).build()) {
            String before = hasherA.hash("correct horse battery staple");
            assertThat(hasherB.verify("correct horse battery staple", before).matches()).isTrue();
            String firstId = onA.peppers().current().id();

            b.rotate(PEPPERS); // on node B; node A's keyring still holds the keyset it unwrapped
            b.reload(PEPPERS);
            String afterRotation = hasherB.hash("correct horse battery staple");
            assertThat(PasswordPeppers.keyIdNamedBy(afterRotation)).isNotEqualTo(PasswordPeppers.keyIdNamedBy(before));
            assertThat(onA.peppers().current().id()).as("node A has not seen the rotation").isEqualTo(firstId);

            assertThat(hasherA.verify("correct horse battery staple", afterRotation).matches()).isTrue();
            assertThat(hasherA.verify("not the password", afterRotation).matches()).isFalse();
            assertThat(reloads).as("one reload, then the fresh keyset serves").hasValue(1);
            assertThat(onA.peppers().current().id()).isEqualTo(onB.peppers().current().id());

            // A hash naming a key no node has (forged or long retired) reloads at most once per interval.
            String unknown = afterRotation.replaceFirst(",keyid=[A-Za-z0-9+/]+\\$", ",keyid=" + Base64.getEncoder().withoutPadding()
                    .encodeToString(PasswordPeppers.pepperId(0x7fff0001).getBytes(StandardCharsets.US_ASCII)) + "\\$");
            for (int i = 0; i < 3; i++) refusedAsUnknownPepper(hasherA, unknown);
            assertThat(reloads).as("within 5 s of the last reload").hasValue(1);
            clock.addAndGet(PasswordPeppers.RELOAD_INTERVAL_NANOS);
            refusedAsUnknownPepper(hasherA, unknown);
            assertThat(reloads).hasValue(2);
        }
    }

    static void refusedAsUnknownPepper(PasswordHasher h, String hash) {
        assertThatThrownBy(() -> h.verify("correct horse battery staple", hash)).isInstanceOfSatisfying(InvalidPasswordHashException.class,
                e -> assertThat(e.reason()).isEqualTo(InvalidPasswordHashException.Reason.UNKNOWN_PEPPER));
    }
}
