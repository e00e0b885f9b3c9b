package dev.bulwark.auth.totp;

import dev.bulwark.auth.Backing;
import dev.bulwark.testkit.MutableClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** TOTP single use, window and recovery codes on the in-memory, H2 and PostgreSQL stores. */
class TotpIT {

    static final class Rig implements AutoCloseable {
        final Backing.Opened opened;
        final MutableClock clock = MutableClock.at("2026-06-01T12:00:00Z"); // step boundary
        final MfaStore store;
        final TotpAuthenticator totp;

        Rig(Backing backing) {
            opened = backing.open();
            store = opened.inMemory() ? new InMemoryMfaStore() : new JdbcMfaStore(opened.dataSource());
            totp = TotpAuthenticator.builder().issuer("Acme Bookings").clock(clock).store(store).build();
        }

        String codeIn(TotpSecret s, int steps) {
            return totp.codeAt(s, clock.instant().plusSeconds(30L * steps));
        }

        @Override
        public void close() {
            opened.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void currentCodeVerifiesOnceOnly(Backing backing) {
        try (Rig r = new Rig(backing)) {
            TotpSecret s = r.totp.newSecret();
            String code = r.codeIn(s, 0);
            assertThat(r.totp.verify("u1", s, code)).isTrue();
            assertThat(r.totp.verify("u1", s, code)).as("replay").isFalse();
            r.clock.advance(Duration.ofSeconds(10));
            assertThat(r.totp.verify("u1", s, code)).as("replay later in the same step").isFalse();
            // Another user with the same code is independent.
            assertThat(r.totp.verify("u2", s, code)).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void codesOneStepAwayAreAcceptedTwoStepsAwayAreNot(Backing backing) {
        try (Rig r = new Rig(backing)) {
            TotpSecret s = r.totp.newSecret();
            assertThat(r.totp.verify("a", s, r.codeIn(s, -2))).isFalse();
            assertThat(r.totp.verify("a", s, r.codeIn(s, 2))).isFalse();
            assertThat(r.totp.verify("a", s, r.codeIn(s, -1))).isTrue();
            assertThat(r.totp.verify("b", s, r.codeIn(s, 1))).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void olderCodeIsRefusedAfterANewerOneWasUsed(Backing backing) {
        try (Rig r = new Rig(backing)) {
            TotpSecret s = r.totp.newSecret();
            String previous = r.codeIn(s, -1);
            assertThat(r.totp.verify("u1", s, r.codeIn(s, 0))).isTrue();
            assertThat(r.totp.verify("u1", s, previous)).isFalse();
            r.clock.advance(Duration.ofSeconds(30));
            assertThat(r.totp.verify("u1", s, r.codeIn(s, 0))).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void wrongSecretOrMalformedCodeIsRefused(Backing backing) {
        try (Rig r = new Rig(backing)) {
            TotpSecret s = r.totp.newSecret();
            TotpSecret other = r.totp.newSecret();
            assertThat(r.totp.verify("u1", other, r.codeIn(s, 0))).isFalse();
            for (String bad : new String[] {null, "", "12345", "1234567", "12a456", "١٢٣٤٥٦"}) {
                assertThat(r.totp.verify("u1", s, bad)).as(String.valueOf(bad)).isFalse();
            }
            String withSpace = r.codeIn(s, 0).substring(0, 3) + " " + r.codeIn(s, 0).substring(3);
            assertThat(r.totp.verify("u1", s, withSpace)).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void tenRecoveryCodesEachWorkOnceAndOnlyHashesAreStored(Backing backing) throws Exception {
        try (Rig r = new Rig(backing)) {
            RecoveryCodes codes = r.totp.newRecoveryCodes("u1");
            assertThat(codes.codes()).hasSize(10).doesNotHaveDuplicates()
                    .allSatisfy(c -> assertThat(c).matches("[a-z2-9]{4}(-[a-z2-9]{4}){5}"));
            assertThat(codes.toString()).doesNotContain(codes.codes().get(0));
            assertThat(r.totp.remainingRecoveryCodes("u1")).isEqualTo(10);
            String first = codes.codes().get(0);
            assertThat(r.totp.useRecoveryCode("u2", first)).as("another user's code").isFalse();
            assertThat(r.totp.useRecoveryCode("u1", first.toUpperCase().replace("-", " "))).isTrue();
            assertThat(r.totp.useRecoveryCode("u1", first)).as("second use").isFalse();
            assertThat(r.totp.remainingRecoveryCodes("u1")).isEqualTo(9);
            if (!r.opened.inMemory()) {
                List<String> stored = new java.util.ArrayList<>();
                try (var c = r.opened.dataSource().getConnection(); var st = c.createStatement();
                     var rs = st.executeQuery("SELECT code_hash FROM bulwark_auth_recovery_code")) {
                    while (rs.next()) stored.add(rs.getString(1));
                }
                assertThat(stored).hasSize(9).allSatisfy(h -> assertThat(h).hasSize(64));
                for (String code : codes.codes()) assertThat(stored).noneMatch(h -> h.contains(code.replace("-", "")));
                assertThat(new HashSet<>(stored)).contains(TotpAuthenticator.recoveryHash(codes.codes().get(1)));
            }
            RecoveryCodes fresh = r.totp.newRecoveryCodes("u1");
            assertThat(r.totp.useRecoveryCode("u1", codes.codes().get(1))).as("old set replaced").isFalse();
            assertThat(r.totp.useRecoveryCode("u1", fresh.codes().get(1))).isTrue();
            r.totp.disable("u1");
            assertThat(r.totp.remainingRecoveryCodes("u1")).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void concurrentUseOfOneCodeSucceedsOnce(Backing backing) throws Exception {
        try (Rig r = new Rig(backing)) {
            TotpSecret s = TotpSecret.of("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
            String code = r.codeIn(s, 0);
            java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
            List<Thread> ts = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Thread t = new Thread(() -> { if (r.totp.verify("race", s, code)) ok.incrementAndGet(); });
                ts.add(t);
                t.start();
            }
            for (Thread t : ts) t.join();
            assertThat(ok.get()).isEqualTo(1);
        }
    }
}
