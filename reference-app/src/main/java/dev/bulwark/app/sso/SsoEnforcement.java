package dev.bulwark.app.sso;

import dev.bulwark.app.account.AccountRoutes;
import dev.bulwark.app.account.User;
import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Principal;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Services;
import dev.bulwark.audit.Actor;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.Outcome;
import dev.bulwark.auth.login.LoginAttempt;
import dev.bulwark.auth.login.LoginResult;
import dev.bulwark.auth.sso.LoginMethod;
import dev.bulwark.auth.sso.SsoDecision;
import dev.bulwark.auth.sso.SsoPolicy;
import dev.bulwark.tenancy.AccessDenied;
import dev.bulwark.tenancy.JdbcTenancyStore;
import dev.bulwark.tenancy.Membership;
import dev.bulwark.tenancy.Role;
import dev.bulwark.tenancy.TenantContext;

import java.time.Duration;
import java.util.Optional;

/**
 * "Require SSO" (auth-sso's {@link SsoPolicy}) wired into the password login and the workspace guard:
 * <ul>
 *   <li>{@link #beforePassword}: a password login whose every workspace requires SSO for this member is refused
 *       <em>before</em> the password is compared (the attempt still passes auth-guard's rate limits as an unknown
 *       account, so it costs the same and teaches nothing about the password); an owner's break-glass login needs MFA
 *       turned on, and then continues to the MFA step.</li>
 *   <li>{@link #afterSecondFactor}: an owner's password + MFA login into a require-SSO workspace is audited as
 *       {@code sso.break_glass}, flagged suspicious.</li>
 *   <li>{@link #checkEntry}: on every workspace request, a password session cannot enter a require-SSO workspace
 *       unless the policy allows it (owner break-glass with MFA), and a session started by SSO enters only the
 *       workspace whose provider vouched for it.</li>
 * </ul>
 */
public final class SsoEnforcement {
    private final Services s;
    private final SsoRepository repo;
    private final JdbcTenancyStore memberships;

    public SsoEnforcement(Services s) {
        this.s = s;
        this.repo = new SsoRepository(s.db().dataSource());
        this.memberships = new JdbcTenancyStore(s.db().dataSource());
    }

    static SsoPolicy policy(SsoRepository.Policy p) {
        return SsoPolicy.builder().requireSso(p.requireSso()).ownerBreakGlass(p.ownerBreakGlass()).build();
    }

    /** Reads need a TenantContext: before anyone is signed in, the workspace is entered as one of its current owners. */
    TenantContext system(String workspaceId) {
        try {
            for (Membership m : memberships.memberships(workspaceId)) {
                if (m.role() == Role.OWNER) return s.tenancy().enter(m.memberId(), workspaceId);
            }
        } catch (IllegalArgumentException e) {
            // not a workspace id
        }
        throw new AccessDenied(AccessDenied.Reason.NOT_A_MEMBER, "not a workspace");
    }

    /**
     * Called by the password login before the password is checked.
     *
     * @throws AppError 403 {@code sso_required} when no workspace of the account may be entered with a password, 429 when
     *                  rate-limited
     */
    public void beforePassword(Optional<User> user, String email, String password, Req req) {
        if (user.isEmpty()) return;
        String uid = user.get().id();
        var all = s.tenancy().workspacesOf(uid);
        if (all.isEmpty()) return;
        int free = 0;
        boolean breakGlassPath = false;
        for (Membership m : all) {
            SsoRepository.Policy p = repo.policy(system(m.workspaceId()));
            SsoDecision d = policy(p).decide(new SsoPolicy.Member(uid, m.role() == Role.OWNER), LoginMethod.PASSWORD, false);
            if (d == SsoDecision.ALLOW) free++;
            else if (d == SsoDecision.REQUIRE_MFA) breakGlassPath = true;
        }
        if (free > 0 || (breakGlassPath && user.get().mfaEnabled())) return;
        // Refused without comparing the password: the attempt goes through auth-guard as an unknown account (rate limits,
        // same cost as a failed login), so SSO-only members' passwords cannot be tested here.
        LoginResult r = s.loginGuard().login(new LoginAttempt(email, password, req.client, req.cookies.get(AccountRoutes.DEVICE_COOKIE)),
                Optional.empty());
        if (r.status() == LoginResult.Status.RATE_LIMITED) throw tooMany(r.retryAfter());
        s.audit().platform(Actor.member(uid), "sso.password_login_refused", "user", uid, Outcome.DENIED, req.clientIp,
                Details.of("reason", breakGlassPath ? "break_glass_needs_mfa" : "sso_required"), false);
        throw new AppError(403, "sso_required", breakGlassPath
                ? "Your workspace requires single sign-on. Owners may sign in with a password only when two-factor authentication is on: use single sign-on."
                : "Your workspace requires single sign-on: use \"Sign in with SSO\".");
    }

    /** Called after the second factor of a password login was accepted: audits break-glass sign-ins. */
    public void afterSecondFactor(String userId, Req req) {
        for (Membership m : s.tenancy().workspacesOf(userId)) {
            SsoRepository.Policy p = repo.policy(system(m.workspaceId()));
            SsoDecision d = policy(p).decide(new SsoPolicy.Member(userId, m.role() == Role.OWNER), LoginMethod.PASSWORD, true);
            if (d == SsoDecision.ALLOW_BREAK_GLASS) {
                s.audit().workspace(m.workspaceId(), Actor.member(userId), "sso.break_glass", "user", userId, Outcome.SUCCESS, req,
                        Details.of("method", "password+mfa"), true);
                s.audit().platform(Actor.member(userId), "sso.break_glass", "workspace", m.workspaceId(), Outcome.SUCCESS, req.clientIp,
                        Details.of("method", "password+mfa"), true);
            }
        }
    }

    /**
     * Called by the workspace guard after tenancy let the principal in. API keys are not sessions and are not affected.
     *
     * @throws AccessDenied (answered 404) for an SSO session of another workspace; AppError 403 {@code sso_required}
     */
    public void checkEntry(Principal p, TenantContext ctx) {
        if (p.viaApiKey()) return;
        Optional<SsoRepository.Binding> b = repo.binding(p.sessionId());
        if (b.isPresent()) {
            if (!b.get().workspaceId().equals(ctx.workspaceId())) {
                throw new AccessDenied(AccessDenied.Reason.NOT_A_MEMBER, "this session was started by another workspace's single sign-on");
            }
            return;
        }
        SsoRepository.Policy pol = repo.policy(ctx);
        if (!pol.requireSso()) return;
        SsoDecision d = policy(pol).decide(new SsoPolicy.Member(p.userId(), ctx.role() == Role.OWNER), LoginMethod.PASSWORD, p.mfaEnabled());
        if (!d.allowsSession()) {
            throw new AppError(403, "sso_required", "This workspace requires single sign-on: sign in at " + s.url("/sso/" + ctx.workspaceId()) + ".");
        }
    }

    static AppError tooMany(Duration retryAfter) {
        long secs = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new AppError(429, "rate_limited", "Too many attempts. Try again in " + secs + " seconds.").retryAfter(secs);
    }
}
