package dev.bulwark.app.booking;

import dev.bulwark.app.catalog.CatalogRepository;
import dev.bulwark.app.catalog.Profile;
import dev.bulwark.app.catalog.ServiceOffering;
import dev.bulwark.app.catalog.StaffDirectory;
import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Html;
import dev.bulwark.app.platform.Reply;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Web;
import dev.bulwark.app.privacy.PrivacyConsent;
import dev.bulwark.app.privacy.PrivacyNotice;
import dev.bulwark.app.product.Dates;
import dev.bulwark.app.product.Forms;
import dev.bulwark.app.product.Money;
import dev.bulwark.app.product.PublicAccess;
import dev.bulwark.audit.Actor;
import dev.bulwark.links.LinkPurpose;
import dev.bulwark.links.LinkRejected;
import dev.bulwark.links.LinkVerifier;
import dev.bulwark.tenancy.TenantContext;
import io.vertx.ext.web.Router;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The public side of booking, reached only through signed links (no login): the booking page
 * ({@code /book/<ws>?t=}, purpose {@code booking}) and a customer's own appointment ({@code /b/<ws>/<id>?t=}, purpose
 * {@code booking-manage}). GETs only show pages: cancelling and rescheduling are POSTs with the CSRF token, so mail
 * scanners that follow links change nothing. Rate-limited per client address.
 */
public final class PublicBookingRoutes {
    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm");
    private final BookingService booking;
    private final CatalogRepository catalog;
    private final StaffDirectory staff;
    private final LinkVerifier verifier;
    private final PublicAccess access;
    private final BookingLimiter limiter;
    private final Web web;

    public PublicBookingRoutes(BookingService booking, CatalogRepository catalog, StaffDirectory staff, LinkVerifier verifier,
                               PublicAccess access, BookingLimiter limiter, Web web) {
        this.booking = booking;
        this.catalog = catalog;
        this.staff = staff;
        this.verifier = verifier;
        this.access = access;
        this.limiter = limiter;
        this.web = web;
    }

    public void register(Router r) {
        r.get("/book/:ws").handler(web.open(this::bookingPage));
        r.post("/book/:ws").handler(web.open(this::bookForm));
        r.get("/b/:ws/:apt").handler(web.open(this::managePage));
        r.post("/b/:ws/:apt/cancel").handler(web.open(this::cancelForm));
        r.post("/b/:ws/:apt/reschedule").handler(web.open(this::rescheduleForm));
    }

    /** Verifies the booking-page link and enters the workspace; 404 for any bad, revoked or disabled link. */
    private TenantContext bookingContext(Req req, String token) {
        String ws = req.param("ws");
        try {
            var link = verifier.verify(token, LinkPurpose.BOOKING, ws, BookingService.BOOKING_PAGE);
            TenantContext ctx = access.enter(link.workspaceId());
            if (!catalog.profile(ctx).bookingEnabled()) throw gone("Online booking is switched off for this business.");
            return ctx;
        } catch (LinkRejected e) {
            throw linkError(e);
        } catch (IllegalArgumentException e) {
            throw AppError.notFound();
        }
    }

    private TenantContext manageContext(Req req, String token) {
        try {
            var link = verifier.verify(token, BookingService.MANAGE, req.param("ws"), req.param("apt"));
            return access.enter(link.workspaceId());
        } catch (LinkRejected e) {
            throw linkError(e);
        } catch (IllegalArgumentException e) {
            throw AppError.notFound();
        }
    }

    static AppError linkError(LinkRejected e) {
        return switch (e.reason()) {
            case EXPIRED -> gone("This link has expired.");
            case REVOKED -> gone("This link is no longer valid.");
            default -> AppError.notFound();
        };
    }

    static AppError gone(String message) {
        return new AppError(410, "link_gone", message);
    }

    private Reply bookingPage(Req req) {
        limiter.check(req.clientIp);
        String token = req.queryParam("t");
        TenantContext ctx = bookingContext(req, token);
        Profile p = catalog.profile(ctx);
        List<ServiceOffering> services = catalog.services(ctx).stream().filter(ServiceOffering::active).toList();
        List<String> staffIds = catalog.staffWithHours(ctx);
        String ws = ctx.workspaceId();
        StringBuilder b = new StringBuilder("<h1>Book an appointment</h1>");
        b.append("<form method=\"get\" action=\"/book/").append(Html.esc(ws)).append("\" id=\"slot-search\"><input type=\"hidden\" name=\"t\" value=\"")
                .append(Html.esc(token)).append("\"><label for=\"service\">Service</label><select id=\"service\" name=\"service\">");
        for (ServiceOffering s : services) {
            b.append("<option value=\"").append(Html.esc(s.id())).append("\"").append(s.id().equals(req.queryParam("service")) ? " selected" : "")
                    .append(">").append(Html.esc(s.name())).append(" (").append(s.durationMin()).append(" min, ")
                    .append(Html.esc(Money.format(s.priceMinor(), s.currency()))).append(")</option>");
        }
        b.append("</select><label for=\"staff\">With</label><select id=\"staff\" name=\"staff\">");
        for (String id : staffIds) {
            b.append("<option value=\"").append(Html.esc(id)).append("\"").append(id.equals(req.queryParam("staff")) ? " selected" : "")
                    .append(">").append(Html.esc(staff.name(id))).append("</option>");
        }
        String date = req.queryParam("date").isEmpty() ? LocalDate.now(p.zone()).plusDays(1).toString() : req.queryParam("date");
        b.append("</select>").append(Html.input("Date", "date", "date", date, null, null)).append("<button type=\"submit\">Show free times</button></form>");
        if (!req.queryParam("service").isEmpty() && !req.queryParam("staff").isEmpty()) {
            List<Instant> slots = booking.freeSlots(ctx, req.queryParam("service"), req.queryParam("staff"), BookingRoutes.date(date));
            b.append("<h2>Free times on ").append(Html.esc(date)).append(" (").append(Html.esc(p.zone().getId())).append(")</h2>");
            if (slots.isEmpty()) {
                b.append("<p id=\"no-slots\">No free times that day.</p>");
            } else {
                b.append("<form method=\"post\" action=\"/book/").append(Html.esc(ws)).append("\" id=\"book-form\">").append(Html.csrf(req))
                        .append(hidden("t", token)).append(hidden("serviceId", req.queryParam("service"))).append(hidden("staffMemberId", req.queryParam("staff")))
                        .append("<fieldset id=\"slots\"><legend>Time</legend>");
                for (Instant i : slots) {
                    b.append("<label class=\"slot\"><input type=\"radio\" name=\"start\" value=\"").append(i).append("\" required> ")
                            .append(HM.format(i.atZone(p.zone()))).append("</label>");
                }
                b.append("</fieldset>").append(Html.input("Your name", "name", "text", "", null, "required maxlength=\"200\""))
                        .append(Html.input("Your e-mail", "email", "email", "", null, "required"))
                        .append(PrivacyNotice.checkbox(null, null))
                        .append("<button type=\"submit\">Book</button></form>");
            }
        }
        return Reply.html(Html.page("Book an appointment", null, b.toString()));
    }

    private Reply bookForm(Req req) {
        limiter.check(req.clientIp);
        TenantContext ctx = bookingContext(req, req.field("t"));
        Forms f = new Forms(req);
        String name = f.text("name", 1, 200);
        String email = f.email("email", true);
        Instant start = Dates.instant(req.field("start")).orElse(null);
        if (start == null) f.error("start", "pick a time");
        if (!PrivacyNotice.accepted(req)) f.error(PrivacyNotice.FIELD, PrivacyNotice.REQUIRED);
        f.check();
        Appointment a = booking.bookPublic(req, ctx, req.field("serviceId"), req.field("staffMemberId"), start, name, email, PrivacyConsent.now());
        String body = "<h1 id=\"booking-confirmed\">Booked</h1><p>Your appointment is on <strong>" + Html.esc(booking.when(ctx, a.startsAtMs()))
                + "</strong>. We sent a confirmation to " + Html.esc(email) + " with a link to reschedule or cancel.</p>";
        return Reply.html(201, Html.page("Booked", null, body));
    }

    private Reply managePage(Req req) {
        limiter.check(req.clientIp);
        String token = req.queryParam("t");
        TenantContext ctx = manageContext(req, token);
        Appointment a = booking.get(ctx, req.param("apt"));
        ZoneId zone = catalog.profile(ctx).zone();
        String base = "/b/" + Html.esc(ctx.workspaceId()) + "/" + Html.esc(a.id());
        StringBuilder b = new StringBuilder("<h1>Your appointment</h1><p id=\"appointment-when\">").append(Html.esc(booking.when(ctx, a.startsAtMs())))
                .append(" · ").append(Html.esc(booking.serviceName(ctx, a))).append(" with ").append(Html.esc(staff.name(a.staffMemberId())))
                .append("</p><p>Status: <strong id=\"appointment-status\">").append(Html.esc(a.status())).append("</strong></p>");
        if (a.booked()) {
            b.append("<form method=\"post\" action=\"").append(base).append("/cancel\" id=\"cancel-form\">").append(Html.csrf(req)).append(hidden("t", token))
                    .append("<button type=\"submit\" class=\"danger\">Cancel this appointment</button></form>");
            String date = req.queryParam("date").isEmpty() ? Instant.ofEpochMilli(a.startsAtMs()).atZone(zone).toLocalDate().toString() : req.queryParam("date");
            b.append("<h2>Reschedule</h2><form method=\"get\" action=\"").append(base).append("\">").append(hidden("t", token))
                    .append(Html.input("Date", "date", "date", date, null, null)).append("<button type=\"submit\">Show free times</button></form>");
            List<Instant> slots = booking.freeSlots(ctx, a.serviceId(), a.staffMemberId(), BookingRoutes.date(date));
            if (!slots.isEmpty()) {
                b.append("<form method=\"post\" action=\"").append(base).append("/reschedule\" id=\"reschedule-form\">").append(Html.csrf(req)).append(hidden("t", token));
                for (Instant i : slots) {
                    b.append("<label class=\"slot\"><input type=\"radio\" name=\"start\" value=\"").append(i).append("\" required> ")
                            .append(HM.format(i.atZone(zone))).append("</label>");
                }
                b.append("<button type=\"submit\">Move my appointment</button></form>");
            }
        }
        return Reply.html(Html.page("Your appointment", null, b.toString()));
    }

    private Reply cancelForm(Req req) {
        limiter.check(req.clientIp);
        TenantContext ctx = manageContext(req, req.field("t"));
        Appointment a = booking.cancel(req, ctx, req.param("apt"), Actor.system("customer-link"));
        return Reply.html(Html.page("Cancelled", null, "<h1 id=\"appointment-cancelled\">Cancelled</h1><p>Your appointment on "
                + Html.esc(booking.when(ctx, a.startsAtMs())) + " is cancelled.</p>"));
    }

    private Reply rescheduleForm(Req req) {
        limiter.check(req.clientIp);
        String token = req.field("t");
        TenantContext ctx = manageContext(req, token);
        Instant start = Dates.instant(req.field("start")).orElseThrow(() -> AppError.invalid("start", "pick a time"));
        booking.reschedule(req, ctx, req.param("apt"), start, Actor.system("customer-link"));
        return Reply.redirect("/b/" + ctx.workspaceId() + "/" + req.param("apt") + "?t=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + Html.esc(name) + "\" value=\"" + Html.esc(value) + "\">";
    }
}
