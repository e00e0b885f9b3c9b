package dev.bulwark.app;

import dev.bulwark.app.product.ProductTables;
import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The product end-to-end suite on the machine's PostgreSQL, where every product table is under row-level security. */
class ProductOnPostgresIT extends ProductEndToEnd {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }

    @Test
    void everyProductWorkspaceTableHasTheWorkspacePolicyAndTheAppRoleSeesNothingWithoutIt() throws Exception {
        Shop shop = shop("rls");
        try (Connection c = DriverManager.getConnection(app.jdbcUrl(), app.appRole(), "")) {
            for (String t : ProductTables.WORKSPACE_TABLES) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT c.relrowsecurity, c.relforcerowsecurity FROM pg_class c WHERE c.oid = to_regclass('" + t + "')")) {
                    assertThat(rs.next()).as(t).isTrue();
                    assertThat(rs.getBoolean(1) && rs.getBoolean(2)).as(t + " has forced RLS").isTrue();
                }
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + t)) {
                    rs.next();
                    assertThat(rs.getLong(1)).as(t + " without a workspace setting").isZero();
                }
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL bulwark.workspace_id = '" + shop.owner().ws() + "'");
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM prod_services")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(1);
                }
            }
            c.rollback();
        }
    }
}
