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

import java.util.Locale;

/**
 * POST /webhooks/stripe (platform endpoint) and /webhooks/stripe/connect (Connect endpoint, its own secret). The raw
 * body bytes are verified with webhook-verify before anything else looks at them, and the event is processed through
 * {@link WebhookVerifier#handle}: marked done when processing succeeded, released when it failed (500, so Stripe's
 * retry is processed). A delivery of a done event is DUPLICATE, acknowledged with 200 without acting; a delivery while
 * another node still processes the event is IN_PROGRESS and answered 409, so Stripe retries later and the event is not
 * lost if that node dies (its 2-minute lease runs out; Stripe API calls time out well within it). Livemode must match
 * the configuration. These routes take no cookies and no CSRF token: the signature is the authentication.
 */
public final class StripeWebhookRoutes {
    private final Web web;
    private static final Logger log = LoggerFactory.getLogger(StripeWebhookRoutes.class);
    private final Services s;
    private final PaymentService payments;
    private final WebhookVerifier platform;
    private final WebhookVerifier connect;
    private final WorkerExecutor workers;

    /** What a delivery is answered. */
    private record Answer(int status, String code, String message) {}

    private static final Answer RECEIVED = new Answer(200, "received", "OK");
    private static final Answer LIVEMODE_MISMATCH = new Answer(400, "livemode_mismatch",
            "The event's livemode does not match this server's Stripe mode.");

    /** Processing failed; {@link WebhookVerifier#handle} has released the event for Stripe's retry. */
    private static final class ProcessingFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ProcessingFailed(RuntimeException cause) {
            super(null, cause, false, false);
        }
    }

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
            reply(rc, new Answer(404, "online_payment_off", "Online payment is not configured on this server."));
            return;
        }
        byte[] body = rc.body() == null || rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
        // the same resolver as every other route: X-Forwarded-For only from configured proxies
        String ip = rc.request().remoteAddress() == null ? null : web.clientAddress(rc).getHostAddress();
        workers.<Answer>executeBlocking(() -> {
            try {
                return verifier.handle(rc.request()::getHeader, body, ev -> process(ev, connectEndpoint, ip));
            } catch (WebhookRejected e) {
                return rejected(e, connectEndpoint, ip);
            } catch (ProcessingFailed e) {
                return new Answer(500, "processing_failed", "The event could not be processed; it will be retried.");
            }
        }, false).onComplete(ar -> {
            if (ar.failed()) reply(rc, new Answer(500, "internal_error", "The event could not be processed."));
            else reply(rc, ar.result());
        });
    }

    /** Runs inside {@link WebhookVerifier#handle}: returning marks the event done, throwing releases it. */
    private Answer process(VerifiedEvent ev, boolean connectEndpoint, String ip) {
        if (ev.livemode().orElse(false) != payments.config().stripeLivemode) {
            s.audit().record(ChainId.PLATFORM, Actor.system("stripe-webhook"), "stripe.webhook.livemode_mismatch", "stripe_event", ev.id(),
                    Outcome.DENIED, ip, null, null, true);
            // Done, not released: the refusal is final, so Stripe's retry of it is acknowledged as a duplicate.
            return LIVEMODE_MISMATCH;
        }
        try {
            payments.handle(ev, connectEndpoint);
            return RECEIVED;
        } catch (RuntimeException e) {
            log.warn("webhook {} ({}) could not be processed: {}", ev.id(), ev.type(), e instanceof AppError a ? a.code() : e.getClass().getSimpleName());
            throw new ProcessingFailed(e);
        }
    }

    private Answer rejected(WebhookRejected e, boolean connectEndpoint, String ip) {
        switch (e.reason()) {
            case DUPLICATE:
                return new Answer(200, "duplicate", "Already received.");
            case IN_PROGRESS:
                // Not 2xx: should the node processing it die, Stripe's retry is what gets the event processed.
                return new Answer(409, "in_progress", "The event is being processed; retry later.");
            default:
                s.audit().record(ChainId.PLATFORM, Actor.system("stripe-webhook"), "stripe.webhook.rejected", "endpoint",
                        connectEndpoint ? "connect" : "platform", Outcome.DENIED, ip, null, Details.of("reason", e.reason().name()), true);
                return new Answer(e.suggestedHttpStatus(), e.reason().name().toLowerCase(Locale.ROOT), "Webhook signature verification failed.");
        }
    }

    private static void reply(RoutingContext rc, Answer a) {
        if (rc.response().ended()) return;
        rc.response().setStatusCode(a.status()).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("status", a.code()).put("message", a.message()).encode());
    }
}
