package dev.bulwark.app;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the parts of Stripe's API the app calls (accounts, account links, payment intents, charges),
 * speaking Stripe's wire format (form-encoded requests, JSON objects), so stripe-java runs unchanged against it.
 * It records every request (path, Stripe-Account header, parameters) and lets a test move objects to new states.
 */
final class FakeStripe implements AutoCloseable {
    record Call(String method, String path, String stripeAccount, String authorization, String idempotencyKey, Map<String, String> params) {}

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final Map<String, JsonObject> accounts = new ConcurrentHashMap<>();
    final Map<String, JsonObject> intents = new ConcurrentHashMap<>();
    final Map<String, String> intentAccount = new ConcurrentHashMap<>();
    final Map<String, JsonObject> charges = new ConcurrentHashMap<>();
    private final AtomicInteger seq = new AtomicInteger();
    private final HttpServer server;

    FakeStripe(Vertx vertx) throws Exception {
        Router r = Router.router(vertx);
        r.route().handler(BodyHandler.create());
        r.route().handler(rc -> {
            calls.add(new Call(rc.request().method().name(), rc.request().path(), rc.request().getHeader("Stripe-Account"),
                    rc.request().getHeader("Authorization"), rc.request().getHeader("Idempotency-Key"), params(rc)));
            rc.next();
        });
        r.post("/v1/accounts").handler(rc -> {
            String id = "acct_fake" + seq.incrementAndGet();
            JsonObject a = new JsonObject().put("id", id).put("object", "account").put("charges_enabled", false).put("details_submitted", false)
                    .put("type", "express");
            accounts.put(id, a);
            json(rc, 200, a);
        });
        r.get("/v1/accounts/:id").handler(rc -> {
            JsonObject a = accounts.get(rc.pathParam("id"));
            if (a == null) notFound(rc); else json(rc, 200, a);
        });
        r.post("/v1/account_links").handler(rc -> json(rc, 200, new JsonObject().put("object", "account_link")
                .put("url", "https://connect.stripe.example/setup/" + seq.incrementAndGet()).put("created", now()).put("expires_at", now() + 300)));
        r.post("/v1/payment_intents").handler(rc -> {
            String acct = rc.request().getHeader("Stripe-Account");
            if (acct == null || !accounts.containsKey(acct)) {
                json(rc, 400, new JsonObject().put("error", new JsonObject().put("type", "invalid_request_error").put("message", "no such account")));
                return;
            }
            Map<String, String> p = params(rc);
            String id = "pi_fake" + seq.incrementAndGet();
            JsonObject meta = new JsonObject();
            p.forEach((k, v) -> {
                if (k.startsWith("metadata[")) meta.put(k.substring(9, k.length() - 1), v);
            });
            JsonObject pi = new JsonObject().put("id", id).put("object", "payment_intent").put("amount", Long.parseLong(p.get("amount")))
                    .put("amount_received", 0).put("currency", p.get("currency")).put("status", "requires_payment_method")
                    .put("client_secret", id + "_secret_fake").put("metadata", meta).put("livemode", false);
            if (p.containsKey("application_fee_amount")) pi.put("application_fee_amount", Long.parseLong(p.get("application_fee_amount")));
            intents.put(id, pi);
            intentAccount.put(id, acct);
            json(rc, 200, pi);
        });
        r.get("/v1/payment_intents/:id").handler(rc -> {
            JsonObject pi = intents.get(rc.pathParam("id"));
            // A direct charge exists only on its connected account: without the right Stripe-Account it is not found.
            if (pi == null || !intentAccount.get(rc.pathParam("id")).equals(rc.request().getHeader("Stripe-Account"))) notFound(rc);
            else json(rc, 200, pi);
        });
        r.get("/v1/charges/:id").handler(rc -> {
            JsonObject c = charges.get(rc.pathParam("id"));
            if (c == null) notFound(rc); else json(rc, 200, c);
        });
        server = vertx.createHttpServer().requestHandler(r).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String base() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** The customer paid (what Stripe does after the Payment Element confirms). */
    String succeed(String intentId) {
        JsonObject pi = intents.get(intentId);
        pi.put("status", "succeeded").put("amount_received", pi.getLong("amount"));
        String charge = "ch_fake" + seq.incrementAndGet();
        charges.put(charge, new JsonObject().put("id", charge).put("object", "charge").put("payment_intent", intentId).put("amount_refunded", 0));
        return charge;
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static Map<String, String> params(RoutingContext rc) {
        Map<String, String> m = new ConcurrentHashMap<>();
        String body = rc.body() == null ? "" : rc.body().asString();
        String q = rc.request().query();
        for (String s : List.of(body == null ? "" : body, q == null ? "" : q)) {
            for (String kv : s.split("&")) {
                int i = kv.indexOf('=');
                if (i > 0) m.put(URLDecoder.decode(kv.substring(0, i), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    private static void json(RoutingContext rc, int status, JsonObject o) {
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").putHeader("Request-Id", "req_fake").end(o.encode());
    }

    private static void notFound(RoutingContext rc) {
        json(rc, 404, new JsonObject().put("error", new JsonObject().put("type", "invalid_request_error").put("code", "resource_missing")
                .put("message", "No such object")));
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
