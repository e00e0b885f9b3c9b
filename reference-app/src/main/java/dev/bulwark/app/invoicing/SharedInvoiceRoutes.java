package dev.bulwark.app.invoicing;

import dev.bulwark.app.payments.PaymentService;
import dev.bulwark.app.payments.StripeGateway;
import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Html;
import dev.bulwark.app.platform.Reply;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Web;
import dev.bulwark.app.product.PublicAccess;
import dev.bulwark.links.LinkPurpose;
import dev.bulwark.links.LinkRejected;
import dev.bulwark.links.LinkVerifier;
import dev.bulwark.tenancy.TenantContext;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The customer's view of a shared invoice, {@code /i/<ws>/<invoice>?t=<signed link>}: shows the invoice and, when the
 * business takes card payments, Stripe's Payment Element. Card fields live in Stripe's iframe; this server only
 * creates the PaymentIntent (POST, CSRF token) and hands its client secret to the page. The page's CSP admits Stripe.js.
 */
public final class SharedInvoiceRoutes {
    private final InvoiceService invoices;
    private final PaymentService payments;
    private final LinkVerifier verifier;
    private final PublicAccess access;
    private final Web web;
    private final String stripeOrigin;

    public SharedInvoiceRoutes(InvoiceService invoices, PaymentService payments, LinkVerifier verifier, PublicAccess access, Web web) {
        this.invoices = invoices;
        this.payments = payments;
        this.verifier = verifier;
        this.access = access;
        this.web = web;
        URI js = URI.create(payments.config().stripeJsUrl);
        this.stripeOrigin = js.getScheme() + "://" + js.getRawAuthority();
    }

    public void register(Router r) {
        r.get("/i/:ws/:inv").handler(web.open(this::page));
        r.post("/i/:ws/:inv/payment-intent").handler(web.open(this::intent));
    }

    private TenantContext enter(Req req, String token) {
        try {
            var link = verifier.verify(token, LinkPurpose.INVOICE_VIEW, req.param("ws"), req.param("inv"));
            return access.enter(link.workspaceId());
        } catch (LinkRejected e) {
            if (e.reason() == LinkRejected.Reason.EXPIRED) throw new AppError(410, "link_gone", "This invoice link has expired; ask the business for a new one.");
            if (e.reason() == LinkRejected.Reason.REVOKED) throw new AppError(410, "link_gone", "This invoice link was withdrawn.");
            throw AppError.notFound();
        } catch (IllegalArgumentException e) {
            throw AppError.notFound();
        }
    }

    private Reply page(Req req) {
        String token = req.queryParam("t");
        TenantContext ctx = enter(req, token);
        Invoice i = invoices.get(ctx, req.param("inv"));
        if (Invoice.VOID.equals(i.status()) || Invoice.DRAFT.equals(i.status())) throw AppError.notFound();
        StringBuilder b = new StringBuilder("<h1>Invoice <span id=\"invoice-number\">").append(Html.esc(i.displayNumber())).append("</span></h1>")
                .append("<p>Status: <strong id=\"invoice-status\">").append(i.overdue(invoices.today(ctx)) ? "overdue" : Html.esc(i.status()))
                .append("</strong> · due ").append(i.dueDate()).append("</p>").append(InvoiceRoutes.table(i));
        boolean payable = Invoice.SENT.equals(i.status()) && i.due() > 0;
        boolean cards = payments.online() && payments.account(ctx).map(a -> a.chargesEnabled()).orElse(false);
        if (!req.queryParam("paid").isEmpty() && payable) {
            b.append("<p id=\"payment-pending\">Thank you: your payment is being confirmed. This page shows the invoice as paid once it is.</p>");
        } else if (payable && cards) {
            String self = "/i/" + ctx.workspaceId() + "/" + i.id();
            b.append("<section id=\"payment\" data-pk=\"").append(Html.esc(payments.config().stripePublishableKey)).append("\" data-account=\"")
                    .append(Html.esc(payments.account(ctx).orElseThrow().accountId())).append("\" data-intent-url=\"").append(Html.esc(self + "/payment-intent"))
                    .append("\" data-token=\"").append(Html.esc(token)).append("\" data-csrf=\"").append(Html.esc(req.csrfToken))
                    .append("\" data-return=\"").append(Html.esc(web.config().origin() + self + "?paid=1&t=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                    .append("\"><h2>Pay online</h2><div id=\"payment-element\"></div><button type=\"button\" id=\"pay-button\" disabled>Pay ")
                    .append(Html.esc(dev.bulwark.app.product.Money.format(i.due(), i.currency()))).append("</button><p id=\"payment-message\" role=\"status\"></p></section>")
                    .append("<script src=\"").append(Html.esc(payments.config().stripeJsUrl)).append("\"></script><script src=\"/static/product/pay.js\"></script>");
        } else if (payable) {
            b.append("<p id=\"online-payment-off\">Online payment is not available for this invoice; please pay the business directly.</p>");
        }
        String csp = "default-src 'none'; script-src 'self' " + stripeOrigin + "; style-src 'self'; img-src 'self' data: " + stripeOrigin
                + "; frame-src " + stripeOrigin + " https://hooks.stripe.com; connect-src 'self' " + stripeOrigin + " https://api.stripe.com"
                + "; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        return Reply.html(Html.page("Invoice " + i.displayNumber(), null, b.toString())).header("Content-Security-Policy", csp);
    }

    private Reply intent(Req req) {
        TenantContext ctx = enter(req, req.field("t"));
        Invoice i = invoices.get(ctx, req.param("inv"));
        StripeGateway.Intent pi = payments.intentFor(ctx, i);
        return Reply.json(new JsonObject().put("paymentIntentId", pi.id()).put("clientSecret", pi.clientSecret()));
    }
}
