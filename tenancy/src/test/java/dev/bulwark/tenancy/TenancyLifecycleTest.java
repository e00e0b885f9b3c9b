package dev.bulwark.tenancy;

import dev.bulwark.crypto.InMemoryKeysetStore;
import dev.bulwark.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.bulwark.tenancy.TenancyScenarios.denied;
import static dev.bulwark.tenancy.TenancyScenarios.failed;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link Tenancy} rules that do not depend on the store (in memory); TenancyStoreContractIT covers the stores. */
class TenancyLifecycleTest {
    private final MutableClock clock = MutableClock.at("2025-03-01T09:00:00Z");
    private final RecordingStore store = new RecordingStore();
    private final Tenancy tenancy = Tenancy.builder().store(store).keyring(TestKeys.keyring(new InMemoryKeysetStore())).clock(clock).build();

    @Test
    void creationMembershipAndDeletionTimesComeFromTheConfiguredClock() {
        Workspace ws = tenancy.createWorkspace("Acme Hair", "alice");
        assertThat(ws.createdAt()).isEqualTo(Instant.parse("2025-03-01T09:00:00Z"));
        assertThat(ws.deleted()).isFalse();
        assertThat(ws.shredded()).isFalse();
        TenantContext alice = tenancy.enter("alice", ws.id());
        assertThat(tenancy.members(alice)).singleElement()
                .isEqualTo(new Membership(ws.id(), "alice", Role.OWNER, Instant.parse("2025-03-01T09:00:00Z")));

        clock.advance(Duration.ofDays(1));
        Membership bob = tenancy.addMember(alice, "bob", Role.STAFF);
        assertThat(bob).isEqualTo(new Membership(ws.id(), "bob", Role.STAFF, Instant.parse("2025-03-02T09:00:00Z")));
        assertThat(tenancy.members(alice)).containsExactly(
                new Membership(ws.id(), "alice", Role.OWNER, Instant.parse("2025-03-01T09:00:00Z")), bob);

        clock.advance(Duration.ofDays(1));
        Workspace record = tenancy.deleteWorkspace(alice);
        assertThat(record.deletedAt()).isEqualTo(Instant.parse("2025-03-03T09:00:00Z"));
        assertThat(record.shreddedAt()).isEqualTo(Instant.parse("2025-03-03T09:00:00Z"));
        assertThat(record.createdAt()).isEqualTo(ws.createdAt());
        assertThat(record.name()).isEqualTo("Acme Hair");
    }

    @Test
    void workspaceNameIsTrimmedAndMayBeUpTo200Characters() {
        assertThat(tenancy.createWorkspace("  Acme Hair   ", "alice").name()).isEqualTo("Acme Hair");
        String longest = "n".repeat(200);
        Workspace ws = tenancy.createWorkspace(longest, "alice");
        assertThat(ws.name()).isEqualTo(longest);
        assertThat(tenancy.workspace(tenancy.enter("alice", ws.id())).orElseThrow().name()).isEqualTo(longest);
        assertThat(failed(() -> tenancy.createWorkspace(longest + "n", "alice"))).isEqualTo(TenancyException.Reason.INVALID_INPUT);
        assertThat(failed(() -> tenancy.createWorkspace(" \t ", "alice"))).isEqualTo(TenancyException.Reason.INVALID_INPUT);
        assertThat(failed(() -> tenancy.createWorkspace(null, "alice"))).isEqualTo(TenancyException.Reason.INVALID_INPUT);
        assertThat(failed(() -> tenancy.createWorkspace("Acme\nHair", "alice"))).isEqualTo(TenancyException.Reason.INVALID_INPUT);
        assertThat(failed(() -> tenancy.createWorkspace("Acme\tHair", "alice"))).isEqualTo(TenancyException.Reason.INVALID_INPUT);
    }

    @Test
    void workspaceAndMemberIdsAreAcceptedUpToTheirMaximumLength() {
        String id64 = "w".repeat(64);
        String member128 = "m".repeat(128);
        Workspace ws = tenancy.createWorkspace(id64, "Max", member128);
        assertThat(tenancy.enter(member128, id64).role()).isEqualTo(Role.OWNER);
        assertThat(failed(() -> tenancy.createWorkspace(id64 + "w", "Too long", "alice"))).isEqualTo(TenancyException.Reason.INVALID_INPUT);
        assertThat(failed(() -> tenancy.createWorkspace("Too long", member128 + "m"))).isEqualTo(TenancyException.Reason.INVALID_INPUT);
        assertThat(failed(() -> tenancy.createWorkspace("No owner", null))).isEqualTo(TenancyException.Reason.INVALID_INPUT);
        assertThat(tenancy.workspacesOf(member128)).extracting(Membership::workspaceId).containsExactly(ws.id());
    }

    @Test
    void everyMemberCanReadTheirWorkspaceRecordButNotWithoutAContext() {
        TestTenants t = new TestTenants();
        Workspace ws = t.workspace("olga");
        for (Role r : Role.values()) {
            assertThat(t.tenancy.workspace(t.as(r, "olga", ws))).contains(ws);
        }
        assertThat(denied(() -> t.tenancy.workspace(null))).isEqualTo(AccessDenied.Reason.NO_TENANT_CONTEXT);
        assertThat(denied(() -> t.tenancy.deleteWorkspace(null))).isEqualTo(AccessDenied.Reason.NO_TENANT_CONTEXT);
        assertThat(denied(() -> t.tenancy.addMember(null, "x", Role.VIEWER))).isEqualTo(AccessDenied.Reason.NO_TENANT_CONTEXT);
        assertThat(denied(() -> t.tenancy.changeRole(null, "x", Role.VIEWER))).isEqualTo(AccessDenied.Reason.NO_TENANT_CONTEXT);
        assertThat(denied(() -> t.tenancy.removeMember(null, "x"))).isEqualTo(AccessDenied.Reason.NO_TENANT_CONTEXT);
    }

    @Test
    void ownerMayAppointAnotherOwnerDirectly() {
        Workspace ws = tenancy.createWorkspace("Two owners", "alice");
        TenantContext alice = tenancy.enter("alice", ws.id());
        assertThat(tenancy.addMember(alice, "bob", Role.OWNER).role()).isEqualTo(Role.OWNER);
        tenancy.removeMember(tenancy.enter("bob", ws.id()), "alice"); // bob, now an owner, may remove the other owner
        assertThat(denied(() -> tenancy.enter("alice", ws.id()))).isEqualTo(AccessDenied.Reason.NOT_A_MEMBER);
        assertThat(failed(() -> tenancy.removeMember(tenancy.enter("bob", ws.id()), "ghost"))).isEqualTo(TenancyException.Reason.NO_SUCH_MEMBER);
    }

    /** A context is a snapshot: one taken before the deletion must not be able to repopulate the deleted workspace. */
    @Test
    void staleContextCannotAddMembersToADeletedWorkspace() {
        Workspace ws = tenancy.createWorkspace("Gone", "alice");
        TenantContext alice = tenancy.enter("alice", ws.id());
        TenantContext stale = tenancy.enter("alice", ws.id());
        tenancy.deleteWorkspace(alice);
        assertThat(denied(() -> tenancy.addMember(stale, "mallory", Role.ADMIN))).isEqualTo(AccessDenied.Reason.WORKSPACE_DELETED);
        assertThat(store.memberships(ws.id())).isEmpty();
        assertThat(denied(() -> tenancy.enter("mallory", ws.id()))).isEqualTo(AccessDenied.Reason.WORKSPACE_DELETED);
    }

    /** Ids from a request are checked before any lookup, so a custom store never sees malformed input. */
    @Test
    void malformedIdsAreRefusedBeforeTheStoreIsAsked() {
        Workspace ws = tenancy.createWorkspace("Acme", "alice");
        store.calls.clear();
        List<Runnable> probes = List.of(
                () -> tenancy.enter("alice bob", ws.id()),
                () -> tenancy.enter("m".repeat(129), ws.id()),
                () -> tenancy.enter(null, ws.id()),
                () -> tenancy.enter("alice", ws.id() + "/../x"),
                () -> tenancy.enter("alice", "w".repeat(65)),
                () -> tenancy.enter("alice", ""),
                () -> tenancy.enter("alice", null));
        for (Runnable probe : probes) assertThat(denied(probe)).isEqualTo(AccessDenied.Reason.NOT_A_MEMBER);
        assertThat(failed(() -> tenancy.workspacesOf("alice' OR 1=1"))).isEqualTo(TenancyException.Reason.INVALID_INPUT);
        assertThat(failed(() -> tenancy.workspacesOf(null))).isEqualTo(TenancyException.Reason.INVALID_INPUT);
        assertThat(failed(() -> tenancy.deletionRecord("x' OR 1=1"))).isEqualTo(TenancyException.Reason.INVALID_INPUT);
        assertThat(failed(() -> tenancy.createWorkspace("bad id!", "Acme", "alice"))).isEqualTo(TenancyException.Reason.INVALID_INPUT);
        assertThat(store.calls).isEmpty();

        assertThat(tenancy.enter("alice", ws.id()).workspaceId()).isEqualTo(ws.id());
        assertThat(store.calls).containsExactly("membership");
    }

    @Test
    void deletionRecordExistsOnlyForDeletedWorkspaces() {
        Workspace ws = tenancy.createWorkspace("Acme", "alice");
        assertThat(tenancy.deletionRecord(ws.id())).isEmpty();
        assertThat(tenancy.deletionRecord("never_created")).isEmpty();
        Workspace record = tenancy.deleteWorkspace(tenancy.enter("alice", ws.id()));
        assertThat(tenancy.deletionRecord(ws.id())).contains(record);
    }

    /** Delegates to the in-memory store and records which operations {@link Tenancy} asked for. */
    private static final class RecordingStore implements TenancyStore {
        final InMemoryTenancyStore delegate = new InMemoryTenancyStore();
        final List<String> calls = new ArrayList<>();

        @Override
        public boolean createWorkspace(Workspace workspace, Membership owner) {
            calls.add("createWorkspace");
            return delegate.createWorkspace(workspace, owner);
        }

        @Override
        public Optional<Workspace> workspace(String workspaceId) {
            calls.add("workspace");
            return delegate.workspace(workspaceId);
        }

        @Override
        public Optional<Membership> membership(String workspaceId, String memberId) {
            calls.add("membership");
            return delegate.membership(workspaceId, memberId);
        }

        @Override
        public List<Membership> memberships(String workspaceId) {
            calls.add("memberships");
            return delegate.memberships(workspaceId);
        }

        @Override
        public List<Membership> membershipsOf(String memberId) {
            calls.add("membershipsOf");
            return delegate.membershipsOf(memberId);
        }

        @Override
        public boolean addMembership(Membership membership) {
            calls.add("addMembership");
            return delegate.addMembership(membership);
        }

        @Override
        public Change changeMembership(String workspaceId, String memberId, Role newRole) {
            calls.add("changeMembership");
            return delegate.changeMembership(workspaceId, memberId, newRole);
        }

        @Override
        public boolean markDeleted(String workspaceId, Instant at) {
            calls.add("markDeleted");
            return delegate.markDeleted(workspaceId, at);
        }

        @Override
        public void recordShredded(String workspaceId, List<String> keysetIds, Instant at) {
            calls.add("recordShredded");
            delegate.recordShredded(workspaceId, keysetIds, at);
        }

        @Override
        public List<Workspace> awaitingShredding() {
            calls.add("awaitingShredding");
            return delegate.awaitingShredding();
        }
    }
}
