package dev.bulwark.auth.sso;

/**
 * What {@link SsoPolicy#decide} allows. Only {@link #ALLOW} and {@link #ALLOW_BREAK_GLASS} may lead to a session;
 * {@link #REQUIRE_MFA} means "not yet": ask for the second factor and decide again.
 */
public enum SsoDecision {
    /** The method is allowed for this member. */
    ALLOW(true, "sign-in allowed"),
    /** An owner's password + MFA login while the workspace requires SSO: allowed, and must be audited prominently. */
    ALLOW_BREAK_GLASS(true, "break-glass sign-in allowed for an owner with MFA"),
    /** An owner's break-glass password login that has not passed MFA yet: ask for the second factor, no session. */
    REQUIRE_MFA(false, "this workspace requires single sign-on; owners may use their password only with MFA"),
    /** Password login while the workspace requires SSO (a non-owner, or break-glass disabled). */
    DENY_SSO_REQUIRED(false, "this workspace requires single sign-on");

    private final boolean allowsSession;
    private final String description;

    SsoDecision(boolean allowsSession, String description) {
        this.allowsSession = allowsSession;
        this.description = description;
    }

    /** Whether a session may be created now (after the app's own lockout, rate-limit and audit steps). */
    public boolean allowsSession() {
        return allowsSession;
    }

    public String description() {
        return description;
    }
}
