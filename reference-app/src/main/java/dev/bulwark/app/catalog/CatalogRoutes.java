package dev.bulwark.app.catalog;

import dev.bulwark.app.platform.Html;
import dev.bulwark.app.platform.Reply;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Web;
import dev.bulwark.app.product.Money;
import dev.bulwark.app.product.Pages;
import dev.bulwark.tenancy.Permission;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** Services, working hours, time off and the workspace profile: page /w/:ws/services and the JSON API. */
public final class CatalogRoutes {
    private final CatalogService service;
    private final Web web;

    public CatalogRoutes(CatalogService service, Web web) {
        this.service = service;
        this.web = web;
    }

    public void register(Router r) {
        String api = "/api/v1/workspaces/:ws";
        r.get(api + "/profile").handler(web.workspace(Permission.WORKSPACE_VIEW, req -> Reply.json(profile(service.repository().profile(req.tenant())))));
        r.put(api + "/profile").handler(web.workspace(Permission.WORKSPACE_SETTINGS_MANAGE, req -> Reply.json(profile(service.putProfile(req, req.tenant())))));
        r.get(api + "/services").handler(web.workspace(Permission.WORKSPACE_VIEW, req ->
                Reply.json(new JsonArray(service.repository().services(req.tenant()).stream().map(ServiceOffering::json).toList()))));
        r.post(api + "/services").handler(web.workspace(Permission.WORKSPACE_SETTINGS_MANAGE, req -> Reply.json(201, service.createService(req, req.tenant()).json())));
        r.put(api + "/services/:id").handler(web.workspace(Permission.WORKSPACE_SETTINGS_MANAGE, req ->
                Reply.json(service.updateService(req, req.tenant(), req.param("id")).json())));
        r.get(api + "/staff").handler(web.workspace(Permission.SCHEDULE_VIEW, req -> {
            JsonArray a = new JsonArray();
            for (StaffDirectory.Staff s : service.staff().visible(req.tenant())) {
                a.add(new JsonObject().put("memberId", s.memberId()).put("name", s.name()).put("role", s.role().name().toLowerCase())
                        .put("hours", service.repository().hours(req.tenant(), s.memberId()).text()));
            }
            return Reply.json(a);
        }));
        r.put(api + "/staff/:member/hours").handler(web.workspace(Permission.SCHEDULE_MANAGE, req ->
                Reply.json(new JsonObject().put("hours", service.putHours(req, req.tenant(), req.param("member")).text()))));
        r.post(api + "/staff/:member/time-off").handler(web.workspace(Permission.SCHEDULE_MANAGE, req -> {
            CatalogRepository.TimeOff t = service.addTimeOff(req, req.tenant(), req.param("member"));
            return Reply.json(201, new JsonObject().put("id", t.id()).put("startsAt", t.startsAtMs()).put("endsAt", t.endsAtMs()));
        }));

        r.get("/w/:ws/services").handler(web.workspace(Permission.SCHEDULE_VIEW, this::page));
        r.post("/w/:ws/profile").handler(web.workspace(Permission.WORKSPACE_SETTINGS_MANAGE, req -> {
            service.putProfile(req, req.tenant());
            return Reply.redirect("/w/" + req.tenant().workspaceId() + "/services");
        }));
        r.post("/w/:ws/services").handler(web.workspace(Permission.WORKSPACE_SETTINGS_MANAGE, req -> {
            service.createService(req, req.tenant());
            return Reply.redirect("/w/" + req.tenant().workspaceId() + "/services");
        }));
        r.post("/w/:ws/staff/:member/hours").handler(web.workspace(Permission.SCHEDULE_MANAGE, req -> {
            service.putHours(req, req.tenant(), req.param("member"));
            return Reply.redirect("/w/" + req.tenant().workspaceId() + "/services");
        }));
        r.post("/w/:ws/staff/:member/time-off").handler(web.workspace(Permission.SCHEDULE_MANAGE, req -> {
            service.addTimeOff(req, req.tenant(), req.param("member"));
            return Reply.redirect("/w/" + req.tenant().workspaceId() + "/services");
        }));
    }

    static JsonObject profile(Profile p) {
        return new JsonObject().put("timeZone", p.zone().getId()).put("currency", p.currency()).put("bookingEnabled", p.bookingEnabled());
    }

    private Reply page(Req req) {
        String ws = req.tenant().workspaceId();
        Profile p = service.repository().profile(req.tenant());
        StringBuilder b = new StringBuilder("<h1>Services &amp; hours</h1>");
        boolean settings = req.tenant().can(Permission.WORKSPACE_SETTINGS_MANAGE);
        b.append("<p>Times are in the workspace's time zone: <strong id=\"time-zone\">").append(Html.esc(p.zone().getId())).append("</strong>.</p>");
        if (settings) {
            b.append("<form method=\"post\" action=\"/w/").append(Html.esc(ws)).append("/profile\" id=\"profile-form\">").append(Html.csrf(req))
                    .append(Html.input("Time zone (IANA)", "timeZone", "text", p.zone().getId(), null, null))
                    .append(Html.input("Default currency", "currency", "text", p.currency(), null, "maxlength=\"3\""))
                    .append("<button type=\"submit\">Save</button></form>");
        }
        b.append("<h2>Services</h2><ul class=\"list\" id=\"services\">");
        for (ServiceOffering s : service.repository().services(req.tenant())) {
            b.append("<li>").append(Html.esc(s.name())).append(" · ").append(s.durationMin()).append(" min")
                    .append(s.bufferMin() > 0 ? " + " + s.bufferMin() + " min buffer" : "").append(" · ")
                    .append(Html.esc(Money.format(s.priceMinor(), s.currency()))).append(s.active() ? "" : " (inactive)").append("</li>");
        }
        b.append("</ul>");
        if (settings) {
            b.append("<form method=\"post\" action=\"/w/").append(Html.esc(ws)).append("/services\" id=\"service-form\">").append(Html.csrf(req))
                    .append(Html.input("Name", "name", "text", "", null, "required"))
                    .append(Html.input("Duration (minutes)", "durationMinutes", "number", "60", null, "min=\"5\" step=\"5\""))
                    .append(Html.input("Buffer after (minutes)", "bufferMinutes", "number", "0", null, "min=\"0\" step=\"5\""))
                    .append(Html.input("Price", "price", "text", "", null, "inputmode=\"decimal\""))
                    .append(Html.input("Currency", "currency", "text", p.currency(), null, "maxlength=\"3\""))
                    .append("<button type=\"submit\">Add service</button></form>");
        }
        b.append("<h2>Working hours</h2>");
        boolean manage = req.tenant().can(Permission.SCHEDULE_MANAGE);
        for (StaffDirectory.Staff s : service.staff().visible(req.tenant())) {
            String hours = service.repository().hours(req.tenant(), s.memberId()).text();
            b.append("<h3>").append(Html.esc(s.name())).append("</h3>");
            boolean mine = manage && (req.tenant().scope(Permission.SCHEDULE_MANAGE) == dev.bulwark.tenancy.Scope.ALL
                    || s.memberId().equals(req.tenant().memberId()));
            if (mine) {
                String base = "/w/" + Html.esc(ws) + "/staff/" + Html.esc(s.memberId());
                b.append("<form method=\"post\" action=\"").append(base).append("/hours\">").append(Html.csrf(req))
                        .append("<label>Weekly hours, one weekday per line (e.g. mon 09:00-12:00, 13:00-17:00)<textarea name=\"hours\">")
                        .append(Html.esc(hours)).append("</textarea></label><button type=\"submit\">Save hours</button></form>")
                        .append("<form method=\"post\" action=\"").append(base).append("/time-off\">").append(Html.csrf(req))
                        .append("<label>Time off from <input type=\"datetime-local\" name=\"start\"></label>")
                        .append("<label>until <input type=\"datetime-local\" name=\"end\"></label>")
                        .append("<label>Reason <input type=\"text\" name=\"reason\" maxlength=\"200\"></label>")
                        .append("<button type=\"submit\">Add time off</button></form>");
            } else {
                b.append("<pre>").append(Html.esc(hours)).append("</pre>");
            }
        }
        return Reply.html(Pages.page("Services & hours", req, ws, b.toString()));
    }
}
