package dev.bulwark.app.keys;

import dev.bulwark.crypto.FieldCipher;
import dev.bulwark.crypto.FieldContext;
import dev.bulwark.crypto.KeyPurpose;
import dev.bulwark.crypto.Keyring;

import java.util.List;

/**
 * Every column where the app stores core-crypto field ciphertext, with the keyset that encrypts it and how its
 * {@link FieldContext} is built. Key rotation walks these columns; restore drills decrypt samples of them. A new
 * encrypted column must be added here (OpsEncryptedColumnsIT fails when a column holding {@code bw1.} values is missing).
 *
 * @param table         the table
 * @param column        the stored column
 * @param contextColumn the column name bound into the ciphertext's associated data
 * @param idColumn      the row id bound into the associated data (and the walk's cursor)
 * @param purpose       FIELDS (platform-wide), WORKSPACE_DATA or CONNECTION_CREDENTIALS
 * @param workspaceScoped whether the table has a workspace_id column (and, on PostgreSQL, may sit behind RLS)
 */
public record EncryptedColumns(String table, String column, String contextColumn, String idColumn, KeyPurpose purpose,
                               boolean workspaceScoped) {

    /** The pseudo-workspace platform-level values are bound to. */
    public static final String PLATFORM = "platform";

    public static final List<EncryptedColumns> ALL = List.of(
            new EncryptedColumns("app_users", "mfa_secret", "mfa_secret", "id", KeyPurpose.FIELDS, false),
            new EncryptedColumns("prod_customers", "email_enc", "email", "id", KeyPurpose.WORKSPACE_DATA, true),
            new EncryptedColumns("prod_customers", "phone_enc", "phone", "id", KeyPurpose.WORKSPACE_DATA, true),
            new EncryptedColumns("prod_customers", "address_enc", "address", "id", KeyPurpose.WORKSPACE_DATA, true),
            new EncryptedColumns("prod_customers", "notes_enc", "notes", "id", KeyPurpose.WORKSPACE_DATA, true),
            new EncryptedColumns("bulwark_upload", "display_name", "display_name", "blob_id", KeyPurpose.WORKSPACE_DATA, true),
            new EncryptedColumns("prod_connections", "access_token_enc", "access_token", "id", KeyPurpose.CONNECTION_CREDENTIALS, true),
            new EncryptedColumns("prod_connections", "refresh_token_enc", "refresh_token", "id", KeyPurpose.CONNECTION_CREDENTIALS, true),
            new EncryptedColumns("prod_oauth_pending", "verifier_enc", "verifier", "id", KeyPurpose.CONNECTION_CREDENTIALS, true),
            new EncryptedColumns("app_sso_settings", "oidc_client_secret_enc", "oidc_client_secret", "workspace_id", KeyPurpose.CONNECTION_CREDENTIALS, true),
            new EncryptedColumns("app_sso_settings", "ldap_service_password_enc", "ldap_service_password", "workspace_id", KeyPurpose.CONNECTION_CREDENTIALS, true));

    /** The blind index kept next to an encrypted column: prod_customers.email_bidx over the decrypted e-mail. */
    public record BlindIndexColumn(String table, String indexColumn, String contextColumn, EncryptedColumns source) {}

    public static final BlindIndexColumn CUSTOMER_EMAIL_INDEX = new BlindIndexColumn("prod_customers", "email_bidx", "email", ALL.get(1));

    public static List<EncryptedColumns> of(KeyPurpose purpose) {
        return ALL.stream().filter(c -> c.purpose == purpose).toList();
    }

    public FieldCipher cipher(Keyring keyring, String workspaceId) {
        return switch (purpose) {
            case FIELDS -> keyring.fields();
            case WORKSPACE_DATA -> keyring.workspaceFields(workspaceId);
            case CONNECTION_CREDENTIALS -> keyring.connectionCredentials();
            default -> throw new IllegalStateException("no field cipher for " + purpose);
        };
    }

    public FieldContext context(String workspaceId, String rowId) {
        return FieldContext.of(workspaceScoped ? workspaceId : PLATFORM, table, contextColumn, rowId);
    }

    public String id() {
        return table + "." + column;
    }
}
