package dev.bulwark.app.payments;

import dev.bulwark.app.platform.Html;
import dev.bulwark.app.platform.Reply;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Web;
import dev.bulwark.app.product.Pages;
import dev.bulwark.tenancy.Permission;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * Payments settings: Stripe Connect onboarding. Account links are single-use; Stripe sends the owner to the refresh
 * URL when one expired, and that route mints a new link only for a signed-in member with PAYMENTS_MANAGE in this
 * workspace (checked again on every call), then redirects to Stripe.
 */
public final class PaymentRoutes {
    private final PaymentService payments;
    private final Web web;

    public PaymentRoutes(PaymentService payments, Web web) {
        this.payments = payments;
        this.web = web;
    }

    public void register(Router r) {
        r.get("/w/:ws/payments").handler(web.workspace(Permission.PAYMENTS_VIEW, this::page));
        r.post("/w/:ws/payments/connect").handler(web.workspace(Permission.PAYMENTS_MANAGE, req -> external(payments.onboardingUrl(req, req.tenant()))));
        r.get("/w/:ws/payments/connect/refresh").handler(web.workspace(Permission.PAYMENTS_MANAGE, req -> external(payments.onboardingUrl(req, req.tenant()))));
        r.get("/w/:ws/payments/connect/return").handler(web.workspace(Permission.PAYMENTS_MANAGE, req -> {
            payments.refreshAccount(req, req.tenant());
            return Reply.redirect("/w/" + req.tenant().workspaceId() + "/payments");
        }));
        r.get("/api/v1/workspaces/:ws/payments/status").handler(web.workspace(Permission.PAYMENTS_VIEW, req -> {
            JsonObject o = new JsonObject().put("onlinePayments", payments.online());
            payments.account(req.tenant()).ifPresent(a -> o.put("accountId", a.accountId()).put("chargesEnabled", a.chargesEnabled())
                    .put("detailsSubmitted", a.detailsSubmitted()));
            return Reply.json(o);
        }));
        r.post("/api/v1/workspaces/:ws/payments/connect").handler(web.workspace(Permission.PAYMENTS_MANAGE, req ->
                Reply.json(new JsonObject().put("url", payments.onboardingUrl(req, req.tenant())))));
        r.post("/api/v1/workspaces/:ws/payments/refresh").handler(web.workspace(Permission.PAYMENTS_MANAGE, req -> {
            var a = payments.refreshAccount(req, req.tenant());
            return Reply.json(new JsonObject().put("accountId", a.accountId()).put("chargesEnabled", a.chargesEnabled()));
        }));
    }

    /** A 303 to Stripe's hosted onboarding (the only redirect to another origin; the URL comes from Stripe's API, not the request). */
    private static Reply external(String url) {
        return Reply.text(303, "text/plain; charset=utf-8", "").header("Location", url);
    }

    private Reply page(Req req) {
        String ws = req.tenant().workspaceId();
        StringBuilder b = new StringBuilder("<h1>Payments</h1>");
        if (!payments.online()) {
            b.append("<p id=\"online-payment-off\">Online payment is off: this server has no Stripe keys configured. ")
                    .append("Record payments you receive by hand on each invoice (\"Record manual payment\").</p>");
        } else {
            var a = payments.account(req.tenant());
            if (a.isEmpty()) {
                b.append("<p>Connect your Stripe account to take card payments. Payments go straight to your account; ")
                        .append("this platform never holds your funds.</p>");
            } else {
                b.append("<p id=\"stripe-account\">Stripe account <code>").append(Html.esc(a.get().accountId())).append("</code>: ")
                        .append(a.get().chargesEnabled() ? "ready to take payments" : "onboarding not finished").append(".</p>");
            }
            if (req.tenant().can(Permission.PAYMENTS_MANAGE) && (a.isEmpty() || !a.get().chargesEnabled())) {
                b.append(Html.postButton(req, "/w/" + ws + "/payments/connect", a.isEmpty() ? "Connect with Stripe" : "Continue onboarding", "primary"));
            }
        }
        return Reply.html(Pages.page("Payments", req, ws, b.toString()));
    }
}
