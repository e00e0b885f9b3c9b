package dev.bulwark.app.platform;

import dev.bulwark.tenancy.TenantContext;

/** What {@link Web} needs from the account and workspace features to authenticate and scope a request. */
public interface Guard {
    /** The signed-in user of a session token, or null when the token is not a live session. */
    Principal fromSession(String token);

    /** The caller of a presented API key; throws 401/403 {@link AppError}s for bad keys or scopes. */
    Principal fromApiKey(String presented, boolean writes, String clientIp);

    /** The tenant context for the principal in this workspace; throws {@link dev.bulwark.tenancy.AccessDenied}. */
    TenantContext enter(Principal principal, String workspaceId);

    WorkspaceSettings settings(TenantContext ctx);

    /**
     * Records a refused access-control decision (ASVS 7.2.2) before the caller gets its 403/404. Must not throw: the
     * refusal is answered whether or not it could be recorded.
     */
    default void denied(Req req, dev.bulwark.tenancy.AccessDenied refusal) {}
}
