package dev.bulwark.app.keys;

import dev.bulwark.app.backup.Ops;
import dev.bulwark.app.platform.Audit;
import dev.bulwark.audit.Actor;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.Outcome;
import dev.bulwark.tenancy.RowLevelSecurity;
import dev.bulwark.tenancy.Tenancy;
import dev.bulwark.tenancy.TenantContext;
import dev.bulwark.upload.UploadGuard;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Deleting a workspace, end to end: tenancy destroys its data and file keysets (crypto-shredding: its rows, files and
 * every copy in older backups become unreadable), the values it kept under SHARED keysets (third-party tokens, OAuth
 * verifiers) are deleted since shredding cannot reach them, its encrypted files are removed, and the keyset escrow
 * next to the backups is rewritten at once so that no copy of the destroyed keysets survives there either.
 */
public final class WorkspaceShredder {
    /** Tables whose encrypted values use a shared keyset and must be deleted outright. */
    static final List<String> SHARED_KEY_TABLES = List.of("prod_connections", "prod_oauth_pending");

    private final Tenancy tenancy;
    private final DataSource ds;
    private final boolean postgres;
    private final UploadGuard uploads;
    private final Ops ops;
    private final Audit audit;

    public WorkspaceShredder(Tenancy tenancy, DataSource appDataSource, boolean postgres, UploadGuard uploads, Ops ops, Audit audit) {
        this.tenancy = tenancy;
        this.ds = appDataSource;
        this.postgres = postgres;
        this.uploads = uploads;
        this.ops = ops;
        this.audit = audit;
    }

    /** What was removed. */
    public record Result(String workspaceId, int sharedKeyRows, int files, boolean escrowRewritten) {}

    /** Deletes the context's workspace (the caller needs WORKSPACE_DELETE). */
    public Result delete(TenantContext ctx) {
        ctx.require(dev.bulwark.tenancy.Permission.WORKSPACE_DELETE);
        String ws = ctx.workspaceId();
        int rows = deleteSharedKeyRows(ws);
        tenancy.deleteWorkspace(ctx);
        int files;
        try {
            files = uploads.deleteWorkspace(ws);
        } catch (IOException e) {
            throw new UncheckedIOException("workspace " + ws + " was shredded but its encrypted files could not be removed", e);
        }
        boolean escrow = ops.refreshEscrowIfStale();
        audit.platform(Actor.member(ctx.memberId()), "workspace.shredded", "workspace", ws, Outcome.SUCCESS, null,
                Details.builder().put("shared_key_rows_deleted", rows).put("files_deleted", files).put("escrow_rewritten", escrow).build(), false);
        return new Result(ws, rows, files, escrow);
    }

    private int deleteSharedKeyRows(String ws) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (postgres) RowLevelSecurity.setLocal(c, ws);
                int n = 0;
                for (String t : SHARED_KEY_TABLES) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t + " WHERE workspace_id = ?")) {
                        ps.setString(1, ws);
                        n += ps.executeUpdate();
                    }
                }
                c.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete the shared-key rows of workspace " + ws + " (SQLState " + e.getSQLState() + ")", e);
        }
    }
}
