package dev.bulwark.app.platform;

import dev.bulwark.app.account.User;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.Outcome;
import dev.bulwark.auth.apikey.ApiKeyCheck;
import dev.bulwark.auth.apikey.ApiKeyScope;
import dev.bulwark.auth.apikey.VerifiedApiKey;
import dev.bulwark.auth.session.VerifiedSession;
import dev.bulwark.tenancy.AccessDenied;
import dev.bulwark.tenancy.TenantContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/** Session and API-key authentication, and workspace entry through tenancy. */
final class AppGuard implements Guard {
    private static final Logger log = LoggerFactory.getLogger(AppGuard.class);
    private Services s;
    private dev.bulwark.app.sso.SsoEnforcement sso;

    void bind(Services s) {
        this.s = s;
        this.sso = new dev.bulwark.app.sso.SsoEnforcement(s);
    }

    @Override
    public Principal fromSession(String token) {
        Optional<VerifiedSession> v = s.sessions().validate(token);
        if (v.isEmpty()) return null;
        Optional<User> u = s.users().byId(v.get().userId());
        if (u.isEmpty()) return null;
        User user = u.get();
        return Principal.session(user.id(), user.email(), user.name(), user.emailVerified(), user.mfaEnabled(), v.get().sessionId());
    }

    @Override
    public Principal fromApiKey(String presented, boolean writes, String clientIp) {
        ApiKeyCheck c = s.apiKeys().authenticate(presented, writes ? ApiKeyScope.READ_WRITE : ApiKeyScope.READ_ONLY, clientIp);
        if (!c.valid()) {
            if (c.reason().orElse(null) == ApiKeyCheck.Reason.INSUFFICIENT_SCOPE) {
                throw new AppError(403, "insufficient_scope", "This API key is read-only.");
            }
            throw new AppError(401, "invalid_token", "The API key is not valid (unknown, revoked or expired).");
        }
        VerifiedApiKey k = c.key().orElseThrow();
        String owner = k.ownerId();
        int sep = owner.indexOf(':');
        if (sep < 1) throw new AppError(401, "invalid_token", "The API key is not valid.");
        return Principal.apiKey(owner.substring(sep + 1), k.keyId(), owner.substring(0, sep), k.scope() == ApiKeyScope.READ_WRITE);
    }

    @Override
    public TenantContext enter(Principal principal, String workspaceId) {
        TenantContext ctx = s.tenancy().enter(principal.userId(), workspaceId);
        sso.checkEntry(principal, ctx);
        return ctx;
    }

    /**
     * Every refused access-control decision goes to the platform chain, flagged suspicious: the workspace chain is not
     * used because the workspace named in the request may not exist (or not be the caller's), and writing there only
     * when it does would tell the two apart by timing.
     */
    @Override
    public void denied(Req req, AccessDenied refusal) {
        try {
            String ws = req.params.get("ws");
            s.audit().platform(Audit.actor(req.principal), "access.denied", null, null, Outcome.DENIED, req.clientIp,
                    Details.builder().put("reason", refusal.reason().name()).put("request", req.method + " " + req.path)
                            .put("workspace", ws == null ? "" : ws).build(), true);
        } catch (RuntimeException e) {
            log.warn("could not record a refused access decision ({}): {}", refusal.reason(), e.toString());
        }
    }

    @Override
    public WorkspaceSettings settings(TenantContext ctx) {
        return s.settings().get(ctx);
    }
}
