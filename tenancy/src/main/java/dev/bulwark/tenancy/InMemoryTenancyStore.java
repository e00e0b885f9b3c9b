package dev.bulwark.tenancy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Workspaces and memberships in memory: one node and tests. Every operation holds one lock, so changes are atomic. */
public final class InMemoryTenancyStore implements TenancyStore {
    private final Map<String, Workspace> workspaces = new LinkedHashMap<>();
    private final Map<String, Map<String, Membership>> members = new LinkedHashMap<>();

    @Override
    public synchronized boolean createWorkspace(Workspace workspace, Membership owner) {
        if (workspaces.containsKey(workspace.id())) return false;
        workspaces.put(workspace.id(), workspace);
        Map<String, Membership> m = new LinkedHashMap<>();
        m.put(owner.memberId(), owner);
        members.put(workspace.id(), m);
        return true;
    }

    @Override
    public synchronized Optional<Workspace> workspace(String workspaceId) {
        return Optional.ofNullable(workspaces.get(workspaceId));
    }

    @Override
    public synchronized Optional<Membership> membership(String workspaceId, String memberId) {
        return Optional.ofNullable(members.getOrDefault(workspaceId, Map.of()).get(memberId));
    }

    @Override
    public synchronized List<Membership> memberships(String workspaceId) {
        return List.copyOf(members.getOrDefault(workspaceId, Map.of()).values());
    }

    @Override
    public synchronized List<Membership> membershipsOf(String memberId) {
        List<Membership> out = new ArrayList<>();
        for (Map<String, Membership> m : members.values()) {
            Membership x = m.get(memberId);
            if (x != null) out.add(x);
        }
        return out;
    }

    @Override
    public synchronized boolean addMembership(Membership membership) {
        Workspace ws = workspaces.get(membership.workspaceId());
        if (ws == null || ws.deleted()) return false;
        return members.get(membership.workspaceId()).putIfAbsent(membership.memberId(), membership) == null;
    }

    @Override
    public synchronized Change changeMembership(String workspaceId, String memberId, Role newRole) {
        Map<String, Membership> m = members.get(workspaceId);
        Membership current = m == null ? null : m.get(memberId);
        if (current == null) return Change.NO_SUCH_MEMBER;
        if (current.role() == Role.OWNER && newRole != Role.OWNER) {
            long owners = m.values().stream().filter(x -> x.role() == Role.OWNER).count();
            if (owners <= 1) return Change.LAST_OWNER;
        }
        if (newRole == null) m.remove(memberId);
        else m.put(memberId, new Membership(workspaceId, memberId, newRole, current.since()));
        return Change.DONE;
    }

    @Override
    public synchronized boolean markDeleted(String workspaceId, Instant at) {
        Workspace ws = workspaces.get(workspaceId);
        if (ws == null || ws.deleted()) return false;
        workspaces.put(workspaceId, new Workspace(ws.id(), ws.name(), ws.createdAt(), at, null, List.of()));
        members.get(workspaceId).clear();
        return true;
    }

    @Override
    public synchronized void recordShredded(String workspaceId, List<String> keysetIds, Instant at) {
        Workspace ws = workspaces.get(workspaceId);
        if (ws == null) return;
        workspaces.put(workspaceId, new Workspace(ws.id(), ws.name(), ws.createdAt(), ws.deletedAt(), at, keysetIds));
    }

    @Override
    public synchronized List<Workspace> awaitingShredding() {
        return workspaces.values().stream().filter(w -> w.deleted() && !w.shredded()).toList();
    }

    @Override
    public String toString() {
        return "InMemoryTenancyStore";
    }
}
