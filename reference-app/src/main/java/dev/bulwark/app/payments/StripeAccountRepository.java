package dev.bulwark.app.payments;

import dev.bulwark.tenancy.Permission;
import dev.bulwark.tenancy.ScopedTable;
import dev.bulwark.tenancy.TenantContext;
import dev.bulwark.tenancy.TenantScopedJdbc;
import dev.bulwark.tenancy.Where;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The workspace's connected Stripe account (workspace table, RLS) and the account → workspace directory the Connect
 * webhook reads before any workspace is known (two ids, no policy, like memberships).
 */
public final class StripeAccountRepository {
    static final ScopedTable ACCOUNTS = ScopedTable.named("prod_stripe_accounts").reads(Permission.PAYMENTS_VIEW).writes(Permission.PAYMENTS_MANAGE);

    public record ConnectedAccount(String accountId, boolean chargesEnabled, boolean detailsSubmitted, String connectedBy) {}

    private final TenantScopedJdbc jdbc;
    private final DataSource ds;

    public StripeAccountRepository(TenantScopedJdbc jdbc, DataSource ds) {
        this.jdbc = jdbc;
        this.ds = ds;
    }

    public Optional<ConnectedAccount> get(TenantContext ctx) {
        return jdbc.select(ctx, ACCOUNTS, "account_id, charges_enabled, details_submitted, connected_by", Where.all(),
                rs -> new ConnectedAccount(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), rs.getString(4))).stream().findFirst();
    }

    public void put(TenantContext ctx, ConnectedAccount a) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("account_id", a.accountId());
        v.put("charges_enabled", a.chargesEnabled());
        v.put("details_submitted", a.detailsSubmitted());
        v.put("connected_by", a.connectedBy());
        v.put("updated_at_ms", System.currentTimeMillis());
        jdbc.inTransaction(ctx, tx -> {
            if (tx.update(ACCOUNTS, v, Where.all()) == 0) tx.insert(ACCOUNTS, v);
            return null;
        });
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM prod_stripe_account_directory WHERE workspace_id = ?")) {
                ps.setString(1, ctx.workspaceId());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO prod_stripe_account_directory (account_id, workspace_id) VALUES (?, ?)")) {
                ps.setString(1, a.accountId());
                ps.setString(2, ctx.workspaceId());
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the connected account (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /** Which workspace a connected account belongs to (for a verified webhook), if any. */
    public Optional<String> workspaceOf(String accountId) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT workspace_id FROM prod_stripe_account_directory WHERE account_id = ?")) {
            ps.setString(1, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the account directory (SQLState " + e.getSQLState() + ")", e);
        }
    }
}
