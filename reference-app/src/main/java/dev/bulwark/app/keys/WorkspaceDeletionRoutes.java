package dev.bulwark.app.keys;

import dev.bulwark.app.account.AccountService;
import dev.bulwark.app.backup.Ops;
import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Reply;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Services;
import dev.bulwark.app.platform.Web;
import dev.bulwark.tenancy.Permission;
import dev.bulwark.upload.JdbcUploadMetadataStore;
import dev.bulwark.upload.UploadGuard;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.time.Clock;

/**
 * {@code POST /api/v1/workspaces/{ws}/delete}: the owner deletes the workspace, which crypto-shreds it
 * ({@link WorkspaceShredder}: membership rows, its keysets, shared-key rows, files, backup escrow; audited). Needs the
 * owner-only {@link Permission#WORKSPACE_DELETE}, a session (not an API key), the workspace id typed again as
 * {@code confirm}, and a recent re-authentication. Irreversible: old backups of the workspace stay unreadable.
 */
public final class WorkspaceDeletionRoutes {
    private final Web web;
    private final AccountService accounts;
    private final WorkspaceShredder shredder;

    public WorkspaceDeletionRoutes(Services s, AccountService accounts, Web web) {
        this.web = web;
        this.accounts = accounts;
        UploadGuard uploads = UploadGuard.builder().keyring(s.keys().keyring()).dataDirectory(s.config().dataDir.resolve("files"))
                .metadataStore(new JdbcUploadMetadataStore(s.db().dataSource())).build();
        Ops ops = new Ops(s.config(), s.keys().keyring(), s.db().dataSource(), s.audit(), Clock.systemUTC());
        this.shredder = new WorkspaceShredder(s.tenancy(), s.db().dataSource(), s.db().postgres(), uploads, ops, s.audit());
    }

    public void register(Router r) {
        r.post("/api/v1/workspaces/:ws/delete").handler(web.workspace(Permission.WORKSPACE_DELETE, req -> {
            if (req.principal().viaApiKey()) throw new AppError(403, "forbidden", "API keys cannot delete a workspace.");
            if (!req.tenant().workspaceId().equals(req.field("confirm"))) {
                throw AppError.invalid("confirm", "Type the workspace id to confirm; deleting destroys its keys and cannot be undone.");
            }
            accounts.requireRecentAuth(req.principal());
            WorkspaceShredder.Result done = shredder.delete(req.tenant());
            return Reply.json(new JsonObject().put("deleted", done.workspaceId()).put("filesDeleted", done.files())
                    .put("keysDestroyed", true));
        }));
    }
}
