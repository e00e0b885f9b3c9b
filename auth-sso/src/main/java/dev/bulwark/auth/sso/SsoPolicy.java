package dev.bulwark.auth.sso;

import java.util.Objects;

/**
 * A workspace's sign-in enforcement. With "require SSO" on, password login is impossible for members; owners keep a
 * break-glass path (password and MFA, both verified) so that a broken or misconfigured identity provider cannot lock
 * the organisation out of its own workspace. Break-glass can be switched off per workspace (then owners need SSO too).
 *
 * <pre>{@code
 * SsoPolicy policy = SsoPolicy.builder().requireSso(workspace.requiresSso()).build();
 * SsoDecision d = policy.decide(new SsoPolicy.Member(memberId, isOwner), LoginMethod.PASSWORD, mfaVerified);
 * if (!d.allowsSession()) ...  // REQUIRE_MFA: ask for the second factor; DENY_SSO_REQUIRED: send to SSO
 * }</pre>
 *
 * <p>Call it before checking the password as well (with {@code mfaVerified=false}): a {@code DENY_SSO_REQUIRED}
 * member's password is then never checked, so password guessing against SSO-only members learns nothing.
 */
public final class SsoPolicy {
    /** The member signing in, as the policy needs it. */
    public record Member(String memberId, boolean owner) {
        public Member {
            Objects.requireNonNull(memberId, "memberId");
        }
    }

    private final boolean requireSso;
    private final boolean ownerBreakGlass;

    private SsoPolicy(boolean requireSso, boolean ownerBreakGlass) {
        this.requireSso = requireSso;
        this.ownerBreakGlass = ownerBreakGlass;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean requiresSso() {
        return requireSso;
    }

    public boolean ownerBreakGlass() {
        return ownerBreakGlass;
    }

    /**
     * Decides whether {@code member} may sign in with {@code method}.
     *
     * @param mfaVerified whether the member has passed a second factor (TOTP, passkey) in this login
     */
    public SsoDecision decide(Member member, LoginMethod method, boolean mfaVerified) {
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(method, "method");
        if (method.isSso() || !requireSso) return SsoDecision.ALLOW;
        if (!member.owner() || !ownerBreakGlass) return SsoDecision.DENY_SSO_REQUIRED;
        return mfaVerified ? SsoDecision.ALLOW_BREAK_GLASS : SsoDecision.REQUIRE_MFA;
    }

    @Override
    public String toString() {
        return "SsoPolicy[requireSso=" + requireSso + ", ownerBreakGlass=" + ownerBreakGlass + "]";
    }

    /** Builds an {@link SsoPolicy}. Default: SSO not required; when required, owner break-glass with MFA on. */
    public static final class Builder {
        private boolean requireSso;
        private boolean ownerBreakGlass = true;

        private Builder() {}

        /** The workspace setting "require SSO". */
        public Builder requireSso(boolean requireSso) {
            this.requireSso = requireSso;
            return this;
        }

        /**
         * Whether owners may still sign in with password + MFA while SSO is required (default true). Turning it off
         * is stricter: then an identity-provider outage locks everyone out until support intervenes.
         */
        public Builder ownerBreakGlass(boolean allowed) {
            this.ownerBreakGlass = allowed;
            return this;
        }

        public SsoPolicy build() {
            return new SsoPolicy(requireSso, ownerBreakGlass);
        }
    }
}
