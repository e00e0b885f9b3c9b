package dev.bulwark.app.booking;

import dev.bulwark.app.catalog.CatalogRepository;
import dev.bulwark.app.catalog.Profile;
import dev.bulwark.app.catalog.ServiceOffering;
import dev.bulwark.app.catalog.StaffDirectory;
import dev.bulwark.app.customers.Customer;
import dev.bulwark.app.customers.CustomerRepository;
import dev.bulwark.app.files.FileRoutes;
import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Audit;
import dev.bulwark.app.platform.Html;
import dev.bulwark.app.platform.Reply;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Services;
import dev.bulwark.app.platform.Web;
import dev.bulwark.app.product.Dates;
import dev.bulwark.app.product.Pages;
import dev.bulwark.audit.Outcome;
import dev.bulwark.links.LinkPurpose;
import dev.bulwark.links.LinkRevocationStore;
import dev.bulwark.links.LinkSigner;
import dev.bulwark.tenancy.Permission;
import dev.bulwark.tenancy.Scope;
import dev.bulwark.tenancy.TenantContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Calendar (day/week), appointment pages and API for members; the public booking link's management. */
public final class BookingRoutes {
    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm");
    private final Services s;
    private final BookingService booking;
    private final CatalogRepository catalog;
    private final CustomerRepository customers;
    private final StaffDirectory staff;
    private final LinkSigner links;
    private final LinkRevocationStore revocations;
    private final FileRoutes files;
    private final Web web;

    public BookingRoutes(Services s, BookingService booking, CatalogRepository catalog, CustomerRepository customers, StaffDirectory staff,
                         LinkSigner links, LinkRevocationStore revocations, FileRoutes files, Web web) {
        this.s = s;
        this.booking = booking;
        this.catalog = catalog;
        this.customers = customers;
        this.staff = staff;
        this.links = links;
        this.revocations = revocations;
        this.files = files;
        this.web = web;
    }

    public void register(Router r) {
        String api = "/api/v1/workspaces/:ws";
        r.get(api + "/appointments").handler(web.workspace(Permission.SCHEDULE_VIEW, req -> {
            ZoneId zone = catalog.profile(req.tenant()).zone();
            Instant from = instantOr(req.queryParam("from"), zone, LocalDate.now(zone).atStartOfDay(zone).toInstant());
            Instant to = instantOr(req.queryParam("to"), zone, from.plus(java.time.Duration.ofDays(7)));
            String st = req.queryParam("staffMemberId");
            return Reply.json(new JsonArray(booking.repository().between(req.tenant(), from.toEpochMilli(), to.toEpochMilli(), st.isEmpty() ? null : st)
                    .stream().map(Appointment::json).toList()));
        }));
        r.post(api + "/appointments").handler(web.workspace(Permission.SCHEDULE_MANAGE, req ->
                Reply.json(201, booking.book(req, req.tenant(), req.field("serviceId"), req.field("staffMemberId"), req.field("customerId"),
                        start(req, catalog.profile(req.tenant()).zone())).json())));
        r.get(api + "/appointments/:id").handler(web.workspace(Permission.SCHEDULE_VIEW, req -> Reply.json(booking.get(req.tenant(), req.param("id")).json())));
        r.post(api + "/appointments/:id/cancel").handler(web.workspace(Permission.SCHEDULE_MANAGE, req ->
                Reply.json(booking.cancel(req, req.tenant(), req.param("id"), Audit.actor(req.principal())).json())));
        r.post(api + "/appointments/:id/reschedule").handler(web.workspace(Permission.SCHEDULE_MANAGE, req ->
                Reply.json(booking.reschedule(req, req.tenant(), req.param("id"), start(req, catalog.profile(req.tenant()).zone()),
                        Audit.actor(req.principal())).json())));
        r.get(api + "/availability").handler(web.workspace(Permission.SCHEDULE_VIEW, req -> {
            LocalDate d = date(req.queryParam("date"));
            return Reply.json(new JsonArray(booking.freeSlots(req.tenant(), req.queryParam("serviceId"), req.queryParam("staffMemberId"), d)
                    .stream().map(Instant::toString).toList()));
        }));
        r.post(api + "/booking-link").handler(web.workspace(Permission.WORKSPACE_SETTINGS_MANAGE, req ->
                Reply.json(new JsonObject().put("url", enable(req)))));
        r.post(api + "/booking-link/rotate").handler(web.workspace(Permission.WORKSPACE_SETTINGS_MANAGE, req ->
                Reply.json(new JsonObject().put("url", rotate(req)))));
        r.delete(api + "/booking-link").handler(web.workspace(Permission.WORKSPACE_SETTINGS_MANAGE, req -> {
            disable(req);
            return Reply.noContent();
        }));

        r.get("/w/:ws/calendar").handler(web.workspace(Permission.SCHEDULE_VIEW, this::calendar));
        r.post("/w/:ws/appointments").handler(web.workspace(Permission.SCHEDULE_MANAGE, req -> {
            Appointment a = booking.book(req, req.tenant(), req.field("serviceId"), req.field("staffMemberId"), req.field("customerId"),
                    start(req, catalog.profile(req.tenant()).zone()));
            return Reply.redirect("/w/" + req.tenant().workspaceId() + "/appointments/" + a.id());
        }));
        r.get("/w/:ws/appointments/:id").handler(web.workspace(Permission.SCHEDULE_VIEW, this::appointmentPage));
        r.post("/w/:ws/appointments/:id/cancel").handler(web.workspace(Permission.SCHEDULE_MANAGE, req -> {
            booking.cancel(req, req.tenant(), req.param("id"), Audit.actor(req.principal()));
            return Reply.redirect("/w/" + req.tenant().workspaceId() + "/appointments/" + req.param("id"));
        }));
        r.post("/w/:ws/appointments/:id/reschedule").handler(web.workspace(Permission.SCHEDULE_MANAGE, req -> {
            booking.reschedule(req, req.tenant(), req.param("id"), start(req, catalog.profile(req.tenant()).zone()), Audit.actor(req.principal()));
            return Reply.redirect("/w/" + req.tenant().workspaceId() + "/appointments/" + req.param("id"));
        }));
        r.get("/w/:ws/booking-page").handler(web.workspace(Permission.WORKSPACE_SETTINGS_MANAGE, this::bookingPageAdmin));
        r.post("/w/:ws/booking-page/enable").handler(web.workspace(Permission.WORKSPACE_SETTINGS_MANAGE, req -> {
            enable(req);
            return Reply.redirect("/w/" + req.tenant().workspaceId() + "/booking-page");
        }));
        r.post("/w/:ws/booking-page/rotate").handler(web.workspace(Permission.WORKSPACE_SETTINGS_MANAGE, req -> {
            rotate(req);
            return Reply.redirect("/w/" + req.tenant().workspaceId() + "/booking-page");
        }));
        r.post("/w/:ws/booking-page/disable").handler(web.workspace(Permission.WORKSPACE_SETTINGS_MANAGE, req -> {
            disable(req);
            return Reply.redirect("/w/" + req.tenant().workspaceId() + "/booking-page");
        }));
    }

    // ---------------------------------------------------------------- public booking link management

    private String linkUrl(TenantContext ctx) {
        return s.url("/book/" + ctx.workspaceId() + "?t=" + links.issue(LinkPurpose.BOOKING, ctx.workspaceId(), BookingService.BOOKING_PAGE));
    }

    private String enable(Req req) {
        Profile p = catalog.profile(req.tenant());
        if (!p.bookingEnabled()) catalog.putProfile(req.tenant(), new Profile(p.zone(), p.currency(), true));
        s.audit().workspace(req.tenant().workspaceId(), Audit.actor(req.principal()), "booking_link.enable", "workspace", req.tenant().workspaceId(),
                Outcome.SUCCESS, req, null, false);
        return linkUrl(req.tenant());
    }

    private String rotate(Req req) {
        revocations.revokeAll(req.tenant().workspaceId(), BookingService.BOOKING_PAGE);
        s.audit().workspace(req.tenant().workspaceId(), Audit.actor(req.principal()), "booking_link.rotate", "workspace", req.tenant().workspaceId(),
                Outcome.SUCCESS, req, null, false);
        return enable(req);
    }

    private void disable(Req req) {
        revocations.revokeAll(req.tenant().workspaceId(), BookingService.BOOKING_PAGE);
        Profile p = catalog.profile(req.tenant());
        catalog.putProfile(req.tenant(), new Profile(p.zone(), p.currency(), false));
        s.audit().workspace(req.tenant().workspaceId(), Audit.actor(req.principal()), "booking_link.disable", "workspace", req.tenant().workspaceId(),
                Outcome.SUCCESS, req, null, false);
    }

    private Reply bookingPageAdmin(Req req) {
        String ws = req.tenant().workspaceId();
        Profile p = catalog.profile(req.tenant());
        StringBuilder b = new StringBuilder("<h1>Public booking page</h1>");
        if (p.bookingEnabled()) {
            String url = linkUrl(req.tenant());
            b.append("<p>Share this link with customers (valid 30 days; rotating it invalidates every link shared before):</p>")
                    .append("<p><a id=\"booking-link\" href=\"").append(Html.esc(url)).append("\">").append(Html.esc(url)).append("</a></p>")
                    .append(Html.postButton(req, "/w/" + ws + "/booking-page/rotate", "Rotate link", "secondary"))
                    .append(Html.postButton(req, "/w/" + ws + "/booking-page/disable", "Disable public booking", "danger"));
        } else {
            b.append("<p id=\"booking-disabled\">Public booking is off.</p>")
                    .append(Html.postButton(req, "/w/" + ws + "/booking-page/enable", "Enable public booking", "primary"));
        }
        return Reply.html(Pages.page("Booking page", req, ws, b.toString()));
    }

    // ---------------------------------------------------------------- calendar

    private Reply calendar(Req req) {
        TenantContext ctx = req.tenant();
        String ws = ctx.workspaceId();
        ZoneId zone = catalog.profile(ctx).zone();
        LocalDate day = req.queryParam("date").isEmpty() ? LocalDate.now(zone) : date(req.queryParam("date"));
        boolean week = !"day".equals(req.queryParam("view"));
        LocalDate from = week ? day.minusDays(day.getDayOfWeek().getValue() - 1L) : day;
        LocalDate to = from.plusDays(week ? 7 : 1);
        List<Appointment> list = booking.repository().between(ctx, from.atStartOfDay(zone).toInstant().toEpochMilli(),
                to.atStartOfDay(zone).toInstant().toEpochMilli(), null);
        Map<String, String> services = catalog.services(ctx).stream().collect(Collectors.toMap(ServiceOffering::id, ServiceOffering::name));
        Function<String, String> customerName = customerNames(ctx);
        StringBuilder b = new StringBuilder("<h1>Calendar</h1><p>").append(week ? "Week of " : "").append(Html.esc(from)).append(" (")
                .append(Html.esc(zone.getId())).append(") · <a href=\"?view=day&amp;date=").append(from).append("\">Day</a> · ")
                .append("<a href=\"?view=week&amp;date=").append(from).append("\">Week</a> · <a href=\"?view=").append(week ? "week" : "day")
                .append("&amp;date=").append(from.minusDays(week ? 7 : 1)).append("\">Previous</a> · <a href=\"?view=").append(week ? "week" : "day")
                .append("&amp;date=").append(to).append("\">Next</a></p>");
        if (ctx.scope(Permission.SCHEDULE_VIEW) == Scope.OWN) b.append("<p>Your own schedule.</p>");
        b.append("<div id=\"calendar\">");
        for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
            final LocalDate dd = d;
            b.append("<h2>").append(Html.esc(d.getDayOfWeek().toString().charAt(0) + d.getDayOfWeek().toString().substring(1).toLowerCase()))
                    .append(' ').append(d).append("</h2><ul class=\"list\">");
            list.stream().filter(a -> Instant.ofEpochMilli(a.startsAtMs()).atZone(zone).toLocalDate().equals(dd)).forEach(a ->
                    b.append("<li class=\"appointment ").append(Html.esc(a.status())).append("\"><a href=\"/w/").append(Html.esc(ws)).append("/appointments/")
                            .append(Html.esc(a.id())).append("\">").append(HM.format(Instant.ofEpochMilli(a.startsAtMs()).atZone(zone))).append('–')
                            .append(HM.format(Instant.ofEpochMilli(a.endsAtMs()).atZone(zone))).append(' ')
                            .append(Html.esc(services.getOrDefault(a.serviceId(), "?"))).append(" · ").append(Html.esc(customerName.apply(a.customerId())))
                            .append(" · ").append(Html.esc(staff.name(a.staffMemberId()))).append("</a>")
                            .append(a.booked() ? "" : " (cancelled)").append("</li>"));
            b.append("</ul>");
        }
        b.append("</div>");
        if (ctx.can(Permission.SCHEDULE_MANAGE) && ctx.can(Permission.CUSTOMERS_VIEW)) b.append(bookForm(req, ctx));
        return Reply.html(Pages.page("Calendar", req, ws, b.toString()));
    }

    private String bookForm(Req req, TenantContext ctx) {
        StringBuilder b = new StringBuilder("<h2>Book an appointment</h2><form method=\"post\" id=\"book-form\" action=\"/w/")
                .append(Html.esc(ctx.workspaceId())).append("/appointments\">").append(Html.csrf(req)).append("<label for=\"serviceId\">Service</label><select id=\"serviceId\" name=\"serviceId\">");
        for (ServiceOffering o : catalog.services(ctx)) if (o.active()) b.append("<option value=\"").append(Html.esc(o.id())).append("\">").append(Html.esc(o.name())).append("</option>");
        b.append("</select><label for=\"staffMemberId\">Staff</label><select id=\"staffMemberId\" name=\"staffMemberId\">");
        for (StaffDirectory.Staff st : staff.visible(ctx)) b.append("<option value=\"").append(Html.esc(st.memberId())).append("\">").append(Html.esc(st.name())).append("</option>");
        b.append("</select><label for=\"customerId\">Customer</label><select id=\"customerId\" name=\"customerId\">");
        for (Customer c : customers.list(ctx, 1000)) b.append("<option value=\"").append(Html.esc(c.id())).append("\">").append(Html.esc(c.name())).append("</option>");
        b.append("</select>").append(Html.input("Start (workspace time)", "startLocal", "datetime-local", "", null, "step=\"300\""))
                .append("<button type=\"submit\">Book</button></form>");
        return b.toString();
    }

    private Function<String, String> customerNames(TenantContext ctx) {
        if (!ctx.can(Permission.CUSTOMERS_VIEW)) return id -> "customer";
        Map<String, String> names = customers.list(ctx, 5000).stream().collect(Collectors.toMap(Customer::id, Customer::name));
        return id -> names.getOrDefault(id, "customer");
    }

    private Reply appointmentPage(Req req) {
        TenantContext ctx = req.tenant();
        String ws = ctx.workspaceId();
        Appointment a = booking.get(ctx, req.param("id"));
        ZoneId zone = catalog.profile(ctx).zone();
        StringBuilder b = new StringBuilder("<h1>Appointment</h1><p id=\"appointment-when\">").append(Html.esc(booking.when(ctx, a.startsAtMs())))
                .append("</p><p>").append(Html.esc(booking.serviceName(ctx, a))).append(" with ").append(Html.esc(staff.name(a.staffMemberId())))
                .append(" · ").append(Html.esc(customerNames(ctx).apply(a.customerId()))).append("</p><p>Status: <strong id=\"appointment-status\">")
                .append(Html.esc(a.status())).append("</strong></p>");
        if (a.booked() && ctx.can(Permission.SCHEDULE_MANAGE)) {
            String base = "/w/" + ws + "/appointments/" + a.id();
            b.append("<form method=\"post\" action=\"").append(Html.esc(base)).append("/reschedule\">").append(Html.csrf(req))
                    .append(Html.input("New start (workspace time)", "startLocal", "datetime-local",
                            LocalDateTime.ofInstant(Instant.ofEpochMilli(a.startsAtMs()), zone).toString(), null, "step=\"300\""))
                    .append("<button type=\"submit\">Reschedule</button></form>")
                    .append(Html.postButton(req, base + "/cancel", "Cancel appointment", "danger"));
        }
        b.append(files.section(req, "appointment", a.id()));
        return Reply.html(Pages.page("Appointment", req, ws, b.toString()));
    }

    // ---------------------------------------------------------------- parsing

    /** "start" as an ISO instant (API), or "startLocal" as a local date-time in the workspace zone (forms). */
    static Instant start(Req req, ZoneId zone) {
        Optional<Instant> t = !req.field("start").isEmpty() ? Dates.instant(req.field("start")) : Dates.local(req.field("startLocal"), zone);
        return t.orElseThrow(() -> AppError.invalid("start", Dates.problem("must be an ISO-8601 instant such as 2026-12-01T09:00:00Z")));
    }

    static LocalDate date(String v) {
        return Dates.date(v).orElseThrow(() -> AppError.invalid("date", Dates.problem("must be a date such as 2026-12-01")));
    }

    private static Instant instantOr(String v, ZoneId zone, Instant dflt) {
        if (v.isEmpty()) return dflt;
        Optional<Instant> t = v.length() == 10 ? Dates.date(v).map(d -> d.atStartOfDay(zone).toInstant()) : Dates.instant(v);
        return t.orElseThrow(() -> AppError.invalid("from", Dates.problem("must be a date or an ISO-8601 instant")));
    }

    static Optional<String> none() {
        return Optional.empty();
    }
}
