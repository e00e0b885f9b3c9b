package dev.bulwark.app.payments;

import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Services;
import dev.bulwark.app.platform.Web;
import dev.bulwark.audit.Actor;
import dev.bulwark.audit.ChainId;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.Outcome;
import dev.bulwark.webhook.VerifiedEvent;
import dev.bulwark.webhook.WebhookRejected;
import dev.bulwark.webhook.WebhookVerifier;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /webhooks/stripe (platform endpoint) and /webhooks/stripe/connect (Connect endpoint, its own secret). The raw
 * body bytes are verified with webhook-verify before anything else looks at them; a replayed delivery inside the
 * window is DUPLICATE and acknowledged with 200 without acting; livemode must match the configuration. These routes
 * take no cookies and no CSRF token: the signature is the authentication.
 */
public final class StripeWebhookRoutes {
    private final Web web;
    private static final Logger log = LoggerFactory.getLogger(StripeWebhookRoutes.class);
    private final Services s;
    private final PaymentService payments;
    private final WebhookVerifier platform;
    private final WebhookVerifier connect;
    private final WorkerExecutor workers;

    public StripeWebhookRoutes(Services s, Web web, PaymentService payments, WebhookVerifier platform, WebhookVerifier connect, WorkerExecutor workers) {
        this.web = web;
        this.s = s;
        this.payments = payments;
        this.platform = platform;
        this.connect = connect;
        this.workers = workers;
    }

    public void register(Router r) {
        r.post("/webhooks/stripe").handler(rc -> handle(rc, platform, false));
        r.post("/webhooks/stripe/connect").handler(rc -> handle(rc, connect, true));
    }

    private void handle(RoutingContext rc, WebhookVerifier verifier, boolean connectEndpoint) {
        if (verifier == null) {
            reply(rc, 404, "online_payment_off", "Online payment is not configured on this server.");
            return;
        }
        byte[] body = rc.body() == null || rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
        // the same resolver as every other route: X-Forwarded-For only from configured proxies
        String ip = rc.request().remoteAddress() == null ? null : web.clientAddress(rc).getHostAddress();
        workers.<int[]>executeBlocking(() -> {
            VerifiedEvent ev;
            try {
                ev = verifier.verify(rc.request()::getHeader, body);
            } catch (WebhookRejected e) {
                if (e.reason() != WebhookRejected.Reason.DUPLICATE) {
                    s.audit().record(ChainId.PLATFORM, Actor.system("stripe-webhook"), "stripe.webhook.rejected", "endpoint",
                            connectEndpoint ? "connect" : "platform", Outcome.DENIED, ip, null, Details.of("reason", e.reason().name()), true);
                }
                return new int[] {e.suggestedHttpStatus(), e.reason().ordinal()};
            }
            if (ev.livemode().orElse(false) != payments.config().stripeLivemode) {
                s.audit().record(ChainId.PLATFORM, Actor.system("stripe-webhook"), "stripe.webhook.livemode_mismatch", "stripe_event", ev.id(),
                        Outcome.DENIED, ip, null, null, true);
                return new int[] {400, -2};
            }
            try {
                payments.handle(ev, connectEndpoint);
                return new int[] {200, -1};
            } catch (RuntimeException e) {
                // Let Stripe's retry through the replay guard, and answer 5xx so it retries.
                verifier.forget(ev);
                log.warn("webhook {} ({}) could not be processed: {}", ev.id(), ev.type(), e instanceof AppError a ? a.code() : e.getClass().getSimpleName());
                return new int[] {500, -3};
            }
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                reply(rc, 500, "internal_error", "The event could not be processed.");
                return;
            }
            int status = ar.result()[0];
            int code = ar.result()[1];
            if (status == 200) reply(rc, 200, code >= 0 ? "duplicate" : "received", code >= 0 ? "Already received." : "OK");
            else if (code == -2) reply(rc, 400, "livemode_mismatch", "The event's livemode does not match this server's Stripe mode.");
            else if (code == -3) reply(rc, 500, "processing_failed", "The event could not be processed; it will be retried.");
            else reply(rc, status, WebhookRejected.Reason.values()[code].name().toLowerCase(), "Webhook signature verification failed.");
        });
    }

    private static void reply(RoutingContext rc, int status, String code, String message) {
        if (rc.response().ended()) return;
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("status", code).put("message", message).encode());
    }
}
