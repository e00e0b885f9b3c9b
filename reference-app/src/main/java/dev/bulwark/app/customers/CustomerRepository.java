package dev.bulwark.app.customers;

import dev.bulwark.crypto.ColumnContext;
import dev.bulwark.crypto.DecryptionException;
import dev.bulwark.crypto.FieldCipher;
import dev.bulwark.crypto.FieldContext;
import dev.bulwark.crypto.Keyring;
import dev.bulwark.crypto.Normalizer;
import dev.bulwark.tenancy.Permission;
import dev.bulwark.tenancy.ScopedTable;
import dev.bulwark.tenancy.ScopedTransaction;
import dev.bulwark.tenancy.TenantContext;
import dev.bulwark.tenancy.TenantScopedJdbc;
import dev.bulwark.tenancy.Where;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Customers through tenancy's scoped JDBC (workspace predicate, role scope, RLS on PostgreSQL). E-mail, phone,
 * address and notes are stored only as core-crypto ciphertext under the workspace's data key, each bound to its
 * workspace, table, column and row; the e-mail is findable by exact match through its blind index.
 */
public final class CustomerRepository {
    public static final String TABLE_NAME = "prod_customers";
    public static final ScopedTable TABLE = ScopedTable.named(TABLE_NAME).reads(Permission.CUSTOMERS_VIEW)
            .writes(Permission.CUSTOMERS_MANAGE).ownerColumn("staff_member_id");
    private static final String COLUMNS = "id, name, email_enc, phone_enc, address_enc, notes_enc, staff_member_id, created_at_ms, updated_at_ms";

    private final TenantScopedJdbc jdbc;
    private final Keyring keyring;

    public CustomerRepository(TenantScopedJdbc jdbc, Keyring keyring) {
        this.jdbc = jdbc;
        this.keyring = keyring;
    }

    public void insert(TenantContext ctx, Customer c) {
        jdbc.inTransaction(ctx, tx -> insert(tx, c));
    }

    /** Inside a caller's transaction (public booking creates the customer and the appointment together). */
    public int insert(ScopedTransaction tx, Customer c) throws SQLException {
        Map<String, Object> v = values(tx.context().workspaceId(), c);
        v.put("id", c.id());
        v.put("created_at_ms", c.createdAtMs());
        if (c.staffMemberId() != null) v.put("staff_member_id", c.staffMemberId());
        return tx.insert(TABLE, v);
    }

    public boolean update(TenantContext ctx, Customer c) {
        Map<String, Object> v = values(ctx.workspaceId(), c);
        return jdbc.update(ctx, TABLE, v, Where.eq("id", c.id())) == 1;
    }

    private Map<String, Object> values(String ws, Customer c) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", c.name());
        v.put("email_enc", enc(ws, "email", c.id(), c.email()));
        v.put("email_bidx", c.email() == null || c.email().isEmpty() ? null : emailIndex(ws).compute(c.email()));
        v.put("phone_enc", enc(ws, "phone", c.id(), c.phone()));
        v.put("address_enc", enc(ws, "address", c.id(), c.address()));
        v.put("notes_enc", enc(ws, "notes", c.id(), c.notes()));
        v.put("updated_at_ms", c.updatedAtMs());
        return v;
    }

    public Optional<Customer> byId(TenantContext ctx, String id) {
        return jdbc.inTransaction(ctx, tx -> byId(tx, id));
    }

    public Optional<Customer> byId(ScopedTransaction tx, String id) throws SQLException {
        String ws = tx.context().workspaceId();
        return tx.select(TABLE, COLUMNS, Where.eq("id", id), rs -> map(ws, rs)).stream().findFirst();
    }

    public List<Customer> list(TenantContext ctx, int limit) {
        return jdbc.select(ctx, TABLE, COLUMNS, Where.all(), "name", limit, rs -> map(ctx.workspaceId(), rs));
    }

    /** Exact e-mail match through the blind index (current and previous index keys), confirmed on the decrypted value. */
    public List<Customer> byEmail(TenantContext ctx, String email) {
        return jdbc.inTransaction(ctx, tx -> byEmail(tx, email));
    }

    public List<Customer> byEmail(ScopedTransaction tx, String email) throws SQLException {
        String ws = tx.context().workspaceId();
        List<String> lookups = emailIndex(ws).lookupValues(email);
        String marks = String.join(", ", java.util.Collections.nCopies(lookups.size(), "?"));
        List<Customer> found = tx.select(TABLE, COLUMNS, Where.of("email_bidx IN (" + marks + ")", lookups.toArray()), "name", 100,
                rs -> map(ws, rs));
        String norm = Normalizer.EMAIL.normalize(email);
        return found.stream().filter(c -> c.email() != null && Normalizer.EMAIL.normalize(c.email()).equals(norm)).toList();
    }

    public boolean delete(TenantContext ctx, String id) {
        return jdbc.delete(ctx, TABLE, Where.eq("id", id)) == 1;
    }

    private dev.bulwark.crypto.BlindIndex emailIndex(String ws) {
        return keyring.blindIndexes().column(ColumnContext.of(ws, TABLE_NAME, "email"), Normalizer.EMAIL);
    }

    private String enc(String ws, String column, String id, String value) {
        if (value == null || value.isEmpty()) return null;
        return keyring.workspaceFields(ws).encrypt(value, FieldContext.of(ws, TABLE_NAME, column, id));
    }

    private Customer map(String ws, ResultSet rs) throws SQLException {
        String id = rs.getString(1);
        FieldCipher f = keyring.workspaceFields(ws);
        return new Customer(id, rs.getString(2), dec(f, ws, "email", id, rs.getString(3)), dec(f, ws, "phone", id, rs.getString(4)),
                dec(f, ws, "address", id, rs.getString(5)), dec(f, ws, "notes", id, rs.getString(6)), rs.getString(7),
                rs.getLong(8), rs.getLong(9));
    }

    private static String dec(FieldCipher f, String ws, String column, String id, String stored) {
        if (stored == null) return "";
        try {
            return f.decrypt(stored, FieldContext.of(ws, TABLE_NAME, column, id));
        } catch (DecryptionException e) {
            throw new IllegalStateException("customer field " + column + " cannot be decrypted (" + e.reason() + ")");
        }
    }
}
