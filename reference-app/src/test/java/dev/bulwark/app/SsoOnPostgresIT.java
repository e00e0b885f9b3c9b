package dev.bulwark.app;

import dev.bulwark.app.sso.SsoTables;
import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The single sign-on suite on the machine's PostgreSQL: RLS on the SSO tables and secrets stored only encrypted. */
class SsoOnPostgresIT extends SsoEndToEnd {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }

    @Test
    void ssoSecretsAreStoredEncryptedBehindRowLevelSecurity() throws Exception {
        Account owner = signedUp(unique("rls"));
        assertThat(owner.http().put("/api/v1/workspaces/" + owner.workspace() + "/settings/sso", oidcSettings()).statusCode()).isEqualTo(200);
        try (Connection c = DriverManager.getConnection(app.jdbcUrl(), app.appRole(), "")) {
            for (String table : SsoTables.WORKSPACE_TABLES) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    assertThat(rs.getLong(1)).as(table + ": no workspace set, the policy matches nothing").isZero();
                }
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL bulwark.workspace_id = '" + owner.workspace() + "'");
                try (ResultSet rs = s.executeQuery("SELECT oidc_client_secret_enc, oidc_issuer FROM app_sso_settings")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).startsWith("bw1.").doesNotContain(SsoTestIdentityProvider.CLIENT_SECRET);
                    assertThat(rs.getString(2)).isEqualTo(idp.issuer);
                }
            }
            c.rollback();
        }
        assertThat(owner.http().get("/api/v1/workspaces/" + owner.workspace() + "/settings/sso").bodyAsJsonObject()
                .getJsonObject("oidc").encode()).doesNotContain("bw1.");
    }
}
