package dev.bulwark.auth.sso;

import java.util.Optional;

/**
 * The application's membership records, as OIDC sign-in needs them: find a member by verified e-mail address and,
 * when just-in-time membership is enabled for the workspace, create one.
 */
public interface MemberDirectory {
    /**
     * The member of {@code workspaceId} whose e-mail address is {@code email} (already lower-cased and verified by the
     * identity provider), or empty.
     */
    Optional<SsoMember> findByEmail(String workspaceId, String email);

    /**
     * Creates a membership for a user who signed in through the workspace's provider for the first time. Called only
     * when the workspace enabled just-in-time membership; {@code role} is the workspace's configured default role.
     * The implementation should be idempotent for one (workspace, e-mail) pair (two first logins may race).
     */
    SsoMember provision(String workspaceId, String email, String role, String issuer, String subject);
}
