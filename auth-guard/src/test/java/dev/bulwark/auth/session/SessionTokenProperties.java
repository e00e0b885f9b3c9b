package dev.bulwark.auth.session;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SessionTokenProperties {
    private final SessionManager sessions = SessionManager.builder().build();

    @Property(tries = 10000)
    void arbitraryPresentedTokensAreRefusedWithoutThrowing(@ForAll String token) {
        assertThat(sessions.check(token).valid()).isFalse();
        assertThat(sessions.revoke(token)).isFalse();
    }

    @Property(tries = 1000)
    void tamperedTokenIsRejected(@ForAll("positions") int pos) {
        String token = sessions.create("u", null, null).token();
        char c = token.charAt(pos);
        String tampered = token.substring(0, pos) + (c == 'A' ? 'B' : 'A') + token.substring(pos + 1);
        assertThat(sessions.check(tampered).valid()).isFalse();
        assertThat(sessions.check(token).valid()).isTrue();
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Integer> positions() {
        return net.jqwik.api.Arbitraries.integers().between(0, 42);
    }

    @Test
    void nullAndMalformedTokensGiveMalformed() {
        assertThat(sessions.check(null).reason()).contains(SessionCheck.Reason.MALFORMED);
        assertThat(sessions.check("x".repeat(43) + "=").reason()).contains(SessionCheck.Reason.MALFORMED);
    }
}
