package dev.bulwark.auth.sso;

import java.time.Instant;

/**
 * A workspace member who completed OIDC single sign-on: state and browser binding matched, the code was exchanged
 * with PKCE, the ID token's signature, issuer, audience, expiry and nonce verified, the e-mail address is verified
 * and from an allowed domain, and it maps to a member (possibly just provisioned). Only {@link OidcSignIn} creates
 * one, so a method that takes an {@code SsoIdentity} cannot be handed an unchecked login.
 *
 * <p>This is not a session: the application still runs it through lockout, rate limits, session creation and audit.
 */
public final class SsoIdentity {
    private final String workspaceId;
    private final SsoMember member;
    private final String email;
    private final String issuer;
    private final String subject;
    private final boolean provisioned;
    private final Instant authenticatedAt;

    SsoIdentity(String workspaceId, SsoMember member, String email, String issuer, String subject, boolean provisioned,
                Instant authenticatedAt) {
        this.workspaceId = workspaceId;
        this.member = member;
        this.email = email;
        this.issuer = issuer;
        this.subject = subject;
        this.provisioned = provisioned;
        this.authenticatedAt = authenticatedAt;
    }

    public String workspaceId() {
        return workspaceId;
    }

    public String memberId() {
        return member.memberId();
    }

    public String role() {
        return member.role();
    }

    /** The verified e-mail address, lower-cased. */
    public String email() {
        return email;
    }

    /** The issuer that vouched for the user. */
    public String issuer() {
        return issuer;
    }

    /** The provider's stable user id ({@code sub}); pin it to the member to notice e-mail reassignment. */
    public String subject() {
        return subject;
    }

    /** Whether this sign-in created the membership (just-in-time). */
    public boolean provisioned() {
        return provisioned;
    }

    public Instant authenticatedAt() {
        return authenticatedAt;
    }

    @Override
    public String toString() {
        return "SsoIdentity[workspace=" + workspaceId + ", member=" + member.memberId() + ", role=" + member.role()
                + ", issuer=" + issuer + (provisioned ? ", provisioned" : "") + "]";
    }
}
