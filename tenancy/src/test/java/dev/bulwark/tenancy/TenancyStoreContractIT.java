package dev.bulwark.tenancy;

import dev.bulwark.testkit.DataSources;
import dev.bulwark.crypto.InMemoryKeysetStore;
import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static dev.bulwark.tenancy.TenancyScenarios.denied;
import static dev.bulwark.tenancy.TenancyScenarios.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The {@link TenancyStore} contract, called directly (as {@link Tenancy} and a custom caller would), on the in-memory
 * store and on {@link JdbcTenancyStore} over H2 and PostgreSQL; plus what only the JDBC store can meet: unknown stored
 * roles, atomic creation, database failures and a competing creator.
 */
class TenancyStoreContractIT {
    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00.123Z");

    /** The three stores. */
    enum StoreKind {
        MEMORY, H2, POSTGRESQL;

        TestDatabase.Kind database() {
            return this == H2 ? TestDatabase.Kind.H2 : TestDatabase.Kind.POSTGRESQL;
        }
    }

    interface Scenario {
        void run(TenancyStore store) throws Exception;
    }

    private static void onStore(StoreKind kind, Scenario s) throws Exception {
        if (kind == StoreKind.MEMORY) {
            s.run(new InMemoryTenancyStore());
            return;
        }
        try (TestDatabase db = kind.database().open()) {
            s.run(new JdbcTenancyStore(db.dataSource()).createTablesIfMissing());
        }
    }

    private static Workspace workspace(String id, Instant at) {
        return new Workspace(id, "Name of " + id, at, null, null, List.of());
    }

    private static Membership member(String ws, String member, Role role, Instant since) {
        return new Membership(ws, member, role, since);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void workspaceIdIsTakenOnceAndItsRecordReadsBackExactly(StoreKind kind) throws Exception {
        onStore(kind, store -> {
            assertThat(store.createWorkspace(workspace("ws_a", T0), member("ws_a", "alice", Role.OWNER, T0))).isTrue();
            assertThat(store.createWorkspace(workspace("ws_a", T0.plusSeconds(5)), member("ws_a", "mallory", Role.OWNER, T0))).isFalse();
            assertThat(store.workspace("ws_a")).contains(workspace("ws_a", T0));
            assertThat(store.workspace("ws_a").orElseThrow().shreddedKeysets()).isEmpty();
            assertThat(store.workspace("ws_b")).isEmpty();
            assertThat(store.memberships("ws_a")).containsExactly(member("ws_a", "alice", Role.OWNER, T0));
            assertThat(store.membership("ws_a", "mallory")).isEmpty();
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void membershipsAreListedInJoiningOrderPerWorkspaceAndPerMember(StoreKind kind) throws Exception {
        onStore(kind, store -> {
            store.createWorkspace(workspace("ws_a", T0), member("ws_a", "zoe", Role.OWNER, T0));
            store.createWorkspace(workspace("ws_b", T0), member("ws_b", "bob", Role.OWNER, T0));
            assertThat(store.addMembership(member("ws_a", "yan", Role.VIEWER, T0.plusSeconds(1)))).isTrue();
            assertThat(store.addMembership(member("ws_a", "bob", Role.STAFF, T0.plusSeconds(2)))).isTrue();
            assertThat(store.memberships("ws_a")).extracting(Membership::memberId).containsExactly("zoe", "yan", "bob");
            assertThat(store.membership("ws_a", "bob")).contains(member("ws_a", "bob", Role.STAFF, T0.plusSeconds(2)));
            assertThat(store.membershipsOf("bob")).containsExactlyInAnyOrder(
                    member("ws_a", "bob", Role.STAFF, T0.plusSeconds(2)), member("ws_b", "bob", Role.OWNER, T0));
            assertThat(store.membershipsOf("nobody")).isEmpty();
            assertThat(store.memberships("ws_unknown")).isEmpty();
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void membershipCanBeAddedOnlyOnceAndOnlyToALiveWorkspace(StoreKind kind) throws Exception {
        onStore(kind, store -> {
            store.createWorkspace(workspace("ws_a", T0), member("ws_a", "alice", Role.OWNER, T0));
            assertThat(store.addMembership(member("ws_a", "alice", Role.VIEWER, T0))).isFalse();
            assertThat(store.membership("ws_a", "alice").orElseThrow().role()).isEqualTo(Role.OWNER);
            assertThat(store.addMembership(member("ws_unknown", "bob", Role.VIEWER, T0))).isFalse();
            assertThat(store.membershipsOf("bob")).isEmpty();
            assertThat(store.markDeleted("ws_a", T0.plusSeconds(60))).isTrue();
            assertThat(store.addMembership(member("ws_a", "bob", Role.VIEWER, T0))).isFalse();
            assertThat(store.memberships("ws_a")).isEmpty();
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void roleChangesKeepAtLeastOneOwnerAndReportUnknownMembers(StoreKind kind) throws Exception {
        onStore(kind, store -> {
            store.createWorkspace(workspace("ws_a", T0), member("ws_a", "alice", Role.OWNER, T0));
            store.addMembership(member("ws_a", "bob", Role.STAFF, T0.plusSeconds(1)));
            assertThat(store.changeMembership("ws_unknown", "alice", Role.VIEWER)).isEqualTo(TenancyStore.Change.NO_SUCH_MEMBER);
            assertThat(store.changeMembership("ws_a", "ghost", Role.VIEWER)).isEqualTo(TenancyStore.Change.NO_SUCH_MEMBER);
            assertThat(store.changeMembership("ws_a", "ghost", null)).isEqualTo(TenancyStore.Change.NO_SUCH_MEMBER);

            assertThat(store.changeMembership("ws_a", "alice", Role.ADMIN)).isEqualTo(TenancyStore.Change.LAST_OWNER);
            assertThat(store.changeMembership("ws_a", "alice", null)).isEqualTo(TenancyStore.Change.LAST_OWNER);
            // Keeping the last owner an owner is not a demotion.
            assertThat(store.changeMembership("ws_a", "alice", Role.OWNER)).isEqualTo(TenancyStore.Change.DONE);
            assertThat(store.membership("ws_a", "alice").orElseThrow().role()).isEqualTo(Role.OWNER);

            assertThat(store.changeMembership("ws_a", "bob", Role.OWNER)).isEqualTo(TenancyStore.Change.DONE);
            assertThat(store.membership("ws_a", "bob")).contains(member("ws_a", "bob", Role.OWNER, T0.plusSeconds(1)));
            assertThat(store.changeMembership("ws_a", "alice", Role.VIEWER)).isEqualTo(TenancyStore.Change.DONE);
            assertThat(store.membership("ws_a", "alice")).contains(member("ws_a", "alice", Role.VIEWER, T0));
            assertThat(store.changeMembership("ws_a", "bob", null)).isEqualTo(TenancyStore.Change.LAST_OWNER);
            assertThat(store.changeMembership("ws_a", "alice", null)).isEqualTo(TenancyStore.Change.DONE);
            assertThat(store.memberships("ws_a")).containsExactly(member("ws_a", "bob", Role.OWNER, T0.plusSeconds(1)));
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void workspaceIsDeletedOnceAndAwaitsShreddingUntilRecorded(StoreKind kind) throws Exception {
        onStore(kind, store -> {
            store.createWorkspace(workspace("ws_a", T0), member("ws_a", "alice", Role.OWNER, T0));
            store.createWorkspace(workspace("ws_b", T0), member("ws_b", "bob", Role.OWNER, T0));
            assertThat(store.markDeleted("ws_unknown", T0)).isFalse();
            assertThat(store.awaitingShredding()).isEmpty();

            Instant deletedAt = T0.plusSeconds(3600);
            assertThat(store.markDeleted("ws_a", deletedAt)).isTrue();
            assertThat(store.markDeleted("ws_a", deletedAt.plusSeconds(1))).isFalse();
            assertThat(store.memberships("ws_a")).isEmpty();
            assertThat(store.membershipsOf("alice")).isEmpty();
            assertThat(store.memberships("ws_b")).hasSize(1);
            Workspace deleted = new Workspace("ws_a", "Name of ws_a", T0, deletedAt, null, List.of());
            assertThat(store.workspace("ws_a")).contains(deleted);
            assertThat(store.awaitingShredding()).containsExactly(deleted);
            assertThat(store.changeMembership("ws_a", "alice", Role.VIEWER)).isEqualTo(TenancyStore.Change.NO_SUCH_MEMBER);

            Instant shreddedAt = deletedAt.plusSeconds(1);
            store.recordShredded("ws_a", List.of("workspace/ws_a/data", "workspace/ws_a/files"), shreddedAt);
            assertThat(store.workspace("ws_a")).contains(new Workspace("ws_a", "Name of ws_a", T0, deletedAt, shreddedAt,
                    List.of("workspace/ws_a/data", "workspace/ws_a/files")));
            assertThat(store.awaitingShredding()).isEmpty();
            store.recordShredded("ws_unknown", List.of("x"), shreddedAt); // nothing to record, nothing created
            assertThat(store.workspace("ws_unknown")).isEmpty();
            assertThat(store.workspace("ws_b").orElseThrow().deleted()).isFalse();
        });
    }

    // ------------------------------------------------------------------ JDBC only

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void storedRoleThatIsUnknownGrantsNothing(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = kind.open()) {
            JdbcTenancyStore store = new JdbcTenancyStore(db.dataSource()).createTablesIfMissing().createTablesIfMissing();
            Tenancy tenancy = TestKeys.tenancy(store, new InMemoryKeysetStore());
            Workspace ws = tenancy.createWorkspace("Acme", "alice");
            // e.g. a role written by a newer version, or by hand
            TestTenants.exec(db.dataSource(), "INSERT INTO bulwark_memberships (workspace_id, member_id, role, created_at_ms) "
                    + "VALUES ('" + ws.id() + "', 'mallory', 'SUPERUSER', 1)");
            assertThat(denied(() -> tenancy.enter("mallory", ws.id()))).isEqualTo(AccessDenied.Reason.NOT_A_MEMBER);
            assertThat(store.membership(ws.id(), "mallory")).isEmpty();
            assertThat(store.memberships(ws.id())).extracting(Membership::memberId).containsExactly("alice");
            assertThat(store.membershipsOf("mallory")).isEmpty();
            assertThat(store.changeMembership(ws.id(), "mallory", Role.OWNER)).isEqualTo(TenancyStore.Change.NO_SUCH_MEMBER);
            // An unknown role is not an owner either: alice stays the last owner.
            assertThat(store.changeMembership(ws.id(), "alice", Role.ADMIN)).isEqualTo(TenancyStore.Change.LAST_OWNER);
        }
    }

    /** The workspace row and its owner are written in one transaction: a failure in between leaves nothing behind. */
    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void failedCreationLeavesNoHalfCreatedWorkspace(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = kind.open()) {
            JdbcTenancyStore store = new JdbcTenancyStore(db.dataSource()).createTablesIfMissing();
            Membership tooLong = member("ws_a", "m".repeat(129), Role.OWNER, T0); // longer than the member_id column
            TenancyException e = catchThrowableOfType(TenancyException.class,
                    () -> store.createWorkspace(workspace("ws_a", T0), tooLong));
            assertThat(e.reason()).isEqualTo(TenancyException.Reason.STORAGE);
            assertThat(store.workspace("ws_a")).isEmpty();
            assertThat(store.createWorkspace(workspace("ws_a", T0), member("ws_a", "alice", Role.OWNER, T0))).isTrue();
            assertThat(store.memberships("ws_a")).extracting(Membership::memberId).containsExactly("alice");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void databaseFailuresAreTypedStorageErrorsNeverATakenIdOrAnEmptyAnswer(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = kind.open()) {
            JdbcTenancyStore store = new JdbcTenancyStore(db.dataSource()); // tables never created
            List<Supplier<Object>> calls = List.of(
                    () -> store.createWorkspace(workspace("ws_a", T0), member("ws_a", "alice", Role.OWNER, T0)),
                    () -> store.workspace("ws_a"),
                    () -> store.membership("ws_a", "alice"),
                    () -> store.memberships("ws_a"),
                    () -> store.membershipsOf("alice"),
                    () -> store.addMembership(member("ws_a", "bob", Role.VIEWER, T0)),
                    () -> store.changeMembership("ws_a", "alice", Role.VIEWER),
                    () -> store.markDeleted("ws_a", T0),
                    () -> {
                        store.recordShredded("ws_a", List.of("k"), T0);
                        return null;
                    },
                    store::awaitingShredding);
            for (Supplier<Object> call : calls) {
                TenancyException e = catchThrowableOfType(TenancyException.class, call::get);
                assertThat(e).isNotNull();
                assertThat(e.reason()).isEqualTo(TenancyException.Reason.STORAGE);
                assertThat(e).hasMessageStartingWith("tenancy store: cannot ").hasMessageContaining("(SQLState ")
                        .hasCauseInstanceOf(SQLException.class);
            }
            Tenancy tenancy = TestKeys.tenancy(store, new InMemoryKeysetStore());
            assertThat(failed(() -> tenancy.createWorkspace("Acme", "alice"))).isEqualTo(TenancyException.Reason.STORAGE);
        }
        assertThatThrownBy(() -> new JdbcTenancyStore(null)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Another node commits the same id between this node's check and its insert: "taken", not a storage failure. */
    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void idTakenByAConcurrentCreatorIsReportedAsTaken(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = kind.open()) {
            JdbcTenancyStore other = new JdbcTenancyStore(db.dataSource()).createTablesIfMissing();
            AtomicBoolean raced = new AtomicBoolean();
            DataSource racing = beforeWorkspaceInsert(db.dataSource(), () -> {
                if (!raced.getAndSet(true)) {
                    assertThat(other.createWorkspace(workspace("ws_a", T0), member("ws_a", "bob", Role.OWNER, T0))).isTrue();
                }
            });
            Tenancy tenancy = TestKeys.tenancy(new JdbcTenancyStore(racing), new InMemoryKeysetStore());
            assertThat(failed(() -> tenancy.createWorkspace("ws_a", "Mine", "alice"))).isEqualTo(TenancyException.Reason.WORKSPACE_EXISTS);
            assertThat(raced).isTrue();
            assertThat(other.memberships("ws_a")).extracting(Membership::memberId).containsExactly("bob");
            assertThat(denied(() -> tenancy.enter("alice", "ws_a"))).isEqualTo(AccessDenied.Reason.NOT_A_MEMBER);
        }
    }

    /** A DataSource whose connections run {@code hook} just before preparing the INSERT of a workspace row. */
    private static DataSource beforeWorkspaceInsert(DataSource base, Runnable hook) {
        return DataSources.from(() -> {
            Connection c = base.getConnection();
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("prepareStatement") && args != null
                                && String.valueOf(args[0]).startsWith("INSERT INTO bulwark_workspaces")) {
                            hook.run();
                        }
                        try {
                            return method.invoke(c, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        });
    }
}
