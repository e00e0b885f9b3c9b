package dev.bulwark.app;

import dev.bulwark.app.platform.App;
import dev.bulwark.app.platform.Config;
import dev.bulwark.app.platform.ConfigException;
import dev.bulwark.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The end-to-end suite on the machine's real PostgreSQL, with RLS and an application role that owns no table. */
class AppOnPostgresIT extends AppEndToEnd {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }

    @Test
    void applicationRoleOwnsNoTableAndRowLevelSecurityHidesOtherWorkspaces() throws Exception {
        Account a = signedUp("rls-a");
        Account b = signedUp("rls-b");
        assertThat(a.http().put("/api/v1/workspaces/" + a.workspace() + "/settings/security", new JsonObject().put("auditRetentionDays", 90))
                .statusCode()).isEqualTo(200);
        try (Connection c = DriverManager.getConnection(app.jdbcUrl(), app.appRole(), "")) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM app_workspace_settings")) {
                rs.next();
                assertThat(rs.getLong(1)).as("no workspace set: the policy matches nothing").isZero();
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL bulwark.workspace_id = '" + a.workspace() + "'");
                try (ResultSet rs = s.executeQuery("SELECT workspace_id, audit_retention_days FROM app_workspace_settings")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo(a.workspace());
                    assertThat(rs.getInt(2)).isEqualTo(90);
                    assertThat(rs.next()).as("workspace B's row is invisible").isFalse();
                }
                assertThat(s.executeUpdate("UPDATE app_workspace_settings SET require_mfa = TRUE WHERE workspace_id = '" + b.workspace() + "'")).isZero();
            }
            c.rollback();
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute("ALTER TABLE app_workspace_settings DISABLE ROW LEVEL SECURITY"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("owner");
            }
            c.rollback();
        }
    }

    @Test
    void startUpRefusesAnApplicationRoleThatOwnsTheTables() {
        Map<String, String> env = new HashMap<>();
        env.put("BULWARK_DATA_DIR", app.dataDir.resolve("second").toString());
        env.put("BULWARK_HTTPS_PORT", String.valueOf(TestApp.freePort()));
        env.put("BULWARK_HTTP_PORT", "-1");
        env.put("BULWARK_DB_URL", app.jdbcUrl());
        env.put("BULWARK_DB_USER", app.migrationUser());
        assertThatThrownBy(() -> App.start(Config.from(env))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("must own no table").hasMessageContaining("BULWARK_DB_MIGRATION_USER");
    }
}
