package dev.bulwark.app.invoicing;

import dev.bulwark.app.catalog.CatalogRepository;
import dev.bulwark.app.customers.Customer;
import dev.bulwark.app.customers.CustomerRepository;
import dev.bulwark.app.files.FileService;
import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Audit;
import dev.bulwark.app.platform.Mail;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Services;
import dev.bulwark.app.product.Forms;
import dev.bulwark.app.product.Money;
import dev.bulwark.app.product.RandomIds;
import dev.bulwark.audit.Actor;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.Outcome;
import dev.bulwark.links.LinkPurpose;
import dev.bulwark.links.LinkRevocationStore;
import dev.bulwark.links.LinkSigner;
import dev.bulwark.tenancy.ScopedTransaction;
import dev.bulwark.tenancy.TenantContext;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Invoices: draft → sent → paid / void (overdue when sent and past due). Numbers come from the workspace's sequence
 * when first sent. Shared links (signed-links, purpose invoice-view, 7 days by default) are revoked when the invoice
 * is voided or re-issued, and on demand.
 */
public final class InvoiceService {
    public static final Duration DEFAULT_LINK_LIFETIME = Duration.ofDays(7);
    private final Services s;
    private final InvoiceRepository repo;
    private final CustomerRepository customers;
    private final CatalogRepository catalog;
    private final LinkSigner links;
    private final LinkRevocationStore revocations;

    public InvoiceService(Services s, InvoiceRepository repo, CustomerRepository customers, CatalogRepository catalog, LinkSigner links,
                          LinkRevocationStore revocations) {
        this.s = s;
        this.repo = repo;
        this.customers = customers;
        this.catalog = catalog;
        this.links = links;
        this.revocations = revocations;
    }

    public InvoiceRepository repository() {
        return repo;
    }

    public LocalDate today(TenantContext ctx) {
        return LocalDate.now(catalog.profile(ctx).zone());
    }

    public Invoice create(Req req, TenantContext ctx) {
        Forms f = new Forms(req);
        String customerId = req.field("customerId");
        String currency = f.currency("currency", catalog.profile(ctx).currency());
        long discountBp = f.numberOr("discountBp", 0, 0, 10_000);
        LocalDate due = req.field("dueDate").isEmpty() ? today(ctx).plusDays(14) : f.date("dueDate");
        String notes = f.optional("notes", 2000);
        List<InvoiceMath.Line> lines = lines(req.field("lines"), currency, f);
        if (lines.isEmpty() && f.ok()) f.error("lines", "add at least one line");
        f.check();
        if (!RandomIds.looksLike("cus", customerId) || customers.byId(ctx, customerId).isEmpty()) throw AppError.invalid("customerId", "no such customer");
        InvoiceMath.Totals t;
        try {
            t = InvoiceMath.compute(lines, (int) discountBp);
        } catch (ArithmeticException e) {
            throw AppError.invalid("lines", "amounts are too large");
        }
        Invoice i = new Invoice(RandomIds.next("inv"), null, customerId, Invoice.DRAFT, currency, (int) discountBp, t.subtotal(), t.discount(),
                t.tax(), t.total(), 0, 0, due, null, null, null, false, notes, lines);
        repo.jdbc().inTransaction(ctx, tx -> {
            repo.insert(tx, i);
            return null;
        });
        audit(req, ctx, "invoice.create", i.id(), Details.of("total", i.total(), "currency", currency));
        return get(ctx, i.id());
    }

    /**
     * Lines: one per line, either a JSON object {description, quantity, unitMinor, taxBp} (API) or
     * "description | quantity | unit price | tax %" (form), e.g. "Haircut | 1 | 45.00 | 19".
     */
    static List<InvoiceMath.Line> lines(String text, String currency, Forms f) {
        List<InvoiceMath.Line> out = new ArrayList<>();
        int n = 0;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty()) continue;
            n++;
            if (n > 200) {
                f.error("lines", "at most 200 lines");
                break;
            }
            try {
                if (line.startsWith("{")) {
                    JsonObject o = new JsonObject(line);
                    String d = o.getString("description", "").strip();
                    long q = o.getLong("quantity", 1L);
                    long u = o.getLong("unitMinor");
                    int tax = o.getInteger("taxBp", 0);
                    if (d.isEmpty() || d.length() > 500 || q < 1 || q > 1_000_000 || u < 0 || u > 1_000_000_000_00L || tax < 0 || tax > 10_000) {
                        f.error("lines", "line " + n + ": description 1-500 characters, quantity 1-1000000, unitMinor >= 0, taxBp 0-10000");
                        continue;
                    }
                    out.add(new InvoiceMath.Line(d, q, u, tax));
                } else {
                    String[] p = line.split("\\|");
                    if (p.length < 3) {
                        f.error("lines", "line " + n + ": write 'description | quantity | unit price | tax %'");
                        continue;
                    }
                    long q = Long.parseLong(p[1].strip());
                    Long u = Money.parse(p[2].strip(), currency);
                    java.math.BigDecimal taxPct = p.length > 3 && !p[3].isBlank() ? new java.math.BigDecimal(p[3].strip()) : java.math.BigDecimal.ZERO;
                    int tax = taxPct.movePointRight(2).intValueExact();
                    if (u == null || u < 0 || q < 1 || q > 1_000_000 || tax < 0 || tax > 10_000 || p[0].isBlank() || p[0].strip().length() > 500) {
                        f.error("lines", "line " + n + ": check quantity, price and tax");
                        continue;
                    }
                    out.add(new InvoiceMath.Line(p[0].strip(), q, u, tax));
                }
            } catch (DecodeException | NumberFormatException | ArithmeticException | ClassCastException | NullPointerException e) {
                f.error("lines", "line " + n + " is not valid");
            }
        }
        return out;
    }

    public Invoice get(TenantContext ctx, String id) {
        if (!RandomIds.looksLike("inv", id)) throw AppError.notFound();
        return repo.byId(ctx, id).orElseThrow(AppError::notFound);
    }

    /** Draft → sent: takes the next number, and e-mails the customer a shared link when they have an address. */
    public Invoice send(Req req, TenantContext ctx, String id) {
        Invoice sent = repo.jdbc().inTransaction(ctx, tx -> {
            Invoice i = get(tx, id);
            if (!Invoice.DRAFT.equals(i.status())) throw new AppError(409, "not_a_draft", "Only a draft can be sent.");
            repo.update(tx, id, Map.of("status", Invoice.SENT, "number", repo.nextNumber(tx), "issued_at_ms", System.currentTimeMillis()));
            return get(tx, id);
        });
        audit(req, ctx, "invoice.send", id, Details.of("number", sent.displayNumber()));
        mailLink(ctx, sent);
        return sent;
    }

    public Invoice voidInvoice(Req req, TenantContext ctx, String id) {
        Invoice v = repo.jdbc().inTransaction(ctx, tx -> {
            Invoice i = get(tx, id);
            if (Invoice.PAID.equals(i.status())) throw new AppError(409, "already_paid", "A paid invoice cannot be voided; refund it instead.");
            repo.update(tx, id, Map.of("status", Invoice.VOID));
            return get(tx, id);
        });
        revocations.revokeAll(ctx.workspaceId(), id);
        audit(req, ctx, "invoice.void", id, null);
        return v;
    }

    /** Re-issues a sent invoice: every earlier shared link stops working and a new one is mailed. */
    public String reissue(Req req, TenantContext ctx, String id) {
        Invoice i = get(ctx, id);
        if (!Invoice.SENT.equals(i.status())) throw new AppError(409, "not_sent", "Only a sent, unpaid invoice can be re-issued.");
        revocations.revokeAll(ctx.workspaceId(), id);
        audit(req, ctx, "invoice.reissue", id, null);
        mailLink(ctx, i);
        return shareUrl(ctx, i, DEFAULT_LINK_LIFETIME);
    }

    public String share(Req req, TenantContext ctx, String id, Duration lifetime) {
        Invoice i = get(ctx, id);
        if (Invoice.DRAFT.equals(i.status()) || Invoice.VOID.equals(i.status())) {
            throw new AppError(409, "not_shareable", "Send the invoice first; void invoices cannot be shared.");
        }
        String url = shareUrl(ctx, i, lifetime);
        audit(req, ctx, "invoice.share", id, Details.of("lifetime_days", lifetime.toDays()));
        return url;
    }

    public void revokeLinks(Req req, TenantContext ctx, String id) {
        get(ctx, id);
        revocations.revokeAll(ctx.workspaceId(), id);
        audit(req, ctx, "invoice.links_revoked", id, null);
    }

    private String shareUrl(TenantContext ctx, Invoice i, Duration lifetime) {
        return s.url("/i/" + ctx.workspaceId() + "/" + i.id() + "?t=" + links.issue(LinkPurpose.INVOICE_VIEW, ctx.workspaceId(), i.id(), lifetime));
    }

    private void mailLink(TenantContext ctx, Invoice i) {
        customers.byId(ctx, i.customerId()).map(Customer::email).filter(e -> !e.isEmpty()).ifPresent(email ->
                s.mailer().send(new Mail(email, "Invoice " + i.displayNumber(), "Hello,\n\nyour invoice " + i.displayNumber() + " over "
                        + Money.format(i.total(), i.currency()) + " is ready:\n" + shareUrl(ctx, i, DEFAULT_LINK_LIFETIME)
                        + "\n\nThe link is valid for 7 days.\n", ctx.workspaceId())));
    }

    public Invoice recordManualPayment(Req req, TenantContext ctx, String id) {
        Invoice i = get(ctx, id);
        Forms f = new Forms(req);
        Long amount = req.field("amountMinor").isEmpty() ? Money.parse(req.field("amount"), i.currency()) : Long.valueOf(f.number("amountMinor", 1, Long.MAX_VALUE / 4));
        if (amount == null || amount <= 0) f.error("amount", "must be a positive amount");
        String note = f.optional("reference", 200);
        f.check();
        Invoice r = applyPayment(ctx, id, "manual", RandomIds.next("pay"), amount, i.currency(), req.principal() == null ? "system" : req.principal().userId());
        audit(req, ctx, "payment.manual", id, Details.of("amount", amount, "note", note.isEmpty() ? "-" : "given"));
        return r;
    }

    /**
     * Records a payment and moves the invoice to paid once covered. Idempotent per (method, reference): the same
     * PaymentIntent applied twice counts once. Returns the invoice as it is afterwards.
     *
     * <p>The invoice row is locked first, so concurrent payments of one invoice (two webhook events for one PaymentIntent
     * on two nodes, a manual payment next to a card payment) run one after the other: the second sees the first's payment
     * row and paid amount, instead of both passing the "not recorded yet" check (one then failing on the unique index)
     * or both adding to the same stale paid amount (a lost update).
     */
    public Invoice applyPayment(TenantContext ctx, String invoiceId, String method, String reference, long amount, String currency, String by) {
        return repo.jdbc().inTransaction(ctx, tx -> {
            if (!RandomIds.looksLike("inv", invoiceId) || repo.lock(tx, invoiceId) == 0) throw AppError.notFound();
            Invoice i = get(tx, invoiceId);
            if (Invoice.VOID.equals(i.status()) || Invoice.DRAFT.equals(i.status())) {
                throw new AppError(409, "not_payable", "Only a sent invoice can be paid.");
            }
            if (!i.currency().equals(currency)) throw new AppError(409, "currency_mismatch", "The payment's currency differs from the invoice's.");
            if (!repo.insertPayment(tx, new InvoiceRepository.Payment(RandomIds.next("pay"), invoiceId, method, amount, currency, reference, by,
                    System.currentTimeMillis()))) {
                return i;
            }
            long paid = i.paid() + amount;
            repo.update(tx, invoiceId, Map.of("paid_minor", paid, "status", paid >= i.total() ? Invoice.PAID : i.status()));
            return get(tx, invoiceId);
        });
    }

    public void setPaymentState(TenantContext ctx, String invoiceId, String paymentIntentId, String state) {
        repo.jdbc().inTransaction(ctx, tx -> {
            get(tx, invoiceId);
            Map<String, Object> v = new java.util.LinkedHashMap<>();
            v.put("payment_state", state);
            if (paymentIntentId != null) v.put("payment_intent_id", paymentIntentId);
            return repo.update(tx, invoiceId, v);
        });
    }

    public void setRefunded(TenantContext ctx, String invoiceId, long refundedMinor) {
        repo.jdbc().inTransaction(ctx, tx -> repo.update(tx, invoiceId, Map.of("refunded_minor", refundedMinor, "payment_state",
                refundedMinor > 0 ? "refunded" : "succeeded")));
    }

    public void setDisputed(TenantContext ctx, String invoiceId) {
        repo.jdbc().inTransaction(ctx, tx -> repo.update(tx, invoiceId, Map.of("disputed", true)));
    }

    private Invoice get(ScopedTransaction tx, String id) throws SQLException {
        if (!RandomIds.looksLike("inv", id)) throw AppError.notFound();
        return repo.byId(tx, id).orElseThrow(AppError::notFound);
    }

    private void audit(Req req, TenantContext ctx, String action, String id, Details d) {
        s.audit().workspace(ctx.workspaceId(), req == null || req.principal() == null ? Actor.system("invoicing") : Audit.actor(req.principal()),
                action, "invoice", id, Outcome.SUCCESS, req, d, false);
    }
}
