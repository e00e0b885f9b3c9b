package dev.bulwark.tenancy;

import dev.bulwark.crypto.DecryptionException;
import dev.bulwark.crypto.FieldContext;
import dev.bulwark.crypto.KeyDestroyedException;
import dev.bulwark.crypto.KeyPurpose;
import dev.bulwark.crypto.Keyring;
import dev.bulwark.crypto.KeysetName;
import dev.bulwark.crypto.KeysetStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Behaviour every {@link TenancyStore} must show through {@link Tenancy}; run on memory, H2 and PostgreSQL. */
final class TenancyScenarios {
    private TenancyScenarios() {}

    static AccessDenied.Reason denied(Runnable r) {
        AccessDenied e = catchThrowableOfType(AccessDenied.class, r::run);
        assertThat(e).as("expected AccessDenied").isNotNull();
        return e.reason();
    }

    static TenancyException.Reason failed(Runnable r) {
        TenancyException e = catchThrowableOfType(TenancyException.class, r::run);
        assertThat(e).as("expected TenancyException").isNotNull();
        return e.reason();
    }

    static void contextOnlyFromAVerifiedMembership(TenancyStore store, KeysetStore keysets) {
        Tenancy t = TestKeys.tenancy(store, keysets);
        Workspace a = t.createWorkspace("A", "alice");
        Workspace b = t.createWorkspace("B", "bob");
        TenantContext ctx = t.enter("alice", a.id());
        assertThat(ctx.workspaceId()).isEqualTo(a.id());
        assertThat(ctx.memberId()).isEqualTo("alice");
        assertThat(ctx.role()).isEqualTo(Role.OWNER);

        assertThat(denied(() -> t.enter("alice", b.id()))).isEqualTo(AccessDenied.Reason.NOT_A_MEMBER);
        assertThat(denied(() -> t.enter("mallory", a.id()))).isEqualTo(AccessDenied.Reason.NOT_A_MEMBER);
        assertThat(denied(() -> t.enter("alice", "ws_does_not_exist"))).isEqualTo(AccessDenied.Reason.NOT_A_MEMBER);
        assertThat(denied(() -> t.enter("alice", "x' OR '1'='1"))).isEqualTo(AccessDenied.Reason.NOT_A_MEMBER);
        assertThat(denied(() -> t.enter(null, a.id()))).isEqualTo(AccessDenied.Reason.NOT_A_MEMBER);
        assertThat(denied(() -> t.members(null))).isEqualTo(AccessDenied.Reason.NO_TENANT_CONTEXT);
        assertThat(t.workspacesOf("alice")).extracting(Membership::workspaceId).containsExactly(a.id());
    }

    static void rolesLimitMembershipChanges(TenancyStore store, KeysetStore keysets) {
        Tenancy t = TestKeys.tenancy(store, keysets);
        Workspace ws = t.createWorkspace("Salon", "owner");
        TenantContext owner = t.enter("owner", ws.id());
        t.addMember(owner, "admin", Role.ADMIN);
        TenantContext admin = t.enter("admin", ws.id());
        t.addMember(admin, "staff", Role.STAFF);
        TenantContext staff = t.enter("staff", ws.id());

        assertThat(denied(() -> t.addMember(staff, "x", Role.VIEWER))).isEqualTo(AccessDenied.Reason.MISSING_PERMISSION);
        assertThat(denied(() -> t.addMember(admin, "x", Role.OWNER))).isEqualTo(AccessDenied.Reason.OWNER_ONLY);
        assertThat(denied(() -> t.changeRole(admin, "staff", Role.OWNER))).isEqualTo(AccessDenied.Reason.OWNER_ONLY);
        assertThat(denied(() -> t.changeRole(admin, "owner", Role.VIEWER))).isEqualTo(AccessDenied.Reason.OWNER_ONLY);
        assertThat(denied(() -> t.removeMember(admin, "owner"))).isEqualTo(AccessDenied.Reason.OWNER_ONLY);
        assertThat(denied(() -> t.deleteWorkspace(admin))).isEqualTo(AccessDenied.Reason.MISSING_PERMISSION);
        assertThat(failed(() -> t.addMember(admin, "staff", Role.VIEWER))).isEqualTo(TenancyException.Reason.ALREADY_MEMBER);
        assertThat(failed(() -> t.changeRole(owner, "ghost", Role.VIEWER))).isEqualTo(TenancyException.Reason.NO_SUCH_MEMBER);

        assertThat(failed(() -> t.changeRole(owner, "owner", Role.ADMIN))).isEqualTo(TenancyException.Reason.LAST_OWNER);
        assertThat(failed(() -> t.removeMember(owner, "owner"))).isEqualTo(TenancyException.Reason.LAST_OWNER);

        t.changeRole(admin, "staff", Role.ACCOUNTANT);
        assertThat(t.enter("staff", ws.id()).role()).isEqualTo(Role.ACCOUNTANT);
        t.changeRole(owner, "admin", Role.OWNER);
        t.changeRole(owner, "owner", Role.VIEWER); // another owner exists now
        assertThat(t.enter("owner", ws.id()).role()).isEqualTo(Role.VIEWER);
        TenantContext newOwner = t.enter("admin", ws.id());
        t.removeMember(newOwner, "staff");
        assertThat(denied(() -> t.enter("staff", ws.id()))).isEqualTo(AccessDenied.Reason.NOT_A_MEMBER);
        assertThat(t.members(newOwner)).extracting(Membership::memberId).containsExactlyInAnyOrder("owner", "admin");
    }

    static void deletedWorkspaceIsCryptoShreddedAndRecorded(TenancyStore store, KeysetStore keysets) throws Exception {
        Keyring keyring = TestKeys.keyring(keysets);
        Tenancy t = Tenancy.builder().store(store).keyring(keyring).build();
        Workspace a = t.createWorkspace("Gone", "alice");
        Workspace b = t.createWorkspace("Stays", "bob");
        KeysetName aData = KeysetName.workspace(KeyPurpose.WORKSPACE_DATA, a.id());
        assertThat(keyring.exists(aData)).isTrue();
        FieldContext fa = FieldContext.of(a.id(), "customers", "phone", "c1");
        FieldContext fb = FieldContext.of(b.id(), "customers", "phone", "c1");
        String ca = keyring.workspaceFields(a.id()).encrypt("+44 20 7946 0000", fa);
        String cb = keyring.workspaceFields(b.id()).encrypt("+44 20 7946 0001", fb);
        assertThat(keyring.workspaceFields(a.id()).decrypt(ca, fa)).isEqualTo("+44 20 7946 0000");

        TenantContext alice = t.enter("alice", a.id());
        Instant before = Instant.now().minusSeconds(1);
        Workspace record = t.deleteWorkspace(alice);

        KeyDestroyedException e = catchThrowableOfType(KeyDestroyedException.class,
                () -> keyring.workspaceFields(a.id()).decrypt(ca, fa));
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(DecryptionException.Reason.KEY_DESTROYED);
        // A fresh keyring over the same stores (another node, or after a restart) cannot read it either.
        Keyring other = Keyring.builder().masterKey(keyring.masterKey()).store(keysets).build();
        assertThatThrownBy(() -> other.workspaceFields(a.id()).decrypt(ca, fa)).isInstanceOf(KeyDestroyedException.class);
        assertThat(keyring.workspaceFields(b.id()).decrypt(cb, fb)).isEqualTo("+44 20 7946 0001");

        assertThat(keyring.isDestroyed(aData)).isTrue();
        assertThat(keyring.isDestroyed(KeysetName.workspace(KeyPurpose.WORKSPACE_FILES, a.id()))).isTrue();
        assertThat(record.deleted()).isTrue();
        assertThat(record.shredded()).isTrue();
        assertThat(record.deletedAt()).isAfter(before);
        assertThat(record.shreddedKeysets()).containsExactlyInAnyOrder("workspace/" + a.id() + "/data", "workspace/" + a.id() + "/files");
        assertThat(t.deletionRecord(a.id())).contains(record);
        assertThat(t.deletionRecord(b.id())).isEmpty();

        assertThat(denied(() -> t.enter("alice", a.id()))).isEqualTo(AccessDenied.Reason.WORKSPACE_DELETED);
        assertThat(denied(() -> t.deleteWorkspace(alice))).isEqualTo(AccessDenied.Reason.WORKSPACE_DELETED);
        assertThat(failed(() -> t.createWorkspace(a.id(), "Revived", "alice"))).isEqualTo(TenancyException.Reason.WORKSPACE_EXISTS);
        assertThat(t.workspacesOf("alice")).isEmpty();
    }

    static void interruptedShreddingIsResumed(TenancyStore store, KeysetStore keysets) {
        Keyring keyring = TestKeys.keyring(keysets);
        Tenancy t = Tenancy.builder().store(store).keyring(keyring).build();
        Workspace a = t.createWorkspace("Crash", "alice");
        // The process stopped after marking the workspace deleted, before destroying its keys.
        assertThat(store.markDeleted(a.id(), Instant.now())).isTrue();
        assertThat(keyring.isDestroyed(KeysetName.workspace(KeyPurpose.WORKSPACE_DATA, a.id()))).isFalse();
        assertThat(t.resumeShredding()).containsExactly(a.id());
        assertThat(keyring.isDestroyed(KeysetName.workspace(KeyPurpose.WORKSPACE_DATA, a.id()))).isTrue();
        assertThat(t.deletionRecord(a.id()).orElseThrow().shredded()).isTrue();
        assertThat(t.resumeShredding()).isEmpty();
    }

    /** Two owners demote each other at the same moment: exactly one wins, the workspace keeps an owner. */
    static void concurrentDemotionsNeverLeaveAWorkspaceWithoutOwner(TenancyStore store, KeysetStore keysets) throws Exception {
        Tenancy t = TestKeys.tenancy(store, keysets);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                Workspace ws = t.createWorkspace("Race " + round, "o1");
                t.addMember(t.enter("o1", ws.id()), "o2", Role.OWNER);
                TenantContext o1 = t.enter("o1", ws.id());
                TenantContext o2 = t.enter("o2", ws.id());
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (Callable<Boolean> c : List.<Callable<Boolean>>of(
                        () -> demote(t, o1, "o2", go), () -> demote(t, o2, "o1", go))) {
                    results.add(pool.submit(c));
                }
                go.countDown();
                int wins = 0;
                for (Future<Boolean> f : results) if (f.get()) wins++;
                assertThat(wins).isEqualTo(1);
                assertThat(store.memberships(ws.id())).filteredOn(m -> m.role() == Role.OWNER).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean demote(Tenancy t, TenantContext actor, String target, CountDownLatch go) throws InterruptedException {
        go.await();
        try {
            t.changeRole(actor, target, Role.ADMIN);
            return true;
        } catch (TenancyException e) {
            if (e.reason() != TenancyException.Reason.LAST_OWNER) throw e;
            return false;
        }
    }
}
