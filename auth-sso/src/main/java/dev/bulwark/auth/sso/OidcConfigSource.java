package dev.bulwark.auth.sso;

import java.util.Optional;

/** Looks up a workspace's OIDC provider configuration (usually from the application's database). */
@FunctionalInterface
public interface OidcConfigSource {
    /** The workspace's configuration, or empty if the workspace has no OIDC single sign-on. */
    Optional<OidcProviderConfig> forWorkspace(String workspaceId);
}
