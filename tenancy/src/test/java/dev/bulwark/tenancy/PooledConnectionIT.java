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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With a connection pool the same connection serves the next, unrelated caller: every transaction tenancy opens
 * must hand it back in auto-commit mode, after success and after failure. Simulated with a one-connection pool.
 */
class PooledConnectionIT {

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void everyTransactionHandsItsConnectionBackInAutoCommitMode(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = kind.open(); Connection shared = db.dataSource().getConnection()) {
            DataSource pool = onePooledConnection(shared);
            JdbcTenancyStore store = new JdbcTenancyStore(pool).createTablesIfMissing();
            Tenancy tenancy = TestKeys.tenancy(store, new InMemoryKeysetStore());
            TestTenants.exec(pool, TenantScopedJdbcIT.DDL);
            TenantScopedJdbc jdbc = TenantScopedJdbc.builder().dataSource(pool).build();

            Workspace ws = tenancy.createWorkspace("Pool", "alice");
            assertThat(shared.getAutoCommit()).as("after createWorkspace").isTrue();
            TenantContext alice = tenancy.enter("alice", ws.id());
            tenancy.addMember(alice, "bob", Role.STAFF);
            assertThat(shared.getAutoCommit()).as("after addMembership").isTrue();
            tenancy.changeRole(alice, "bob", Role.VIEWER);
            assertThat(shared.getAutoCommit()).as("after changeMembership").isTrue();
            assertThat(TenancyScenarios.failed(() -> tenancy.createWorkspace(ws.id(), "Again", "bob")))
                    .isEqualTo(TenancyException.Reason.WORKSPACE_EXISTS);
            assertThat(shared.getAutoCommit()).as("after a refused creation").isTrue();

            jdbc.insert(alice, TenantScopedJdbcIT.NOTES, Map.of("id", 1, "body", "x", "amount", 1, "owner_id", "alice"));
            assertThat(shared.getAutoCommit()).as("after a scoped insert").isTrue();
            assertThatThrownBy(() -> jdbc.insert(alice, TenantScopedJdbcIT.NOTES, Map.of("id", 1, "body", "dup", "amount", 1, "owner_id", "alice")))
                    .isInstanceOf(TenancyException.class);
            assertThat(shared.getAutoCommit()).as("after a failed scoped insert").isTrue();
            if (kind == TestDatabase.Kind.POSTGRESQL) {
                assertThat(RowLevelSecurity.<Integer>inWorkspace(pool, alice, c -> 1)).isEqualTo(1);
                assertThat(shared.getAutoCommit()).as("after a workspace transaction").isTrue();
                assertThatThrownBy(() -> RowLevelSecurity.inWorkspace(pool, alice, c -> {
                    throw new IllegalStateException("fails");
                })).isInstanceOf(IllegalStateException.class);
                assertThat(shared.getAutoCommit()).as("after a failed workspace transaction").isTrue();
            }

            tenancy.deleteWorkspace(alice);
            assertThat(shared.getAutoCommit()).as("after markDeleted").isTrue();
            assertThat(jdbc.count(alice, TenantScopedJdbcIT.NOTES, Where.all())).isEqualTo(1);
        }
    }

    /** A pool of one: always the same connection; close() only returns it. */
    private static DataSource onePooledConnection(Connection shared) {
        Connection pooled = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) return null;
                    try {
                        return method.invoke(shared, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return DataSources.from(() -> pooled);
    }
}
