package dev.bulwark.app.booking;

import dev.bulwark.app.catalog.CatalogRepository;
import dev.bulwark.app.catalog.Profile;
import dev.bulwark.app.catalog.ServiceOffering;
import dev.bulwark.app.catalog.StaffDirectory;
import dev.bulwark.app.catalog.WeeklyHours;
import dev.bulwark.app.connections.ConnectionService;
import dev.bulwark.app.customers.Customer;
import dev.bulwark.app.customers.CustomerRepository;
import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Audit;
import dev.bulwark.app.platform.Mail;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Services;
import dev.bulwark.app.privacy.PrivacyConsent;
import dev.bulwark.app.privacy.PrivacyNotice;
import dev.bulwark.app.product.RandomIds;
import dev.bulwark.audit.Actor;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.Outcome;
import dev.bulwark.links.LinkPurpose;
import dev.bulwark.links.LinkRevocationStore;
import dev.bulwark.links.LinkSigner;
import dev.bulwark.tenancy.ScopedTransaction;
import dev.bulwark.tenancy.TenancyException;
import dev.bulwark.tenancy.TenantContext;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Booking, rescheduling and cancelling appointments. Every rule (service active, inside the staff member's weekly
 * hours in the workspace zone, not during time off, in the future, on a 5-minute mark) is checked in the same
 * transaction that locks the appointment's blocks; overlap is refused by the database itself (see
 * {@link AppointmentRepository}), and a conflict answers 409.
 */
public final class BookingService {
    /** The customer's link to see, cancel or reschedule one appointment (not single-use; revoked on cancellation). */
    public static final LinkPurpose MANAGE = LinkPurpose.of("booking-manage", Duration.ofDays(30), false);
    /** Resource id of a workspace's public booking page link (rotate = revoke all + issue). */
    public static final String BOOKING_PAGE = "booking-page";
    static final long STEP_MS = 15 * 60_000L;

    private final Services s;
    private final AppointmentRepository repo;
    private final CatalogRepository catalog;
    private final CustomerRepository customers;
    private final StaffDirectory staff;
    private final LinkSigner links;
    private final LinkRevocationStore revocations;
    private final ConnectionService connections;

    public BookingService(Services s, AppointmentRepository repo, CatalogRepository catalog, CustomerRepository customers, StaffDirectory staff,
                          LinkSigner links, LinkRevocationStore revocations, ConnectionService connections) {
        this.s = s;
        this.repo = repo;
        this.catalog = catalog;
        this.customers = customers;
        this.staff = staff;
        this.links = links;
        this.revocations = revocations;
        this.connections = connections;
    }

    public AppointmentRepository repository() {
        return repo;
    }

    // ---------------------------------------------------------------- availability

    /** Free start times for the service with the staff member on a local date of the workspace. */
    public List<Instant> freeSlots(TenantContext ctx, String serviceId, String staffId, LocalDate date) {
        return repo.jdbc().inTransaction(ctx, tx -> {
            ServiceOffering svc = catalog.service(tx, serviceId).filter(ServiceOffering::active).orElseThrow(AppError::notFound);
            ZoneId zone = catalog.profile(tx).zone();
            WeeklyHours hours = catalog.hours(tx, staffId);
            long dayStart = date.atStartOfDay(zone).toInstant().toEpochMilli();
            long dayEnd = date.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
            Set<Long> busy = new HashSet<>(repo.occupied(tx, staffId, dayStart, dayEnd + Duration.ofDays(1).toMillis()));
            var off = catalog.timeOff(tx, staffId, dayStart, dayEnd + Duration.ofDays(1).toMillis());
            long len = (svc.durationMin() + (long) svc.bufferMin()) * 60_000L;
            long now = System.currentTimeMillis();
            List<Instant> out = new ArrayList<>();
            for (WeeklyHours.Interval i : hours.on(date.getDayOfWeek())) {
                long from = date.atStartOfDay(zone).plusMinutes(i.startMin()).toInstant().toEpochMilli();
                long to = date.atStartOfDay(zone).plusMinutes(i.endMin()).toInstant().toEpochMilli();
                for (long slot = from; slot + len <= to; slot += STEP_MS) {
                    final long t = slot;
                    if (t <= now) continue;
                    long end = t + len;
                    boolean free = off.stream().noneMatch(o -> o.startsAtMs() < end && t < o.endsAtMs());
                    for (long b = t; free && b < end; b += AppointmentRepository.BLOCK_MS) free = !busy.contains(b);
                    if (free) out.add(Instant.ofEpochMilli(t));
                }
            }
            return out;
        });
    }

    // ---------------------------------------------------------------- booking

    public Appointment book(Req req, TenantContext ctx, String serviceId, String staffId, String customerId, Instant start) {
        staff.require(ctx, staffId);
        Appointment a = withConflicts(() -> repo.jdbc().inTransaction(ctx, tx -> {
            if (!RandomIds.looksLike("cus", customerId) || customers.byId(tx, customerId).isEmpty()) {
                throw AppError.invalid("customerId", "no such customer");
            }
            Appointment n = checked(tx, RandomIds.next("apt"), serviceId, staffId, customerId, start, "staff");
            repo.insert(tx, n);
            return n;
        }));
        audit(req, ctx, "appointment.book", a, Outcome.SUCCESS, req.principal() == null ? Actor.system("booking") : Audit.actor(req.principal()));
        connections.pushAppointment(ctx, a, serviceName(ctx, a));
        return a;
    }

    /**
     * A customer books through the public page: customer found by e-mail (blind index) or created, in one transaction,
     * with the privacy notice version they accepted stored on the appointment (no booking without it).
     */
    public Appointment bookPublic(Req req, TenantContext ctx, String serviceId, String staffId, Instant start, String name, String email,
                                  PrivacyConsent consent) {
        java.util.Objects.requireNonNull(consent, "a public booking needs the customer's privacy consent");
        if (staff.all(ctx).stream().noneMatch(m -> m.memberId().equals(staffId))) throw AppError.notFound();
        Appointment a = withConflicts(() -> repo.jdbc().inTransaction(ctx, tx -> {
            List<Customer> found = customers.byEmail(tx, email);
            String customerId;
            if (found.isEmpty()) {
                long now = System.currentTimeMillis();
                customerId = RandomIds.next("cus");
                customers.insert(tx, new Customer(customerId, name, email, "", "", "", staffId, now, now));
            } else {
                customerId = found.get(0).id();
            }
            Appointment n = checked(tx, RandomIds.next("apt"), serviceId, staffId, customerId, start, "public").withPrivacyConsent(consent);
            repo.insert(tx, n);
            return n;
        }));
        audit(req, ctx, "appointment.book", a, Outcome.SUCCESS, Actor.system("public-booking"));
        s.audit().workspace(ctx.workspaceId(), Actor.system("public-booking"), PrivacyNotice.AUDIT_ACTION, "appointment", a.id(), Outcome.SUCCESS, req,
                Details.of("notice_version", consent.noticeVersion(), "customer", a.customerId()), false);
        String when = when(ctx, a.startsAtMs());
        String svc = serviceName(ctx, a);
        s.mailer().send(new Mail(email, "Your appointment on " + when,
                "Hello " + name + ",\n\nyour appointment (" + svc + ") is booked for " + when + ".\n\n"
                        + "To see, reschedule or cancel it, open this link (it does nothing until you confirm on the page):\n"
                        + manageUrl(ctx.workspaceId(), a.id()) + "\n", ctx.workspaceId()));
        connections.pushAppointment(ctx, a, svc);
        return a;
    }

    public String manageUrl(String ws, String appointmentId) {
        return s.url("/b/" + ws + "/" + appointmentId + "?t=" + links.issue(MANAGE, ws, appointmentId));
    }

    public Appointment reschedule(Req req, TenantContext ctx, String id, Instant start, Actor actor) {
        Appointment moved = withConflicts(() -> repo.jdbc().inTransaction(ctx, tx -> {
            Appointment a = get(tx, id);
            if (!a.booked()) throw new AppError(409, "appointment_cancelled", "This appointment was cancelled.");
            Appointment n = checked(tx, a.id(), a.serviceId(), a.staffMemberId(), a.customerId(), start, a.source())
                    .withPrivacyConsent(a.privacyConsent());   // moved, not booked again: the consent stays the one given
            repo.move(tx, a, n.startsAtMs(), n.endsAtMs(), n.blockedUntilMs());
            return n;
        }));
        audit(req, ctx, "appointment.reschedule", moved, Outcome.SUCCESS, actor);
        return moved;
    }

    public Appointment cancel(Req req, TenantContext ctx, String id, Actor actor) {
        Appointment a = repo.jdbc().inTransaction(ctx, tx -> {
            Appointment x = get(tx, id);
            if (x.booked()) repo.cancel(tx, x);
            return x;
        });
        // The customer's manage link dies with the appointment.
        revocations.revokeAll(ctx.workspaceId(), a.id());
        audit(req, ctx, "appointment.cancel", a, Outcome.SUCCESS, actor);
        return repo.byId(ctx, id).orElseThrow();
    }

    public Appointment get(TenantContext ctx, String id) {
        return repo.jdbc().inTransaction(ctx, tx -> get(tx, id));
    }

    private Appointment get(ScopedTransaction tx, String id) throws SQLException {
        if (!RandomIds.looksLike("apt", id)) throw AppError.notFound();
        return repo.byId(tx, id).orElseThrow(AppError::notFound);
    }

    private Appointment checked(ScopedTransaction tx, String id, String serviceId, String staffId, String customerId, Instant start,
                                String source) throws SQLException {
        ServiceOffering svc = catalog.service(tx, serviceId).filter(ServiceOffering::active)
                .orElseThrow(() -> AppError.invalid("serviceId", "no such active service"));
        long t = start.toEpochMilli();
        if (t % AppointmentRepository.BLOCK_MS != 0) throw AppError.invalid("start", "must be on a 5-minute mark");
        if (t <= System.currentTimeMillis()) throw AppError.invalid("start", "must be in the future");
        long end = t + svc.durationMin() * 60_000L;
        long blocked = end + svc.bufferMin() * 60_000L;
        Profile p = catalog.profile(tx);
        ZonedDateTime local = start.atZone(p.zone());
        LocalDate day = local.toLocalDate();
        int startMin = local.getHour() * 60 + local.getMinute();
        int endMin = startMin + svc.durationMin() + svc.bufferMin();
        boolean inHours = catalog.hours(tx, staffId).on(day.getDayOfWeek()).stream()
                .anyMatch(i -> i.startMin() <= startMin && endMin <= i.endMin());
        if (!inHours) throw new AppError(409, "outside_working_hours", "The staff member does not work at that time.");
        if (!catalog.timeOff(tx, staffId, t, blocked).isEmpty()) throw new AppError(409, "staff_time_off", "The staff member is off at that time.");
        return new Appointment(id, staffId, serviceId, customerId, t, end, blocked, Appointment.BOOKED, source, System.currentTimeMillis(), null);
    }

    /** A unique violation on the slot locks (or a serialization failure / lock timeout) means another booking won. */
    private static <T> T withConflicts(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (TenancyException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof SQLException sql && sql.getSQLState() != null
                        && Set.of("23505", "40001", "40P01", "HYT00", "90131").contains(sql.getSQLState())) {
                    throw new AppError(409, "slot_taken", "That time was just booked by someone else; please pick another.");
                }
            }
            throw e;
        }
    }

    public String when(TenantContext ctx, long ms) {
        Profile p = catalog.profile(ctx);
        return DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm").format(Instant.ofEpochMilli(ms).atZone(p.zone())) + " (" + p.zone().getId() + ")";
    }

    public String serviceName(TenantContext ctx, Appointment a) {
        return catalog.service(ctx, a.serviceId()).map(ServiceOffering::name).orElse("appointment");
    }

    private void audit(Req req, TenantContext ctx, String action, Appointment a, Outcome o, Actor actor) {
        s.audit().workspace(ctx.workspaceId(), actor, action, "appointment", a.id(), o, req,
                Details.of("staff", a.staffMemberId(), "start", Instant.ofEpochMilli(a.startsAtMs()).toString()), false);
    }
}
