package dev.bulwark.app.invoicing;

import dev.bulwark.app.customers.Customer;
import dev.bulwark.app.customers.CustomerRepository;
import dev.bulwark.app.files.FileRoutes;
import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Html;
import dev.bulwark.app.platform.Reply;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Web;
import dev.bulwark.app.product.Money;
import dev.bulwark.app.product.Pages;
import dev.bulwark.tenancy.Permission;
import dev.bulwark.tenancy.TenantContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.stream.Collectors;

/** Invoice pages (list, detail, printable) and the JSON API: create, send, share, revoke links, re-issue, void, manual payment. */
public final class InvoiceRoutes {
    private final InvoiceService invoices;
    private final CustomerRepository customers;
    private final FileRoutes files;
    private final boolean online;
    private final Web web;

    public InvoiceRoutes(InvoiceService invoices, CustomerRepository customers, FileRoutes files, boolean online, Web web) {
        this.invoices = invoices;
        this.customers = customers;
        this.files = files;
        this.online = online;
        this.web = web;
    }

    public void register(Router r) {
        String api = "/api/v1/workspaces/:ws/invoices";
        r.get(api).handler(web.workspace(Permission.INVOICES_VIEW, req -> {
            LocalDate today = invoices.today(req.tenant());
            return Reply.json(new JsonArray(invoices.repository().list(req.tenant()).stream().map(i -> i.json(today)).toList()));
        }));
        r.post(api).handler(web.workspace(Permission.INVOICES_MANAGE, req -> Reply.json(201, invoices.create(req, req.tenant()).json(invoices.today(req.tenant())))));
        r.get(api + "/:id").handler(web.workspace(Permission.INVOICES_VIEW, req -> Reply.json(invoices.get(req.tenant(), req.param("id")).json(invoices.today(req.tenant())))));
        r.post(api + "/:id/send").handler(web.workspace(Permission.INVOICES_MANAGE, req -> Reply.json(invoices.send(req, req.tenant(), req.param("id")).json(invoices.today(req.tenant())))));
        r.post(api + "/:id/void").handler(web.workspace(Permission.INVOICES_MANAGE, req -> Reply.json(invoices.voidInvoice(req, req.tenant(), req.param("id")).json(invoices.today(req.tenant())))));
        r.post(api + "/:id/share").handler(web.workspace(Permission.INVOICES_MANAGE, req ->
                Reply.json(new JsonObject().put("url", invoices.share(req, req.tenant(), req.param("id"), lifetime(req))))));
        r.post(api + "/:id/revoke-links").handler(web.workspace(Permission.INVOICES_MANAGE, req -> {
            invoices.revokeLinks(req, req.tenant(), req.param("id"));
            return Reply.noContent();
        }));
        r.post(api + "/:id/reissue").handler(web.workspace(Permission.INVOICES_MANAGE, req ->
                Reply.json(new JsonObject().put("url", invoices.reissue(req, req.tenant(), req.param("id"))))));
        r.post(api + "/:id/payments").handler(web.workspace(Permission.PAYMENTS_MANAGE, req ->
                Reply.json(201, invoices.recordManualPayment(req, req.tenant(), req.param("id")).json(invoices.today(req.tenant())))));

        r.get("/w/:ws/invoices").handler(web.workspace(Permission.INVOICES_VIEW, this::listPage));
        r.post("/w/:ws/invoices").handler(web.workspace(Permission.INVOICES_MANAGE, req ->
                Reply.redirect("/w/" + req.tenant().workspaceId() + "/invoices/" + invoices.create(req, req.tenant()).id())));
        r.get("/w/:ws/invoices/:id").handler(web.workspace(Permission.INVOICES_VIEW, req -> detail(req, null)));
        r.get("/w/:ws/invoices/:id/print").handler(web.workspace(Permission.INVOICES_VIEW, this::print));
        r.post("/w/:ws/invoices/:id/send").handler(web.workspace(Permission.INVOICES_MANAGE, req -> {
            invoices.send(req, req.tenant(), req.param("id"));
            return back(req);
        }));
        r.post("/w/:ws/invoices/:id/void").handler(web.workspace(Permission.INVOICES_MANAGE, req -> {
            invoices.voidInvoice(req, req.tenant(), req.param("id"));
            return back(req);
        }));
        r.post("/w/:ws/invoices/:id/share").handler(web.workspace(Permission.INVOICES_MANAGE, req ->
                detail(req, invoices.share(req, req.tenant(), req.param("id"), lifetime(req)))));
        r.post("/w/:ws/invoices/:id/reissue").handler(web.workspace(Permission.INVOICES_MANAGE, req ->
                detail(req, invoices.reissue(req, req.tenant(), req.param("id")))));
        r.post("/w/:ws/invoices/:id/revoke-links").handler(web.workspace(Permission.INVOICES_MANAGE, req -> {
            invoices.revokeLinks(req, req.tenant(), req.param("id"));
            return back(req);
        }));
        r.post("/w/:ws/invoices/:id/payments").handler(web.workspace(Permission.PAYMENTS_MANAGE, req -> {
            invoices.recordManualPayment(req, req.tenant(), req.param("id"));
            return back(req);
        }));
    }

    private static Reply back(Req req) {
        return Reply.redirect("/w/" + req.tenant().workspaceId() + "/invoices/" + req.param("id"));
    }

    private static Duration lifetime(Req req) {
        if (req.field("days").isEmpty()) return InvoiceService.DEFAULT_LINK_LIFETIME;
        try {
            int d = Integer.parseInt(req.field("days"));
            if (d >= 1 && d <= 7) return Duration.ofDays(d);
        } catch (NumberFormatException e) {
            // fall through
        }
        throw AppError.invalid("days", "a shared link lives 1 to 7 days");
    }

    private Map<String, String> names(TenantContext ctx) {
        if (!ctx.can(Permission.CUSTOMERS_VIEW)) return Map.of();
        return customers.list(ctx, 5000).stream().collect(Collectors.toMap(Customer::id, Customer::name));
    }

    private Reply listPage(Req req) {
        TenantContext ctx = req.tenant();
        String ws = ctx.workspaceId();
        LocalDate today = invoices.today(ctx);
        Map<String, String> names = names(ctx);
        StringBuilder b = new StringBuilder("<h1>Invoices</h1><table id=\"invoices\"><thead><tr><th>Number</th><th>Customer</th><th>Total</th><th>Due</th><th>Status</th></tr></thead><tbody>");
        for (Invoice i : invoices.repository().list(ctx)) {
            b.append("<tr><td><a href=\"/w/").append(Html.esc(ws)).append("/invoices/").append(Html.esc(i.id())).append("\">").append(Html.esc(i.displayNumber()))
                    .append("</a></td><td>").append(Html.esc(names.getOrDefault(i.customerId(), ""))).append("</td><td>")
                    .append(Html.esc(Money.format(i.total(), i.currency()))).append("</td><td>").append(i.dueDate()).append("</td><td>")
                    .append(i.overdue(today) ? "overdue" : Html.esc(i.status())).append("</td></tr>");
        }
        b.append("</tbody></table>");
        if (ctx.can(Permission.INVOICES_MANAGE) && ctx.can(Permission.CUSTOMERS_VIEW)) {
            b.append("<h2>New invoice</h2><form method=\"post\" id=\"invoice-form\" action=\"/w/").append(Html.esc(ws)).append("/invoices\">").append(Html.csrf(req))
                    .append("<label for=\"customerId\">Customer</label><select id=\"customerId\" name=\"customerId\">");
            names.forEach((id, n) -> b.append("<option value=\"").append(Html.esc(id)).append("\">").append(Html.esc(n)).append("</option>"));
            b.append("</select><label for=\"lines\">Lines: description | quantity | unit price | tax %</label>")
                    .append("<textarea id=\"lines\" name=\"lines\" rows=\"4\">Service | 1 | 50.00 | 19</textarea>")
                    .append(Html.input("Currency", "currency", "text", "", null, "maxlength=\"3\" placeholder=\"EUR\""))
                    .append(Html.input("Discount (basis points, 100 = 1 %)", "discountBp", "number", "0", null, "min=\"0\" max=\"10000\""))
                    .append(Html.input("Due date", "dueDate", "date", today.plusDays(14).toString(), null, null))
                    .append("<button type=\"submit\">Create draft</button></form>");
        }
        return Reply.html(Pages.page("Invoices", req, ws, b.toString()));
    }

    static String table(Invoice i) {
        StringBuilder b = new StringBuilder("<table class=\"invoice-lines\"><thead><tr><th>Description</th><th>Qty</th><th>Unit</th><th>Tax</th><th>Amount</th></tr></thead><tbody>");
        for (InvoiceMath.Line l : i.lines()) {
            b.append("<tr><td>").append(Html.esc(l.description())).append("</td><td>").append(l.quantity()).append("</td><td>")
                    .append(Html.esc(Money.format(l.unitMinor(), i.currency()))).append("</td><td>")
                    .append(java.math.BigDecimal.valueOf(l.taxBp(), 2).stripTrailingZeros().toPlainString()).append(" %</td><td>")
                    .append(Html.esc(Money.format(l.quantity() * l.unitMinor(), i.currency()))).append("</td></tr>");
        }
        b.append("</tbody></table><dl class=\"totals\"><dt>Subtotal</dt><dd>").append(Html.esc(Money.format(i.subtotal(), i.currency())))
                .append("</dd><dt>Discount</dt><dd>").append(Html.esc(Money.format(i.discount(), i.currency()))).append("</dd><dt>Tax</dt><dd>")
                .append(Html.esc(Money.format(i.tax(), i.currency()))).append("</dd><dt>Total</dt><dd id=\"invoice-total\">")
                .append(Html.esc(Money.format(i.total(), i.currency()))).append("</dd><dt>Paid</dt><dd id=\"invoice-paid\">")
                .append(Html.esc(Money.format(i.paid(), i.currency()))).append("</dd><dt>Due</dt><dd id=\"invoice-due\">")
                .append(Html.esc(Money.format(i.due(), i.currency()))).append("</dd></dl>");
        return b.toString();
    }

    private Reply detail(Req req, String sharedUrl) {
        TenantContext ctx = req.tenant();
        String ws = ctx.workspaceId();
        Invoice i = invoices.get(ctx, req.param("id"));
        LocalDate today = invoices.today(ctx);
        String base = "/w/" + ws + "/invoices/" + i.id();
        StringBuilder b = new StringBuilder("<h1>Invoice <span id=\"invoice-number\">").append(Html.esc(i.displayNumber())).append("</span></h1><p>Status: <strong id=\"invoice-status\">")
                .append(i.overdue(today) ? "overdue" : Html.esc(i.status())).append("</strong>").append(i.paymentState() == null ? "" : " · payment " + Html.esc(i.paymentState()))
                .append(i.disputed() ? " · <strong>disputed</strong>" : "").append(" · due ").append(i.dueDate())
                .append(" · <a href=\"").append(Html.esc(base)).append("/print\">Printable</a></p>").append(table(i));
        if (sharedUrl != null) {
            b.append("<p>Shared link (valid up to 7 days, revocable): <a id=\"shared-link\" href=\"").append(Html.esc(sharedUrl)).append("\">")
                    .append(Html.esc(sharedUrl)).append("</a></p>");
        }
        if (ctx.can(Permission.INVOICES_MANAGE)) {
            if (Invoice.DRAFT.equals(i.status())) b.append(Html.postButton(req, base + "/send", "Send invoice", "primary"));
            if (!Invoice.DRAFT.equals(i.status()) && !Invoice.VOID.equals(i.status())) {
                b.append(Html.postButton(req, base + "/share", "Create shared link", "primary"))
                        .append(Html.postButton(req, base + "/revoke-links", "Revoke shared links", "secondary"));
            }
            if (Invoice.SENT.equals(i.status())) b.append(Html.postButton(req, base + "/reissue", "Re-issue", "secondary"));
            if (!Invoice.PAID.equals(i.status()) && !Invoice.VOID.equals(i.status())) b.append(Html.postButton(req, base + "/void", "Void", "danger"));
        }
        if (ctx.can(Permission.PAYMENTS_MANAGE) && Invoice.SENT.equals(i.status())) {
            b.append("<h2>Record manual payment</h2>").append(online ? "" : "<p id=\"online-payment-off\">Online payment is off on this server.</p>")
                    .append("<form method=\"post\" id=\"manual-payment-form\" action=\"").append(Html.esc(base)).append("/payments\">").append(Html.csrf(req))
                    .append(Html.input("Amount", "amount", "text", java.math.BigDecimal.valueOf(i.due(), Money.digits(i.currency())).toPlainString(), null, null))
                    .append(Html.input("Reference (cash, transfer...)", "reference", "text", "", null, "maxlength=\"200\""))
                    .append("<button type=\"submit\">Record manual payment</button></form>");
        }
        b.append(files.section(req, "invoice", i.id()));
        return Reply.html(Pages.page("Invoice " + i.displayNumber(), req, ws, b.toString()));
    }

    private Reply print(Req req) {
        TenantContext ctx = req.tenant();
        Invoice i = invoices.get(ctx, req.param("id"));
        String customer = names(ctx).getOrDefault(i.customerId(), "");
        String body = "<article class=\"printable-invoice\"><h1>Invoice " + Html.esc(i.displayNumber()) + "</h1><p>Billed to: " + Html.esc(customer)
                + "</p><p>Due: " + i.dueDate() + "</p>" + table(i) + "<p>" + Html.esc(i.notes()) + "</p></article>";
        return Reply.html(dev.bulwark.app.platform.Html.page("Invoice " + i.displayNumber(), null, body));
    }
}
