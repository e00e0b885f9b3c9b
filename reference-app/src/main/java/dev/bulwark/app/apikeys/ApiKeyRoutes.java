package dev.bulwark.app.apikeys;

import dev.bulwark.app.account.AccountRoutes;
import dev.bulwark.app.account.AccountService;
import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Audit;
import dev.bulwark.app.platform.Html;
import dev.bulwark.app.platform.Reply;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Services;
import dev.bulwark.app.platform.Web;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.Outcome;
import dev.bulwark.auth.apikey.ApiKeyInfo;
import dev.bulwark.auth.apikey.ApiKeyScope;
import dev.bulwark.auth.apikey.IssuedApiKey;
import dev.bulwark.tenancy.Membership;
import dev.bulwark.tenancy.Permission;
import dev.bulwark.tenancy.TenantContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * API keys (auth-guard): shown once, listed by last 4 characters, revocable. A key's owner is
 * "<workspace>:<member>", so a key acts inside one workspace with its creator's role, limited by its scope.
 */
public final class ApiKeyRoutes {
    private final Services s;
    private final AccountService accounts;
    private final Web web;

    public ApiKeyRoutes(Services s, AccountService accounts, Web web) {
        this.s = s;
        this.accounts = accounts;
        this.web = web;
    }

    public static String owner(String workspaceId, String memberId) {
        return workspaceId + ":" + memberId;
    }

    public void register(Router r) {
        r.get("/w/:ws/api-keys").handler(web.workspace(Permission.INTEGRATIONS_MANAGE, req -> page(req, null)));
        r.post("/w/:ws/api-keys").handler(web.workspace(Permission.INTEGRATIONS_MANAGE, req ->
                AccountRoutes.reauthGate(req, "/w/" + req.param("ws") + "/api-keys", () -> page(req, create(req)))));
        r.post("/w/:ws/api-keys/:id/revoke").handler(web.workspace(Permission.INTEGRATIONS_MANAGE, req -> {
            revoke(req);
            return Reply.redirect("/w/" + req.param("ws") + "/api-keys");
        }));
        r.get("/api/v1/workspaces/:ws/api-keys").handler(web.workspace(Permission.INTEGRATIONS_MANAGE, req -> {
            JsonArray a = new JsonArray();
            for (ApiKeyInfo k : list(req.tenant())) a.add(json(k));
            return Reply.json(a);
        }));
        r.post("/api/v1/workspaces/:ws/api-keys").handler(web.workspace(Permission.INTEGRATIONS_MANAGE, req -> {
            IssuedApiKey k = create(req);
            return Reply.json(201, json(k.info()).put("key", k.key()));
        }));
        r.delete("/api/v1/workspaces/:ws/api-keys/:id").handler(web.workspace(Permission.INTEGRATIONS_MANAGE, req -> {
            revoke(req);
            return Reply.noContent();
        }));
    }

    private List<ApiKeyInfo> list(TenantContext ctx) {
        List<ApiKeyInfo> all = new ArrayList<>();
        for (Membership m : s.tenancy().members(ctx)) all.addAll(s.apiKeys().list(owner(ctx.workspaceId(), m.memberId())));
        all.sort((a, b) -> b.createdAt().compareTo(a.createdAt()));
        return all;
    }

    private static JsonObject json(ApiKeyInfo k) {
        return new JsonObject().put("id", k.keyId()).put("label", k.label()).put("scope", k.scope().name().toLowerCase(Locale.ROOT))
                .put("last4", k.last4()).put("createdAt", k.createdAt().toString())
                .put("lastUsedAt", k.lastUsedAt() == null ? null : k.lastUsedAt().toString())
                .put("revokedAt", k.revokedAt() == null ? null : k.revokedAt().toString()).put("dueForRotation", k.dueForRotation())
                .put("createdBy", k.ownerId().substring(k.ownerId().indexOf(':') + 1));
    }

    private IssuedApiKey create(Req req) {
        if (req.principal().viaApiKey()) throw new AppError(403, "forbidden", "An API key cannot create API keys.");
        accounts.requireRecentAuth(req.principal());
        String label = req.field("label");
        if (label.isEmpty() || label.length() > 100) throw AppError.invalid("label", "Give the key a name (at most 100 characters).");
        ApiKeyScope scope = switch (req.field("scope").isEmpty() ? "read_only" : req.field("scope").toLowerCase(Locale.ROOT)) {
            case "read_only", "read-only", "read" -> ApiKeyScope.READ_ONLY;
            case "read_write", "read-write", "write" -> ApiKeyScope.READ_WRITE;
            default -> throw AppError.invalid("scope", "Choose read_only or read_write.");
        };
        TenantContext ctx = req.tenant();
        IssuedApiKey k = s.apiKeys().issue(owner(ctx.workspaceId(), ctx.memberId()), scope, label, null);
        s.users().byId(ctx.memberId()).ifPresent(u -> accounts.notify(u, "A new API key was created",
                "An API key named '" + label + "' (" + scope.name().toLowerCase(Locale.ROOT) + ") was created with your account."));
        s.audit().workspace(ctx.workspaceId(), Audit.actor(req.principal()), "api_key.created", "api_key", k.info().keyId(), Outcome.SUCCESS, req,
                Details.of("scope", scope.name()), false);
        return k;
    }

    private void revoke(Req req) {
        TenantContext ctx = req.tenant();
        String id = req.param("id");
        ApiKeyInfo k = list(ctx).stream().filter(i -> i.keyId().equals(id)).findFirst().orElseThrow(AppError::notFound);
        if (!s.apiKeys().revoke(k.ownerId(), id)) throw AppError.notFound();
        String member = k.ownerId().substring(k.ownerId().indexOf(':') + 1);
        s.users().byId(member).ifPresent(u -> accounts.notify(u, "An API key was revoked", "The API key '" + k.label() + "' was revoked."));
        s.audit().workspace(ctx.workspaceId(), Audit.actor(req.principal()), "api_key.revoked", "api_key", id, Outcome.SUCCESS, req, Details.EMPTY, false);
    }

    private Reply page(Req req, IssuedApiKey created) {
        String ws = req.tenant().workspaceId();
        StringBuilder b = new StringBuilder("<h1>API keys</h1>");
        if (created != null) {
            b.append("<div class=\"notice\"><p>Copy this key now; it will not be shown again:</p><p><code id=\"new-api-key\">")
                    .append(Html.esc(created.key())).append("</code></p></div>");
        }
        b.append("<table><thead><tr><th>Name</th><th>Key</th><th>Scope</th><th>Created</th><th>Last used</th><th></th></tr></thead><tbody>");
        for (ApiKeyInfo k : list(req.tenant())) {
            b.append("<tr><td>").append(Html.esc(k.label())).append(k.dueForRotation() ? " <span class=\"badge warn\">rotate</span>" : "")
                    .append("</td><td><code>").append(Html.esc(k.masked())).append("</code></td><td>").append(Html.esc(k.scope().name().toLowerCase(Locale.ROOT)))
                    .append("</td><td>").append(Html.esc(k.createdAt())).append("</td><td>").append(k.lastUsedAt() == null ? "never" : Html.esc(k.lastUsedAt()))
                    .append("</td><td>").append(k.revokedAt() != null ? "revoked" : Html.postButton(req, "/w/" + ws + "/api-keys/" + k.keyId() + "/revoke", "Revoke", "danger"))
                    .append("</td></tr>");
        }
        b.append("</tbody></table><h2>New key</h2><form method=\"post\" action=\"/w/").append(Html.esc(ws)).append("/api-keys\">").append(Html.csrf(req))
                .append(Html.input("Name", "label", "text", "", null, "required maxlength=\"100\""))
                .append("<label for=\"scope\">Scope</label><select name=\"scope\" id=\"scope\"><option value=\"read_only\">read only</option>")
                .append("<option value=\"read_write\">read and write</option></select><button type=\"submit\">Create key</button></form>");
        return Reply.html(Html.page("API keys", req, b.toString()));
    }
}
