package dev.bulwark.app.settings;

import dev.bulwark.app.account.AccountRoutes;
import dev.bulwark.app.account.AccountService;
import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Audit;
import dev.bulwark.app.platform.Html;
import dev.bulwark.app.platform.Reply;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Services;
import dev.bulwark.app.platform.Web;
import dev.bulwark.app.platform.WorkspaceSettings;
import dev.bulwark.audit.ChainId;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.Outcome;
import dev.bulwark.audit.Retention;
import dev.bulwark.auth.net.InvalidAddressException;
import dev.bulwark.auth.net.IpAllowlist;
import dev.bulwark.tenancy.Permission;
import dev.bulwark.tenancy.TenantContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Workspace security settings: IP allowlist, MFA requirement, audit-log retention (owner/admin). */
public final class SettingsRoutes {
    private final Services s;
    private final AccountService accounts;
    private final Web web;

    public SettingsRoutes(Services s, AccountService accounts, Web web) {
        this.s = s;
        this.accounts = accounts;
        this.web = web;
    }

    public void register(Router r) {
        r.get("/w/:ws/settings/security").handler(web.workspace(Permission.WORKSPACE_SETTINGS_MANAGE, req -> page(req, req.settings(), Map.of(), null, 200)));
        r.post("/w/:ws/settings/security").handler(web.workspace(Permission.WORKSPACE_SETTINGS_MANAGE, req ->
                AccountRoutes.reauthGate(req, "/w/" + req.param("ws") + "/settings/security", () -> {
                    try {
                        WorkspaceSettings n = update(req);
                        return page(req, n, Map.of(), "Saved.", 200);
                    } catch (AppError e) {
                        if (e.status() == 400) return page(req, req.settings(), e.fields(), null, 400);
                        throw e;
                    }
                })));
        r.get("/api/v1/workspaces/:ws/settings/security").handler(web.workspace(Permission.WORKSPACE_SETTINGS_MANAGE, req -> Reply.json(json(req.settings()))));
        r.put("/api/v1/workspaces/:ws/settings/security").handler(web.workspace(Permission.WORKSPACE_SETTINGS_MANAGE, req -> Reply.json(json(update(req)))));
    }

    private static JsonObject json(WorkspaceSettings w) {
        return new JsonObject().put("ipAllowlist", new JsonArray(w.ipAllowlist())).put("requireMfa", w.requireMfa())
                .put("auditRetentionDays", w.auditRetentionDays());
    }

    private WorkspaceSettings update(Req req) {
        if (req.principal().viaApiKey()) throw new AppError(403, "forbidden", "API keys cannot change security settings.");
        TenantContext ctx = req.tenant();
        WorkspaceSettings old = req.settings();
        Map<String, String> errors = new LinkedHashMap<>();
        List<String> allow = Arrays.stream(req.field("ipAllowlist").split("[,\\s]+")).map(String::strip).filter(x -> !x.isEmpty()).toList();
        try {
            IpAllowlist list = IpAllowlist.of(allow);
            if (!allow.isEmpty() && !list.permits(req.client)) {
                errors.put("ipAllowlist", "Your own address (" + req.clientIp + ") is not in the list; saving it would lock you out.");
            }
        } catch (InvalidAddressException e) {
            errors.put("ipAllowlist", "Not a valid address or CIDR block: " + e.getMessage());
        }
        boolean requireMfa = "true".equalsIgnoreCase(req.field("requireMfa")) || "on".equalsIgnoreCase(req.field("requireMfa"));
        if (requireMfa && !req.principal().mfaEnabled()) errors.put("requireMfa", "Turn on two-factor authentication for yourself first.");
        int days = old.auditRetentionDays();
        if (!req.field("auditRetentionDays").isEmpty()) {
            try {
                days = Integer.parseInt(req.field("auditRetentionDays"));
                if (days < 30 || days > 3650) errors.put("auditRetentionDays", "Keep audit events between 30 and 3650 days.");
            } catch (NumberFormatException e) {
                errors.put("auditRetentionDays", "Enter a number of days.");
            }
        }
        if (!errors.isEmpty()) throw AppError.invalid(errors);
        if (!allow.equals(old.ipAllowlist())) accounts.requireRecentAuth(req.principal());
        WorkspaceSettings n = new WorkspaceSettings(allow, requireMfa, days);
        s.settings().put(ctx, n);
        s.audit().log().setRetention(ChainId.workspace(ctx.workspaceId()), Retention.days(days));
        s.audit().workspace(ctx.workspaceId(), Audit.actor(req.principal()), "settings.security_changed", "workspace", ctx.workspaceId(),
                Outcome.SUCCESS, req, Details.builder().put("ip_allowlist_entries", allow.size()).put("require_mfa", requireMfa)
                        .put("audit_retention_days", days).build(), false);
        return n;
    }

    private Reply page(Req req, WorkspaceSettings w, Map<String, String> errors, String message, int status) {
        String ws = req.tenant().workspaceId();
        return Reply.html(status, Html.page("Security settings", req, "<h1>Security settings</h1>" + Html.notice(message)
                + "<form method=\"post\" action=\"/w/" + Html.esc(ws) + "/settings/security\">" + Html.csrf(req)
                + Html.input("Allowed IP addresses or CIDR blocks (comma-separated; empty = any)", "ipAllowlist", "text",
                String.join(", ", w.ipAllowlist()), errors, null)
                + "<label class=\"check\"><input type=\"checkbox\" name=\"requireMfa\" value=\"true\"" + (w.requireMfa() ? " checked" : "")
                + "> Require two-factor authentication for every member</label>"
                + (errors.containsKey("requireMfa") ? Html.errorBox(errors.get("requireMfa")) : "")
                + Html.input("Keep audit events for (days)", "auditRetentionDays", "number", String.valueOf(w.auditRetentionDays()), errors, "min=\"30\" max=\"3650\"")
                + "<button type=\"submit\">Save</button></form>"));
    }
}
