package dev.bulwark.auth.sso;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SsoPolicyTest {
    static final SsoPolicy.Member OWNER = new SsoPolicy.Member("m_owner", true);
    static final SsoPolicy.Member MEMBER = new SsoPolicy.Member("m_staff", false);
    final SsoPolicy required = SsoPolicy.builder().requireSso(true).build();

    @Test
    void requiredSsoMakesPasswordLoginImpossibleForMembersEvenWithMfa() {
        assertThat(required.decide(MEMBER, LoginMethod.PASSWORD, false)).isEqualTo(SsoDecision.DENY_SSO_REQUIRED);
        assertThat(required.decide(MEMBER, LoginMethod.PASSWORD, true)).isEqualTo(SsoDecision.DENY_SSO_REQUIRED);
        assertThat(required.decide(MEMBER, LoginMethod.OIDC, false)).isEqualTo(SsoDecision.ALLOW);
        assertThat(required.decide(MEMBER, LoginMethod.LDAP, false)).isEqualTo(SsoDecision.ALLOW);
    }

    @Test
    void ownersBreakGlassNeedsMfa() {
        assertThat(required.decide(OWNER, LoginMethod.PASSWORD, false)).isEqualTo(SsoDecision.REQUIRE_MFA);
        assertThat(required.decide(OWNER, LoginMethod.PASSWORD, false).allowsSession()).isFalse();
        assertThat(required.decide(OWNER, LoginMethod.PASSWORD, true)).isEqualTo(SsoDecision.ALLOW_BREAK_GLASS);
        assertThat(required.decide(OWNER, LoginMethod.PASSWORD, true).allowsSession()).isTrue();
    }

    @Test
    void breakGlassCanBeSwitchedOff() {
        SsoPolicy strict = SsoPolicy.builder().requireSso(true).ownerBreakGlass(false).build();
        assertThat(strict.decide(OWNER, LoginMethod.PASSWORD, true)).isEqualTo(SsoDecision.DENY_SSO_REQUIRED);
        assertThat(strict.decide(OWNER, LoginMethod.OIDC, false)).isEqualTo(SsoDecision.ALLOW);
    }

    @Test
    void withoutRequiredSsoPasswordLoginIsAllowed() {
        SsoPolicy open = SsoPolicy.builder().build();
        assertThat(open.requiresSso()).isFalse();
        assertThat(open.decide(MEMBER, LoginMethod.PASSWORD, false)).isEqualTo(SsoDecision.ALLOW);
    }

    @Property(tries = 200)
    void passwordSessionUnderRequiredSsoOnlyForOwnersWithMfaAndBreakGlass(@ForAll boolean requireSso, @ForAll boolean breakGlass,
                                                                          @ForAll boolean owner, @ForAll LoginMethod method,
                                                                          @ForAll boolean mfa) {
        SsoPolicy p = SsoPolicy.builder().requireSso(requireSso).ownerBreakGlass(breakGlass).build();
        SsoDecision d = p.decide(new SsoPolicy.Member("m", owner), method, mfa);
        if (method == LoginMethod.PASSWORD && requireSso) {
            assertThat(d.allowsSession()).isEqualTo(owner && breakGlass && mfa);
            assertThat(d == SsoDecision.ALLOW_BREAK_GLASS).isEqualTo(owner && breakGlass && mfa);
        } else {
            assertThat(d).isEqualTo(SsoDecision.ALLOW);
        }
    }
}
