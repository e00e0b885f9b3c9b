package dev.bulwark.tenancy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where workspaces and memberships live. Two implementations: {@link InMemoryTenancyStore} (one node, tests) and
 * {@link JdbcTenancyStore} (PostgreSQL and H2). Changes that could leave a workspace without an owner are atomic.
 */
public interface TenancyStore {

    /** Outcome of a membership change. */
    enum Change { DONE, NO_SUCH_MEMBER, LAST_OWNER }

    /** Stores a new workspace with its first owner, atomically. Returns {@code false} if the id was ever used. */
    boolean createWorkspace(Workspace workspace, Membership owner);

    Optional<Workspace> workspace(String workspaceId);

    Optional<Membership> membership(String workspaceId, String memberId);

    /** Members of a workspace, in joining order. */
    List<Membership> memberships(String workspaceId);

    /** Workspaces a member belongs to. */
    List<Membership> membershipsOf(String memberId);

    /** Returns {@code false} if the member is already in the workspace. */
    boolean addMembership(Membership membership);

    /**
     * Sets the member's role ({@code newRole != null}) or removes the membership ({@code newRole == null}) unless
     * that would leave the workspace without an owner; the check and the change are one atomic step.
     */
    Change changeMembership(String workspaceId, String memberId, Role newRole);

    /** Marks the workspace deleted and drops its memberships. Returns {@code false} if absent or already deleted. */
    boolean markDeleted(String workspaceId, Instant at);

    /** Records that the workspace's keysets were destroyed. */
    void recordShredded(String workspaceId, List<String> keysetIds, Instant at);

    /** Deleted workspaces whose keys were not destroyed yet (e.g. the process stopped in between). */
    List<Workspace> awaitingShredding();
}
