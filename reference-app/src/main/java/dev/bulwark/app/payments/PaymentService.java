package dev.bulwark.app.payments;

import dev.bulwark.app.invoicing.Invoice;
import dev.bulwark.app.invoicing.InvoiceService;
import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Audit;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Services;
import dev.bulwark.app.product.ProductConfig;
import dev.bulwark.app.product.PublicAccess;
import dev.bulwark.audit.Actor;
import dev.bulwark.audit.ChainId;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.Outcome;
import dev.bulwark.tenancy.TenantContext;
import dev.bulwark.webhook.VerifiedEvent;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Optional;

/**
 * Stripe Connect onboarding, PaymentIntents for shared invoices (direct charges on the connected account, optional
 * platform fee), and the handling of verified webhook events. Events are never trusted for state: the PaymentIntent,
 * charge or account is re-read from Stripe (on the connected account) before an invoice changes, so out-of-order
 * deliveries converge on Stripe's current state, and applying a payment is idempotent per PaymentIntent.
 */
public final class PaymentService {
    public enum EventOutcome { APPLIED, IGNORED }

    private final Services s;
    private final ProductConfig config;
    private final StripeGateway stripe;
    private final StripeAccountRepository accounts;
    private final InvoiceService invoices;
    private final PublicAccess access;

    public PaymentService(Services s, ProductConfig config, StripeGateway stripe, StripeAccountRepository accounts, InvoiceService invoices, PublicAccess access) {
        this.s = s;
        this.config = config;
        this.stripe = stripe;
        this.accounts = accounts;
        this.invoices = invoices;
        this.access = access;
    }

    public boolean online() {
        return stripe != null;
    }

    public ProductConfig config() {
        return config;
    }

    public Optional<StripeAccountRepository.ConnectedAccount> account(TenantContext ctx) {
        return accounts.get(ctx);
    }

    private StripeGateway stripe() {
        if (stripe == null) throw new AppError(409, "online_payment_off", "Online payment is off: no Stripe keys are configured. Record manual payments instead.");
        return stripe;
    }

    /** Starts (or resumes) onboarding: creates the connected account once, then a fresh single-use account link. */
    public String onboardingUrl(Req req, TenantContext ctx) {
        StripeGateway g = stripe();
        StripeAccountRepository.ConnectedAccount a = accounts.get(ctx).orElse(null);
        if (a == null) {
            String id = g.createAccount(ctx.workspaceId());
            a = new StripeAccountRepository.ConnectedAccount(id, false, false, ctx.memberId());
            accounts.put(ctx, a);
            s.audit().workspace(ctx.workspaceId(), Audit.actor(req.principal()), "stripe.account.create", "stripe_account", id, Outcome.SUCCESS, req, null, false);
        }
        String base = "/w/" + ctx.workspaceId() + "/payments/connect/";
        return g.onboardingLink(a.accountId(), s.url(base + "refresh"), s.url(base + "return"));
    }

    /** Back from onboarding: re-read the account from Stripe (never trust the redirect itself). */
    public StripeAccountRepository.ConnectedAccount refreshAccount(Req req, TenantContext ctx) {
        StripeAccountRepository.ConnectedAccount a = accounts.get(ctx).orElseThrow(AppError::notFound);
        StripeGateway.AccountState st = stripe().account(a.accountId());
        StripeAccountRepository.ConnectedAccount n = new StripeAccountRepository.ConnectedAccount(a.accountId(), st.chargesEnabled(), st.detailsSubmitted(), a.connectedBy());
        accounts.put(ctx, n);
        return n;
    }

    /** A PaymentIntent for what is due on a sent invoice; only its id and client secret leave the server. */
    public StripeGateway.Intent intentFor(TenantContext ctx, Invoice i) {
        StripeGateway g = stripe();
        StripeAccountRepository.ConnectedAccount a = accounts.get(ctx).filter(StripeAccountRepository.ConnectedAccount::chargesEnabled)
                .orElseThrow(() -> new AppError(409, "payments_not_ready", "This business cannot take card payments yet."));
        if (!Invoice.SENT.equals(i.status()) || i.due() <= 0) throw new AppError(409, "nothing_due", "Nothing is due on this invoice.");
        if (i.paymentIntentId() != null) {
            StripeGateway.Intent existing = g.paymentIntent(a.accountId(), i.paymentIntentId());
            if (existing.amount() == i.due() && !"canceled".equals(existing.status()) && !"succeeded".equals(existing.status())) return existing;
        }
        long fee = i.due() * config.platformFeeBps / 10_000;
        StripeGateway.Intent pi = g.createPaymentIntent(a.accountId(), i.due(), i.currency(), fee,
                Map.of("workspace_id", ctx.workspaceId(), "invoice_id", i.id()), "inv-" + i.id() + "-" + i.due() + "-" + i.paid());
        invoices.setPaymentState(ctx, i.id(), pi.id(), pi.status());
        s.audit().workspace(ctx.workspaceId(), Actor.system("shared-invoice"), "payment_intent.create", "invoice", i.id(), Outcome.SUCCESS, null,
                Details.of("payment_intent", pi.id(), "amount", i.due()), false);
        return pi;
    }

    /** Handles one verified event. Throws on failure (the caller lets Stripe retry). */
    public EventOutcome handle(VerifiedEvent ev, boolean connectEndpoint) {
        JsonObject root = new JsonObject(ev.json());
        JsonObject obj = root.getJsonObject("data", new JsonObject()).getJsonObject("object", new JsonObject());
        String accountId = ev.account().orElse(null);
        if (accountId == null && "account.updated".equals(ev.type())) accountId = obj.getString("id");
        if (accountId == null) {
            platformAudit(ev, "no connected account", Outcome.SUCCESS);
            return EventOutcome.IGNORED;
        }
        Optional<String> ws = accounts.workspaceOf(accountId);
        if (ws.isEmpty()) {
            platformAudit(ev, "unknown connected account", Outcome.FAILURE);
            return EventOutcome.IGNORED;
        }
        TenantContext ctx = access.enter(ws.get());
        String acct = accountId;
        EventOutcome o = switch (ev.type()) {
            case "payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.processing", "payment_intent.canceled" ->
                    intentChanged(ctx, acct, obj.getString("id"), ev);
            case "charge.refunded" -> refunded(ctx, acct, obj.getString("id"), ev);
            case "charge.dispute.created" -> disputed(ctx, acct, obj.getString("payment_intent"), obj.getString("charge"), ev);
            case "account.updated" -> {
                StripeAccountRepository.ConnectedAccount a = accounts.get(ctx).orElse(null);
                if (a == null || !a.accountId().equals(acct)) yield EventOutcome.IGNORED;
                StripeGateway.AccountState st = stripe().account(acct);
                accounts.put(ctx, new StripeAccountRepository.ConnectedAccount(acct, st.chargesEnabled(), st.detailsSubmitted(), a.connectedBy()));
                yield EventOutcome.APPLIED;
            }
            default -> EventOutcome.IGNORED;
        };
        s.audit().workspace(ctx.workspaceId(), Actor.system("stripe-webhook"), "stripe." + ev.type(), "stripe_event", ev.id(), Outcome.SUCCESS, null,
                Details.of("outcome", o.name(), "endpoint", connectEndpoint ? "connect" : "platform"), "charge.dispute.created".equals(ev.type()));
        return o;
    }

    private EventOutcome intentChanged(TenantContext ctx, String account, String piId, VerifiedEvent ev) {
        if (piId == null) return EventOutcome.IGNORED;
        // Re-read: the event may be older than the PaymentIntent's current state (out-of-order delivery).
        StripeGateway.Intent pi = stripe().paymentIntent(account, piId);
        String invoiceId = pi.metadata().get("invoice_id");
        if (invoiceId == null || !ctx.workspaceId().equals(pi.metadata().get("workspace_id"))) return EventOutcome.IGNORED;
        switch (pi.status()) {
            case "succeeded" -> {
                invoices.applyPayment(ctx, invoiceId, "stripe", pi.id(), pi.amountReceived(), pi.currency(), "stripe");
                invoices.setPaymentState(ctx, invoiceId, pi.id(), "succeeded");
            }
            case "processing" -> invoices.setPaymentState(ctx, invoiceId, pi.id(), "processing");
            case "canceled" -> invoices.setPaymentState(ctx, invoiceId, pi.id(), "canceled");
            case "requires_payment_method" -> invoices.setPaymentState(ctx, invoiceId, pi.id(), "failed");
            default -> invoices.setPaymentState(ctx, invoiceId, pi.id(), pi.status());
        }
        return EventOutcome.APPLIED;
    }

    private EventOutcome refunded(TenantContext ctx, String account, String chargeId, VerifiedEvent ev) {
        if (chargeId == null) return EventOutcome.IGNORED;
        StripeGateway.ChargeState ch = stripe().charge(account, chargeId);
        if (ch.paymentIntentId() == null) return EventOutcome.IGNORED;
        StripeGateway.Intent pi = stripe().paymentIntent(account, ch.paymentIntentId());
        String invoiceId = pi.metadata().get("invoice_id");
        if (invoiceId == null || !ctx.workspaceId().equals(pi.metadata().get("workspace_id"))) return EventOutcome.IGNORED;
        invoices.setRefunded(ctx, invoiceId, ch.amountRefunded());
        return EventOutcome.APPLIED;
    }

    private EventOutcome disputed(TenantContext ctx, String account, String piId, String chargeId, VerifiedEvent ev) {
        String id = piId;
        if (id == null && chargeId != null) id = stripe().charge(account, chargeId).paymentIntentId();
        if (id == null) return EventOutcome.IGNORED;
        StripeGateway.Intent pi = stripe().paymentIntent(account, id);
        String invoiceId = pi.metadata().get("invoice_id");
        if (invoiceId == null || !ctx.workspaceId().equals(pi.metadata().get("workspace_id"))) return EventOutcome.IGNORED;
        invoices.setDisputed(ctx, invoiceId);
        return EventOutcome.APPLIED;
    }

    private void platformAudit(VerifiedEvent ev, String why, Outcome o) {
        s.audit().record(ChainId.PLATFORM, Actor.system("stripe-webhook"), "stripe." + ev.type(), "stripe_event", ev.id(), o, null, null,
                Details.of("ignored", why), false);
    }
}
