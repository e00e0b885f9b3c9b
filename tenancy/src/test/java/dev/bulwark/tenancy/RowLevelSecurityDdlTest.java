package dev.bulwark.tenancy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The exact DDL {@link RowLevelSecurity} hands to a migration (RowLevelSecurityIT runs it on PostgreSQL). */
class RowLevelSecurityDdlTest {

    @Test
    void policyStatementsEnableForceAndReplaceTheWorkspacePolicyForReadsAndWrites() {
        assertThat(RowLevelSecurity.policyStatements("billing.invoices", "tenant_id")).containsExactly(
                "ALTER TABLE billing.invoices ENABLE ROW LEVEL SECURITY",
                "ALTER TABLE billing.invoices FORCE ROW LEVEL SECURITY",
                "DROP POLICY IF EXISTS bulwark_workspace_isolation ON billing.invoices",
                "CREATE POLICY bulwark_workspace_isolation ON billing.invoices "
                        + "USING (tenant_id = current_setting('bulwark.workspace_id', true)) "
                        + "WITH CHECK (tenant_id = current_setting('bulwark.workspace_id', true))");
    }

    @Test
    void applicationRoleGetsPlainDmlOnly() {
        assertThat(RowLevelSecurity.grantStatements("invoices", "bulwark_app"))
                .containsExactly("GRANT SELECT, INSERT, UPDATE, DELETE ON invoices TO bulwark_app");
    }

    @Test
    void migrationTemplateIsTheCommentedPolicyThenTheGrant() {
        assertThat(RowLevelSecurity.migrationTemplate("invoices", "workspace_id", "bulwark_app")).isEqualTo("""
                -- Row-level security for invoices (Bulwark tenancy). Run as the table owner; the application connects as bulwark_app, which must not own the table.
                ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
                ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS bulwark_workspace_isolation ON invoices;
                CREATE POLICY bulwark_workspace_isolation ON invoices USING (workspace_id = current_setting('bulwark.workspace_id', true)) WITH CHECK (workspace_id = current_setting('bulwark.workspace_id', true));
                GRANT SELECT, INSERT, UPDATE, DELETE ON invoices TO bulwark_app;
                """);
    }

    @Test
    void namesThatCouldInjectDdlAreRejected() {
        assertThatThrownBy(() -> RowLevelSecurity.policyStatements("invoices", "workspace_id) OR (true"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RowLevelSecurity.grantStatements("invoices", "PUBLIC; DROP TABLE invoices"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RowLevelSecurity.migrationTemplate("invoices", "workspace_id", "app\n-- x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
