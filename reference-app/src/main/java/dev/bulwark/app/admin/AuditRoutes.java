package dev.bulwark.app.admin;

import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Html;
import dev.bulwark.app.platform.Mailer;
import dev.bulwark.app.platform.Reply;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Services;
import dev.bulwark.app.platform.Web;
import dev.bulwark.app.product.Dates;
import dev.bulwark.audit.AuditEntry;
import dev.bulwark.audit.AuditQuery;
import dev.bulwark.audit.ChainId;
import dev.bulwark.audit.Outcome;
import dev.bulwark.tenancy.Permission;
import dev.bulwark.tenancy.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/** Audit pages (filters, JSON Lines export, suspicious activity), platform-admin audit, and the mail outbox. */
public final class AuditRoutes {
    private final Services s;
    private final Web web;

    public AuditRoutes(Services s, Web web) {
        this.s = s;
        this.web = web;
    }

    public void register(Router r) {
        r.get("/w/:ws/audit").handler(web.workspace(Permission.AUDIT_VIEW, req -> page(req, ChainId.workspace(req.tenant().workspaceId()), false)));
        r.get("/w/:ws/audit/suspicious").handler(web.workspace(Permission.AUDIT_VIEW, req -> page(req, ChainId.workspace(req.tenant().workspaceId()), true)));
        r.get("/w/:ws/audit/export.jsonl").handler(web.workspace(Permission.AUDIT_VIEW, req -> export(ChainId.workspace(req.tenant().workspaceId()))));
        r.get("/api/v1/workspaces/:ws/audit").handler(web.workspace(Permission.AUDIT_VIEW, req -> {
            JsonArray a = new JsonArray();
            for (AuditEntry e : s.audit().log().query(query(req, ChainId.workspace(req.tenant().workspaceId()), "1".equals(req.queryParam("suspicious"))))) a.add(json(e));
            return Reply.json(a);
        }));
        r.get("/api/v1/workspaces/:ws/audit/export.jsonl").handler(web.workspace(Permission.AUDIT_VIEW, req -> export(ChainId.workspace(req.tenant().workspaceId()))));
        r.get("/admin/audit").handler(web.platformAdmin(req -> page(req, ChainId.PLATFORM, "1".equals(req.queryParam("suspicious")))));
        r.get("/admin/audit/export.jsonl").handler(web.platformAdmin(req -> export(ChainId.PLATFORM)));
        r.get("/w/:ws/outbox").handler(web.workspace(Permission.WORKSPACE_VIEW, this::outbox));
    }

    private AuditQuery query(Req req, ChainId chain, boolean suspicious) {
        AuditQuery q = AuditQuery.in(chain).newestFirst().limit(200);
        if (suspicious) q = q.suspiciousOnly();
        if (!req.queryParam("action").isEmpty()) q = q.action(req.queryParam("action"));
        if (!req.queryParam("outcome").isEmpty()) {
            try {
                q = q.outcome(Outcome.valueOf(req.queryParam("outcome").toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw AppError.invalid("outcome", "Choose success, failure or denied.");
            }
        }
        for (String field : new String[] {"from", "to"}) {
            String v = req.queryParam(field);
            if (v.isEmpty()) continue;
            LocalDate d = Dates.date(v).orElseThrow(() -> AppError.invalid(field, Dates.problem("Dates look like 2026-11-23") + "."));
            q = field.equals("from") ? q.from(d.atStartOfDay().toInstant(ZoneOffset.UTC)) : q.to(d.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
        }
        return q;
    }

    private static JsonObject json(AuditEntry e) {
        return new JsonObject().put("seq", e.seq()).put("time", e.time().toString()).put("actor", e.actor().type().name().toLowerCase(Locale.ROOT) + ":" + e.actor().id())
                .put("action", e.action()).put("targetType", e.targetType()).put("targetId", e.targetId()).put("outcome", e.outcome().name().toLowerCase(Locale.ROOT))
                .put("ip", e.ip()).put("suspicious", e.suspicious()).put("details", new JsonObject(new java.util.LinkedHashMap<>(e.details().asMap())));
    }

    private Reply export(ChainId chain) throws Exception {
        StringWriter w = new StringWriter();
        s.audit().log().export(chain, w);
        return Reply.text(200, "application/jsonl; charset=utf-8", w.toString())
                .header("Content-Disposition", "attachment; filename=\"audit-" + chain.toString().replaceAll("[^A-Za-z0-9_-]", "_") + ".jsonl\"");
    }

    private Reply page(Req req, ChainId chain, boolean suspicious) {
        List<AuditEntry> entries = s.audit().log().query(query(req, chain, suspicious));
        String base = chain.isPlatform() ? "/admin/audit" : "/w/" + req.param("ws") + "/audit";
        StringBuilder b = new StringBuilder("<h1>").append(suspicious ? "Suspicious activity" : "Audit log").append("</h1>")
                .append("<form method=\"get\" action=\"").append(Html.esc(base + (suspicious && !chain.isPlatform() ? "/suspicious" : ""))).append("\" class=\"filters\">")
                .append(Html.input("Action", "action", "text", req.queryParam("action"), null, null))
                .append(Html.input("Outcome", "outcome", "text", req.queryParam("outcome"), null, "placeholder=\"success, failure, denied\""))
                .append(Html.input("From", "from", "date", req.queryParam("from"), null, null))
                .append(Html.input("To", "to", "date", req.queryParam("to"), null, null))
                .append("<button type=\"submit\">Filter</button></form><p><a href=\"").append(Html.esc(base)).append("/export.jsonl\">Export (JSON Lines)</a></p>")
                .append("<table><thead><tr><th>#</th><th>Time</th><th>Actor</th><th>Action</th><th>Target</th><th>Outcome</th><th>IP</th></tr></thead><tbody>");
        for (AuditEntry e : entries) {
            b.append("<tr").append(e.suspicious() ? " class=\"suspicious\"" : "").append("><td>").append(e.seq()).append("</td><td>").append(Html.esc(e.time()))
                    .append("</td><td>").append(Html.esc(e.actor().type().name().toLowerCase(Locale.ROOT) + ":" + e.actor().id())).append("</td><td>")
                    .append(Html.esc(e.action())).append("</td><td>").append(Html.esc(e.targetType() == null ? "" : e.targetType() + ":" + e.targetId()))
                    .append("</td><td>").append(Html.esc(e.outcome().name().toLowerCase(Locale.ROOT))).append("</td><td>").append(Html.esc(e.ip())).append("</td></tr>");
        }
        b.append("</tbody></table>");
        return Reply.html(Html.page(suspicious ? "Suspicious activity" : "Audit log", req, b.toString()));
    }

    /** The outbox (no SMTP configured): the owner reads the workspace's mails and their own. */
    private Reply outbox(Req req) {
        if (req.tenant().role() != Role.OWNER || req.principal().viaApiKey()) throw new AppError(403, "forbidden", "Only the owner can read the outbox.");
        StringBuilder b = new StringBuilder("<h1>Mail outbox</h1><p>No SMTP server is configured, so mails are kept here.</p>");
        for (Mailer.Stored m : s.mailer().outbox(req.tenant().workspaceId(), List.of(req.principal().email()), 100)) {
            b.append("<article class=\"mail\"><h2>").append(Html.esc(m.mail().subject())).append("</h2><p class=\"hint\">To ").append(Html.esc(m.mail().to()))
                    .append(" · ").append(Html.esc(m.at())).append("</p><pre>").append(Html.esc(m.mail().body())).append("</pre></article>");
        }
        return Reply.html(Html.page("Outbox", req, b.toString()));
    }

    static Instant now() {
        return Instant.now();
    }
}
