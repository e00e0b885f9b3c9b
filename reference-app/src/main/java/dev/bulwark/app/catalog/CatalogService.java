package dev.bulwark.app.catalog;

import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Audit;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.product.Forms;
import dev.bulwark.app.product.RandomIds;
import dev.bulwark.audit.Outcome;
import dev.bulwark.tenancy.TenantContext;

import java.time.DateTimeException;
import java.time.ZoneId;

/** Services, staff hours and time off, and the workspace's time zone. */
public final class CatalogService {
    private final CatalogRepository repo;
    private final StaffDirectory staff;
    private final Audit audit;

    public CatalogService(CatalogRepository repo, StaffDirectory staff, Audit audit) {
        this.repo = repo;
        this.staff = staff;
        this.audit = audit;
    }

    public CatalogRepository repository() {
        return repo;
    }

    public StaffDirectory staff() {
        return staff;
    }

    public Profile putProfile(Req req, TenantContext ctx) {
        Forms f = new Forms(req);
        Profile old = repo.profile(ctx);
        ZoneId zone = old.zone();
        if (!req.field("timeZone").isEmpty()) {
            try {
                zone = ZoneId.of(req.field("timeZone"));
            } catch (DateTimeException e) {
                f.error("timeZone", "must be an IANA time zone such as Europe/Berlin");
            }
        }
        String currency = f.currency("currency", old.currency());
        boolean booking = req.field("bookingEnabled").isEmpty() ? old.bookingEnabled()
                : req.field("bookingEnabled").equals("true") || req.field("bookingEnabled").equals("on");
        f.check();
        Profile p = new Profile(zone, currency, booking);
        repo.putProfile(ctx, p);
        audit.workspace(ctx.workspaceId(), Audit.actor(req.principal()), "profile.update", "workspace", ctx.workspaceId(), Outcome.SUCCESS, req, null, false);
        return p;
    }

    public ServiceOffering createService(Req req, TenantContext ctx) {
        ServiceOffering s = read(req, ctx, RandomIds.next("svc"));
        repo.insertService(ctx, s);
        audit.workspace(ctx.workspaceId(), Audit.actor(req.principal()), "service.create", "service", s.id(), Outcome.SUCCESS, req, null, false);
        return s;
    }

    public ServiceOffering updateService(Req req, TenantContext ctx, String id) {
        if (!RandomIds.looksLike("svc", id) || repo.service(ctx, id).isEmpty()) throw AppError.notFound();
        ServiceOffering s = read(req, ctx, id);
        repo.updateService(ctx, s);
        audit.workspace(ctx.workspaceId(), Audit.actor(req.principal()), "service.update", "service", id, Outcome.SUCCESS, req, null, false);
        return s;
    }

    private ServiceOffering read(Req req, TenantContext ctx, String id) {
        Forms f = new Forms(req);
        String name = f.text("name", 1, 200);
        long duration = f.number("durationMinutes", 5, 24 * 60);
        long buffer = f.numberOr("bufferMinutes", 0, 0, 240);
        if (duration % 5 != 0) f.error("durationMinutes", "must be a multiple of 5 minutes");
        if (buffer % 5 != 0) f.error("bufferMinutes", "must be a multiple of 5 minutes");
        String currency = f.currency("currency", repo.profile(ctx).currency());
        Long price = null;
        if (!req.field("priceMinor").isEmpty()) {
            price = f.number("priceMinor", 0, 100_000_000_00L);
        } else {
            price = dev.bulwark.app.product.Money.parse(req.field("price"), currency);
            if (price == null || price < 0) f.error("price", "must be an amount such as 45.00 (at most the currency's decimals)");
        }
        boolean active = !req.field("active").equals("false");
        f.check();
        return new ServiceOffering(id, name, (int) duration, (int) buffer, price, currency, active);
    }

    public WeeklyHours putHours(Req req, TenantContext ctx, String memberId) {
        staff.require(ctx, memberId);
        StringBuilder problem = new StringBuilder();
        WeeklyHours h = WeeklyHours.parse(req.field("hours"), problem).orElseThrow(() -> AppError.invalid("hours", problem.toString()));
        repo.putHours(ctx, memberId, h);
        audit.workspace(ctx.workspaceId(), Audit.actor(req.principal()), "staff.hours.update", "member", memberId, Outcome.SUCCESS, req, null, false);
        return h;
    }

    public CatalogRepository.TimeOff addTimeOff(Req req, TenantContext ctx, String memberId) {
        staff.require(ctx, memberId);
        ZoneId zone = repo.profile(ctx).zone();
        Forms f = new Forms(req);
        long start = f.localTime("start", zone);
        long end = f.localTime("end", zone);
        String reason = f.optional("reason", 200);
        if (f.ok() && end <= start) f.error("end", "must be after the start");
        f.check();
        CatalogRepository.TimeOff t = new CatalogRepository.TimeOff(RandomIds.next("off"), memberId, start, end, reason);
        repo.insertTimeOff(ctx, t);
        audit.workspace(ctx.workspaceId(), Audit.actor(req.principal()), "staff.time_off.create", "member", memberId, Outcome.SUCCESS, req, null, false);
        return t;
    }
}
