package dev.bulwark.auth.sso;

import java.util.Optional;
import java.util.Set;

/**
 * A user whose password the workspace's directory accepted in a simple bind over TLS, with the roles their groups
 * map to. Only {@link LdapAuthenticator} creates one. Not a session: the application still runs it through lockout,
 * rate limits, session creation and audit, and maps it to a member.
 */
public final class LdapIdentity {
    private final String workspaceId;
    private final String username;
    private final String dn;
    private final String email;
    private final Set<String> groups;
    private final Set<String> roles;

    LdapIdentity(String workspaceId, String username, String dn, String email, Set<String> groups, Set<String> roles) {
        this.workspaceId = workspaceId;
        this.username = username;
        this.dn = dn;
        this.email = email;
        this.groups = Set.copyOf(groups);
        this.roles = Set.copyOf(roles);
    }

    public String workspaceId() {
        return workspaceId;
    }

    /** The username as typed (the value the search filter matched). */
    public String username() {
        return username;
    }

    /** The entry's distinguished name (stable id to pin to the member). */
    public String dn() {
        return dn;
    }

    /** The e-mail attribute, lower-cased, if the entry has one. Directory data, not verified by anyone. */
    public Optional<String> email() {
        return Optional.ofNullable(email);
    }

    /** DNs of the groups the user is in (as the directory reports them). */
    public Set<String> groups() {
        return groups;
    }

    /** Workspace roles granted by the group mapping (or the default role). Never empty. */
    public Set<String> roles() {
        return roles;
    }

    @Override
    public String toString() {
        return "LdapIdentity[workspace=" + workspaceId + ", dn=" + dn + ", roles=" + roles + "]";
    }
}
