package dev.bulwark.links;

/**
 * A revocation version per resource: a link carries the version of its resource at issue time, and
 * {@link #revokeAll(String, String)} bumps it, so every link to that resource issued before is refused
 * without keeping a list of tokens. Resources are identified by workspace and resource id; use ids that are
 * unique across kinds (e.g. {@code inv_42}, {@code bkg_42}).
 * Implementations: {@link InMemoryLinkRevocationStore} and {@link JdbcLinkRevocationStore}.
 */
public interface LinkRevocationStore {
    /** The current version, 0 for a resource never revoked. */
    long currentVersion(String workspaceId, String resourceId);

    /** Revokes every link issued so far to the resource; returns the new version. */
    long revokeAll(String workspaceId, String resourceId);
}
