package dev.bulwark.app.platform;

import dev.bulwark.app.account.User;
import dev.bulwark.audit.Actor;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.Outcome;
import dev.bulwark.auth.event.SecurityEvent;
import dev.bulwark.auth.event.SecurityEventListener;

import java.util.Optional;

/**
 * auth-guard's security events → audit (platform chain, and the workspaces of a known account, flagged suspicious
 * for the "suspicious activity" view) and, for a lockout, an e-mail to the account's owner (ASVS 2.5.5).
 */
final class SecurityEvents implements SecurityEventListener {
    private Services s;

    void bind(Services s) {
        this.s = s;
    }

    @Override
    public void on(SecurityEvent e) {
        if (s == null) return;
        if (e instanceof SecurityEvent.LoginFailed f) {
            account(f.account(), "login.failed", f.clientAddress(), Details.of("reason", f.reason().name()), false);
        } else if (e instanceof SecurityEvent.AccountLocked l) {
            Optional<User> u = account(l.account(), "account.locked", l.clientAddress(),
                    Details.of("locked_until", l.lockedUntil().toString(), "lockouts", l.lockoutCount()), true);
            u.ifPresent(user -> s.mailer().send(new Mail(user.email(), "Your account was locked",
                    "Hello " + user.name() + ",\n\nAfter repeated failed sign-in attempts your Bulwark account is locked until "
                            + l.lockedUntil() + ". If this was not you, someone may be guessing your password; you can reset it at "
                            + s.url("/password/forgot") + " (this also unlocks the account).\n", null)));
        } else if (e instanceof SecurityEvent.MfaFailed m) {
            account(m.account(), "login.mfa_failed", m.clientAddress(), Details.EMPTY, false);
        } else if (e instanceof SecurityEvent.RateLimited r) {
            s.audit().platform(Actor.system("rate-limiter"), "rate_limited", null, null, Outcome.DENIED, r.clientAddress(), Details.of("limit", r.limit()), true);
        } else if (e instanceof SecurityEvent.NewAddressForAccount n) {
            account(n.account(), "login.new_address", n.clientAddress(), Details.EMPTY, false);
        } else if (e instanceof SecurityEvent.ApiKeyMisuse k) {
            s.audit().platform(Actor.system("api-keys"), "api_key.misuse", "api_key", k.keyId(), Outcome.DENIED, k.clientAddress(), Details.of("reason", k.reason()), true);
        } else if (e instanceof SecurityEvent.AccountUnlocked u) {
            account(u.account(), "account.unlocked", null, Details.of("by", u.by()), false);
        }
    }

    private Optional<User> account(String account, String action, String ip, Details details, boolean alwaysSuspicious) {
        String email = account.endsWith(" (device)") ? account.substring(0, account.length() - 9) : account;
        Optional<User> u = s.users().byEmail(email);
        boolean suspicious = alwaysSuspicious || action.endsWith("failed");
        Actor actor = u.map(x -> Actor.member(x.id())).orElse(Actor.system("unknown-account"));
        s.audit().platform(actor, action, "user", u.map(User::id).orElse(null), action.endsWith("failed") || action.equals("account.locked") ? Outcome.DENIED : Outcome.SUCCESS,
                ip, details, suspicious);
        u.ifPresent(user -> {
            for (var m : s.tenancy().workspacesOf(user.id())) {
                s.audit().record(dev.bulwark.audit.ChainId.workspace(m.workspaceId()), actor, action, "user", user.id(),
                        action.endsWith("failed") || action.equals("account.locked") ? Outcome.DENIED : Outcome.SUCCESS, ip, null, details, suspicious);
            }
        });
        return u;
    }
}
