package dev.bulwark.tenancy;

import dev.bulwark.crypto.KeyPurpose;
import dev.bulwark.crypto.KeysetName;
import dev.bulwark.crypto.Keyring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The entry point of tenancy: creates and deletes workspaces (with their per-workspace keys), manages memberships,
 * and turns an authenticated member plus a requested workspace into a {@link TenantContext} after checking the
 * membership in the store.
 *
 * <pre>{@code
 * Tenancy tenancy = Tenancy.builder().store(new JdbcTenancyStore(ds)).keyring(keyring).build();
 * Workspace ws = tenancy.createWorkspace("Acme Hair", session.memberId());
 * TenantContext ctx = tenancy.enter(session.memberId(), request.pathParam("workspace"));
 * ctx.require(Permission.INVOICES_VIEW);
 * }</pre>
 */
public final class Tenancy {
    private static final Logger log = LoggerFactory.getLogger(Tenancy.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TenancyStore store;
    private final Keyring keyring;
    private final Clock clock;

    private Tenancy(Builder b) {
        this.store = b.store;
        this.keyring = b.keyring;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Both the store and the keyring are required: every workspace gets its own keys, there is no keyless mode. */
    public static final class Builder {
        private TenancyStore store;
        private Keyring keyring;
        private Clock clock = Clock.systemUTC();

        public Builder store(TenancyStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        public Builder keyring(Keyring keyring) {
            this.keyring = Objects.requireNonNull(keyring, "keyring");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Tenancy build() {
            if (store == null) throw new IllegalStateException("a tenancy store is required: Tenancy.builder().store(...)");
            if (keyring == null) throw new IllegalStateException("a keyring is required for per-workspace keys: .keyring(...)");
            return new Tenancy(this);
        }
    }

    // ---------------------------------------------------------------- contexts

    /**
     * The only way to obtain a {@link TenantContext}: looks up {@code authenticatedMemberId}'s membership in
     * {@code workspaceId}. The member id must come from the authenticated session, never from the request; the
     * workspace id may come from the request because it is checked here.
     *
     * @throws AccessDenied {@code NOT_A_MEMBER} (also for unknown workspaces) or {@code WORKSPACE_DELETED}
     */
    public TenantContext enter(String authenticatedMemberId, String workspaceId) {
        if (authenticatedMemberId == null || workspaceId == null
                || !Ids.MEMBER_ID.matcher(authenticatedMemberId).matches()
                || !Ids.isWorkspaceId(workspaceId)) {
            throw new AccessDenied(AccessDenied.Reason.NOT_A_MEMBER, "not a member of this workspace");
        }
        Optional<Membership> m = store.membership(workspaceId, authenticatedMemberId);
        if (m.isEmpty()) {
            boolean deleted = store.workspace(workspaceId).map(Workspace::deleted).orElse(false);
            if (deleted) throw new AccessDenied(AccessDenied.Reason.WORKSPACE_DELETED, "this workspace was deleted");
            throw new AccessDenied(AccessDenied.Reason.NOT_A_MEMBER, "not a member of this workspace");
        }
        return new TenantContext(m.get());
    }

    /** The workspaces a member may enter (e.g. for a workspace switcher). */
    public List<Membership> workspacesOf(String authenticatedMemberId) {
        return store.membershipsOf(Ids.memberId(authenticatedMemberId));
    }

    // ---------------------------------------------------------------- workspaces

    /** Creates a workspace with a fresh random id, its owner, and its data and file keysets. */
    public Workspace createWorkspace(String name, String ownerMemberId) {
        return createWorkspace(newWorkspaceId(), name, ownerMemberId);
    }

    /** As {@link #createWorkspace(String, String)} with a chosen id (ids are never reused, even after deletion). */
    public Workspace createWorkspace(String workspaceId, String name, String ownerMemberId) {
        Ids.workspaceId(workspaceId);
        Ids.memberId(ownerMemberId);
        Instant now = clock.instant();
        Workspace ws = new Workspace(workspaceId, Ids.workspaceName(name), now, null, null, List.of());
        if (!store.createWorkspace(ws, new Membership(workspaceId, ownerMemberId, Role.OWNER, now))) {
            throw new TenancyException(TenancyException.Reason.WORKSPACE_EXISTS,
                    "workspace id " + workspaceId + " is taken (ids of deleted workspaces are never reused)");
        }
        // Keys after the row: if this fails the workspace exists without keys and createWorkspaceKeys can be retried;
        // the keyring refuses to recreate keys of a shredded id, so a deleted workspace can never be revived.
        keyring.createWorkspaceKeys(workspaceId);
        log.info("created workspace {}", workspaceId);
        return ws;
    }

    public Optional<Workspace> workspace(TenantContext ctx) {
        requireContext(ctx).require(Permission.WORKSPACE_VIEW);
        return store.workspace(ctx.workspaceId());
    }

    /**
     * Deletes the context's workspace: memberships go, then its keysets are destroyed (crypto-shredding: every value
     * and file encrypted under them is unreadable for good, also in backups), and the deletion is recorded.
     */
    public Workspace deleteWorkspace(TenantContext ctx) {
        requireContext(ctx).require(Permission.WORKSPACE_DELETE);
        if (!store.markDeleted(ctx.workspaceId(), clock.instant())) {
            throw new AccessDenied(AccessDenied.Reason.WORKSPACE_DELETED, "this workspace was deleted");
        }
        shred(ctx.workspaceId());
        log.warn("workspace {} deleted by member {}", ctx.workspaceId(), ctx.memberId());
        return store.workspace(ctx.workspaceId()).orElseThrow();
    }

    /** Finishes crypto-shredding of deleted workspaces whose key destruction was interrupted. Run it at start-up. */
    public List<String> resumeShredding() {
        List<String> done = new java.util.ArrayList<>();
        for (Workspace w : store.awaitingShredding()) {
            shred(w.id());
            done.add(w.id());
        }
        return done;
    }

    /** The record of a deleted workspace (when, and which keysets were destroyed), if it was deleted. */
    public Optional<Workspace> deletionRecord(String workspaceId) {
        return store.workspace(Ids.workspaceId(workspaceId)).filter(Workspace::deleted);
    }

    private void shred(String workspaceId) {
        keyring.destroyWorkspaceKeys(workspaceId);
        // Record every keyset of the workspace that is destroyed now, including ones an interrupted earlier attempt
        // destroyed (destroyWorkspaceKeys only returns the ones it destroyed itself).
        List<String> shredded = new java.util.ArrayList<>();
        for (KeyPurpose p : List.of(KeyPurpose.WORKSPACE_DATA, KeyPurpose.WORKSPACE_FILES)) {
            KeysetName name = KeysetName.workspace(p, workspaceId);
            if (keyring.isDestroyed(name)) shredded.add(name.id());
        }
        store.recordShredded(workspaceId, shredded, clock.instant());
    }

    // ---------------------------------------------------------------- memberships

    public List<Membership> members(TenantContext ctx) {
        requireContext(ctx).require(Permission.MEMBERS_VIEW);
        return store.memberships(ctx.workspaceId());
    }

    /** Adds a member. Only an owner may add another owner. */
    public Membership addMember(TenantContext ctx, String memberId, Role role) {
        requireContext(ctx).require(Permission.MEMBERS_MANAGE);
        Ids.memberId(memberId);
        Objects.requireNonNull(role, "role");
        if (role == Role.OWNER) requireOwner(ctx);
        Membership m = new Membership(ctx.workspaceId(), memberId, role, clock.instant());
        if (!store.addMembership(m)) {
            // The store also refuses deleted workspaces (reachable with a context taken before the deletion).
            if (store.workspace(ctx.workspaceId()).map(Workspace::deleted).orElse(true)) {
                throw new AccessDenied(AccessDenied.Reason.WORKSPACE_DELETED, "this workspace was deleted");
            }
            throw new TenancyException(TenancyException.Reason.ALREADY_MEMBER, "member is already in this workspace");
        }
        return m;
    }

    /** Changes a member's role. Only an owner may appoint or demote an owner; the last owner cannot be demoted. */
    public void changeRole(TenantContext ctx, String memberId, Role role) {
        requireContext(ctx).require(Permission.MEMBERS_MANAGE);
        Objects.requireNonNull(role, "role");
        guardOwnerChange(ctx, memberId, role == Role.OWNER);
        check(store.changeMembership(ctx.workspaceId(), memberId, role));
    }

    /** Removes a member. Only an owner may remove an owner; the last owner cannot be removed. */
    public void removeMember(TenantContext ctx, String memberId) {
        requireContext(ctx).require(Permission.MEMBERS_MANAGE);
        guardOwnerChange(ctx, memberId, false);
        check(store.changeMembership(ctx.workspaceId(), memberId, null));
    }

    private void guardOwnerChange(TenantContext ctx, String memberId, boolean makesOwner) {
        Membership target = store.membership(ctx.workspaceId(), memberId).orElseThrow(() ->
                new TenancyException(TenancyException.Reason.NO_SUCH_MEMBER, "no such member in this workspace"));
        if (makesOwner || target.role() == Role.OWNER) requireOwner(ctx);
    }

    private static void requireOwner(TenantContext ctx) {
        if (ctx.role() != Role.OWNER) {
            throw new AccessDenied(AccessDenied.Reason.OWNER_ONLY, "only an owner may appoint, demote or remove an owner");
        }
    }

    private static void check(TenancyStore.Change change) {
        switch (change) {
            case DONE -> { }
            case NO_SUCH_MEMBER -> throw new TenancyException(TenancyException.Reason.NO_SUCH_MEMBER, "no such member in this workspace");
            case LAST_OWNER -> throw new TenancyException(TenancyException.Reason.LAST_OWNER,
                    "a workspace needs at least one owner: appoint another owner first");
        }
    }

    static TenantContext requireContext(TenantContext ctx) {
        if (ctx == null) {
            throw new AccessDenied(AccessDenied.Reason.NO_TENANT_CONTEXT,
                    "no tenant context: obtain one from Tenancy.enter(memberId, workspaceId) first");
        }
        return ctx;
    }

    static String newWorkspaceId() {
        byte[] b = new byte[15];
        RANDOM.nextBytes(b);
        return "ws_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Override
    public String toString() {
        return "Tenancy[" + store + "]";
    }
}
