package dev.bulwark.tenancy;

import dev.bulwark.crypto.InMemoryKeysetStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Real contexts for JDBC tests, obtained the only supported way: through Tenancy.enter. */
final class TestTenants {
    final Tenancy tenancy = TestKeys.tenancy(new InMemoryTenancyStore(), new InMemoryKeysetStore());

    /** A workspace owned by {@code owner}, with extra members {@code "<role>-<owner>"} for each other role. */
    Workspace workspace(String owner) {
        Workspace ws = tenancy.createWorkspace("ws of " + owner, owner);
        TenantContext o = tenancy.enter(owner, ws.id());
        for (Role r : Role.values()) if (r != Role.OWNER) tenancy.addMember(o, r.name().toLowerCase() + "-" + owner, r);
        return ws;
    }

    TenantContext as(Role role, String owner, Workspace ws) {
        return tenancy.enter(role == Role.OWNER ? owner : role.name().toLowerCase() + "-" + owner, ws.id());
    }

    static void exec(DataSource ds, String... sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String q : sql) s.execute(q);
        }
    }
}
