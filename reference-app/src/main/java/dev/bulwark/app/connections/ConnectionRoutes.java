package dev.bulwark.app.connections;

import dev.bulwark.app.platform.Html;
import dev.bulwark.app.platform.Reply;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Web;
import dev.bulwark.app.product.Pages;
import dev.bulwark.app.product.ProductConfig;
import dev.bulwark.tenancy.Permission;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** Connected services page, OAuth start (POST) and callback (signed-in member only), disconnect. */
public final class ConnectionRoutes {
    private final ConnectionService connections;
    private final Web web;

    public ConnectionRoutes(ConnectionService connections, Web web) {
        this.connections = connections;
        this.web = web;
    }

    public void register(Router r) {
        r.get("/w/:ws/connections").handler(web.workspace(Permission.SCHEDULE_MANAGE, this::page));
        r.post("/w/:ws/connections/:kind/start").handler(web.workspace(Permission.SCHEDULE_MANAGE, req ->
                Reply.text(303, "text/plain; charset=utf-8", "").header("Location", connections.start(req, req.tenant(), req.param("kind")))));
        r.post("/w/:ws/connections/:id/disconnect").handler(web.workspace(Permission.SCHEDULE_MANAGE, req -> {
            connections.disconnect(req, req.tenant(), req.param("id"));
            return Reply.redirect("/w/" + req.tenant().workspaceId() + "/connections");
        }));
        r.get("/connections/callback").handler(web.user(req -> {
            connections.callback(req, req.queryParam("code"), req.queryParam("state"), req.queryParam("error"));
            String ws = req.queryParam("state").substring(0, req.queryParam("state").indexOf('~'));
            return Reply.redirect("/w/" + ws + "/connections");
        }));
        r.get("/api/v1/workspaces/:ws/connections").handler(web.workspace(Permission.SCHEDULE_MANAGE, req -> {
            JsonArray a = new JsonArray();
            for (ConnectionService.Connection c : connections.mine(req.tenant())) {
                a.add(new JsonObject().put("id", c.id()).put("kind", c.kind()).put("provider", c.providerName()).put("expiresAt", c.expiresAt().toString()));
            }
            return Reply.json(a);
        }));
        r.post("/api/v1/workspaces/:ws/connections/:kind/start").handler(web.workspace(Permission.SCHEDULE_MANAGE, req ->
                Reply.json(new JsonObject().put("authorizeUrl", connections.start(req, req.tenant(), req.param("kind"))))));
        r.delete("/api/v1/workspaces/:ws/connections/:id").handler(web.workspace(Permission.SCHEDULE_MANAGE, req -> {
            connections.disconnect(req, req.tenant(), req.param("id"));
            return Reply.noContent();
        }));
    }

    private Reply page(Req req) {
        String ws = req.tenant().workspaceId();
        StringBuilder b = new StringBuilder("<h1>Connected services</h1><ul class=\"list\" id=\"connections\">");
        for (ConnectionService.Connection c : connections.mine(req.tenant())) {
            b.append("<li>").append(Html.esc(c.kind())).append(": ").append(Html.esc(c.providerName()))
                    .append(Html.postButton(req, "/w/" + ws + "/connections/" + c.id() + "/disconnect", "Disconnect", "danger")).append("</li>");
        }
        b.append("</ul>");
        if (connections.providers().isEmpty()) b.append("<p>No providers are configured on this server.</p>");
        for (ProductConfig.OAuthProvider p : connections.providers().values()) {
            b.append(Html.postButton(req, "/w/" + ws + "/connections/" + p.kind() + "/start", "Connect " + p.kind() + " (" + p.name() + ")", "primary"));
        }
        return Reply.html(Pages.page("Connected services", req, ws, b.toString()));
    }
}
