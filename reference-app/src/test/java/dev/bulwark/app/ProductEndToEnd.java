package dev.bulwark.app;

import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.webhook.WebhookSigner;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product end to end over real HTTPS against the app on one database kind, with a local fake Stripe API
 * (stripe-java pointed at it) and a local fake OAuth/calendar provider: public booking through the signed link,
 * invoices and shared links, Connect onboarding, Payment Element intent, webhooks signed exactly as Stripe signs them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProductEndToEnd {
    static final String PASSWORD = "correct horse battery staple 42";
    static final String PLATFORM_SECRET = "whsec_platformEndpointSecretForTests0123456789";
    static final String CONNECT_SECRET = "whsec_connectEndpointSecretForTests0123456789";
    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final AtomicInteger IPS = new AtomicInteger(10);
    private static final AtomicInteger EVENTS = new AtomicInteger();
    TestApp app;
    Vertx vertx;
    FakeStripe stripe;
    FakeOAuthProvider oauth;

    abstract TestDatabase.Kind kind();

    @BeforeAll
    void start() throws Exception {
        vertx = Vertx.vertx();
        stripe = new FakeStripe(vertx);
        oauth = new FakeOAuthProvider(vertx);
        Map<String, String> env = new HashMap<>();
        env.put("BULWARK_STRIPE_SECRET_KEY", "sk_test_fakeKeyForTheLocalStripeStandIn");
        env.put("BULWARK_STRIPE_PUBLISHABLE_KEY", "pk_test_fakePublishableKey");
        env.put("BULWARK_STRIPE_WEBHOOK_SECRET", PLATFORM_SECRET);
        env.put("BULWARK_STRIPE_CONNECT_WEBHOOK_SECRET", CONNECT_SECRET);
        env.put("BULWARK_STRIPE_API_BASE", stripe.base());
        env.put("BULWARK_STRIPE_PLATFORM_FEE_BPS", "100");
        env.put("BULWARK_OAUTH_CALENDAR", oauth.config());
        app = TestApp.start(kind(), env);
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) app.close();
        if (stripe != null) stripe.close();
        if (oauth != null) oauth.close();
        if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    Http client() throws Exception {
        return new Http(vertx, app, "198.51.100." + IPS.incrementAndGet()).withCsrf();
    }

    record Owner(Http http, String email, String userId, String ws) {
        String api(String path) {
            return "/api/v1/workspaces/" + ws + path;
        }
    }

    record Shop(Owner owner, String serviceId, String bookingUrl) {}

    Owner signedUp(String label) throws Exception {
        Http h = client();
        String email = label + "-" + System.nanoTime() + "@example.com";
        HttpResponse<Buffer> r = h.post("/api/v1/signup", new JsonObject().put("acceptPrivacy", true).put("name", "Owner " + label).put("email", email)
                .put("password", PASSWORD).put("business", label + " Salon"));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
        Map<String, String> q = TestApp.query(app.linkIn(email, "Confirm your e-mail"));
        assertThat(h.post("/api/v1/verify-email", new JsonObject().put("u", q.get("u")).put("t", q.get("t"))).statusCode()).isEqualTo(200);
        r = h.post("/api/v1/login", new JsonObject().put("email", email).put("password", PASSWORD));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        String ws = h.get("/api/v1/workspaces").bodyAsJsonArray().getJsonObject(0).getString("id");
        String id = h.get("/api/v1/account").bodyAsJsonObject().getString("id");
        return new Owner(h, email, id, ws);
    }

    /** A workspace in Europe/Berlin with one 30-minute service (+10 min buffer), the owner working 08:00-20:00 daily, booking on. */
    Shop shop(String label) throws Exception {
        Owner o = signedUp(label);
        ok(o.http().put(o.api("/profile"), new JsonObject().put("timeZone", ZONE.getId()).put("currency", "EUR")), 200);
        HttpResponse<Buffer> r = ok(o.http().post(o.api("/services"), new JsonObject().put("name", "Haircut").put("durationMinutes", 30)
                .put("bufferMinutes", 10).put("price", "45.00").put("currency", "EUR")), 201);
        String service = r.bodyAsJsonObject().getString("id");
        ok(o.http().put(o.api("/staff/" + o.userId() + "/hours"), new JsonObject().put("hours",
                "mon 08:00-20:00\ntue 08:00-20:00\nwed 08:00-20:00\nthu 08:00-20:00\nfri 08:00-20:00\nsat 08:00-20:00\nsun 08:00-20:00")), 200);
        String url = ok(o.http().post(o.api("/booking-link"), new JsonObject()), 200).bodyAsJsonObject().getString("url");
        return new Shop(o, service, url);
    }

    static HttpResponse<Buffer> ok(HttpResponse<Buffer> r, int status) {
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
        return r;
    }

    String path(String url) {
        return url.substring(app.origin.length());
    }

    static LocalDate tomorrow() {
        return LocalDate.now(ZONE).plusDays(1);
    }

    static List<String> slots(String html) {
        Matcher m = Pattern.compile("name=\"start\" value=\"([^\"]+)\"").matcher(html);
        List<String> out = new ArrayList<>();
        while (m.find()) out.add(m.group(1));
        return out;
    }

    String token(String url) {
        return TestApp.query(url).get("t");
    }

    HttpResponse<Buffer> bookPublicly(Http customer, Shop shop, String start, String email) throws Exception {
        return customer.post("/book/" + shop.owner().ws(), new JsonObject().put("acceptPrivacy", true).put("t", token(shop.bookingUrl())).put("serviceId", shop.serviceId())
                .put("staffMemberId", shop.owner().userId()).put("start", start).put("name", "Cora Customer").put("email", email));
    }

    List<String> freeSlots(Http customer, Shop shop, LocalDate date) throws Exception {
        HttpResponse<Buffer> page = ok(customer.get(path(shop.bookingUrl()) + "&service=" + shop.serviceId() + "&staff=" + shop.owner().userId()
                + "&date=" + date), 200);
        return slots(page.bodyAsString());
    }

    HttpResponse<Buffer> deliver(String endpoint, String secret, String body, long timestamp) throws Exception {
        return raw(endpoint, body.getBytes(StandardCharsets.UTF_8), WebhookSigner.stripe(secret).stripeHeader(timestamp, body.getBytes(StandardCharsets.UTF_8)));
    }

    HttpResponse<Buffer> raw(String endpoint, byte[] body, String signature) throws Exception {
        var req = new Http(vertx, app, "203.0.113.9").client.post(endpoint).putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)");
        if (signature != null) req.putHeader("Stripe-Signature", signature);
        return req.sendBuffer(Buffer.buffer(body)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static String event(String type, String account, JsonObject object, boolean livemode) {
        return new JsonObject().put("id", "evt_test" + EVENTS.incrementAndGet() + "_" + System.nanoTime()).put("object", "event")
                .put("api_version", "2025-10-29.clover").put("created", System.currentTimeMillis() / 1000).put("livemode", livemode)
                .put("type", type).put("account", account).put("pending_webhooks", 1)
                .put("data", new JsonObject().put("object", object)).encode();
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    // ------------------------------------------------------------------ tests

    @Test
    void publicBookingThenInvoiceShareAndStripePaymentMarksTheInvoicePaid() throws Exception {
        Shop shop = shop("flow");
        Owner o = shop.owner();
        Http customer = client();
        List<String> free = freeSlots(customer, shop, tomorrow());
        assertThat(free).isNotEmpty();
        String email = "cora-" + System.nanoTime() + "@example.org";
        HttpResponse<Buffer> booked = ok(bookPublicly(customer, shop, free.get(0), email), 201);
        assertThat(booked.bodyAsString()).contains("booking-confirmed");
        String manage = app.linkIn(email, "Your appointment");
        assertThat(manage).contains("/b/" + o.ws() + "/apt_");
        String appointmentId = manage.substring(manage.indexOf("/apt_") + 1, manage.indexOf('?'));
        assertThat(appointmentId).matches("apt_[A-Za-z0-9_-]{22}");
        // The slot is gone for the next customer; the owner sees the appointment and the customer (found by exact e-mail).
        assertThat(freeSlots(client(), shop, tomorrow())).doesNotContain(free.get(0));
        JsonArray appts = ok(o.http().get(o.api("/appointments?from=" + tomorrow() + "&to=" + tomorrow().plusDays(1))), 200).bodyAsJsonArray();
        assertThat(appts).hasSize(1);
        assertThat(appts.getJsonObject(0).getString("id")).isEqualTo(appointmentId);
        JsonArray found = ok(o.http().get(o.api("/customers?email=" + email.toUpperCase())), 200).bodyAsJsonArray();
        assertThat(found).hasSize(1);
        String customerId = found.getJsonObject(0).getString("id");
        assertThat(found.getJsonObject(0).getString("email")).isEqualTo(email);

        // Invoice with two lines, 10 % discount, 19 % and 7 % tax: totals per the documented rounding.
        JsonObject inv = ok(o.http().post(o.api("/invoices"), new JsonObject().put("customerId", customerId).put("currency", "EUR").put("discountBp", 1000)
                .put("lines", new JsonArray().add(new JsonObject().put("description", "Haircut").put("quantity", 2).put("unitMinor", 4500).put("taxBp", 1900))
                        .add(new JsonObject().put("description", "Shampoo").put("quantity", 1).put("unitMinor", 1999).put("taxBp", 700)))), 201).bodyAsJsonObject();
        assertThat(inv.getString("status")).isEqualTo("draft");
        assertThat(inv.getLong("subtotalMinor")).isEqualTo(10999);
        assertThat(inv.getLong("discountMinor")).isEqualTo(1100);
        assertThat(inv.getLong("taxMinor")).isEqualTo(1665);
        assertThat(inv.getLong("totalMinor")).isEqualTo(11564);
        String invoiceId = inv.getString("id");
        assertThat(invoiceId).matches("inv_[A-Za-z0-9_-]{22}");
        JsonObject sent = ok(o.http().post(o.api("/invoices/" + invoiceId + "/send"), new JsonObject()), 200).bodyAsJsonObject();
        assertThat(sent.getString("status")).isEqualTo("sent");
        assertThat(sent.getString("displayNumber")).isEqualTo("INV-00001");
        String shared = ok(o.http().post(o.api("/invoices/" + invoiceId + "/share"), new JsonObject()), 200).bodyAsJsonObject().getString("url");

        // Before Connect onboarding the customer cannot pay by card.
        Http payer = client();
        HttpResponse<Buffer> page = ok(payer.get(path(shared)), 200);
        assertThat(page.bodyAsString()).contains("INV-00001").contains("online-payment-off").doesNotContain("payment-element");

        // Connect onboarding: account created on the platform, single-use account link, then account re-read from Stripe.
        String onboarding = ok(o.http().post(o.api("/payments/connect"), new JsonObject()), 200).bodyAsJsonObject().getString("url");
        assertThat(onboarding).startsWith("https://connect.stripe.example/setup/");
        String account = stripe.accounts.keySet().stream().filter(a -> stripe.calls.stream().anyMatch(c -> c.path().equals("/v1/accounts")
                && c.params().getOrDefault("metadata[workspace_id]", "").equals(o.ws()))).findFirst().orElseThrow();
        stripe.accounts.get(account).put("charges_enabled", true).put("details_submitted", true);
        // account.updated on the Connect endpoint re-reads the account and enables card payments.
        ok(deliver("/webhooks/stripe/connect", CONNECT_SECRET, event("account.updated", account, new JsonObject().put("id", account).put("object", "account"), false), now()), 200);
        assertThat(o.http().get(o.api("/payments/status")).bodyAsJsonObject().getBoolean("chargesEnabled")).isTrue();

        page = ok(payer.get(path(shared)), 200);
        assertThat(page.bodyAsString()).contains("payment-element").contains("pk_test_fakePublishableKey").contains(account)
                .doesNotContain("sk_test_");
        assertThat(page.getHeader("Content-Security-Policy")).contains("script-src 'self' https://js.stripe.com").contains("frame-ancestors 'none'");
        String intentPath = path(shared).substring(0, path(shared).indexOf('?')) + "/payment-intent";
        JsonObject pi = ok(payer.post(intentPath, new JsonObject().put("t", token(shared))), 200).bodyAsJsonObject();
        assertThat(pi.getString("clientSecret")).startsWith(pi.getString("paymentIntentId") + "_secret_");
        FakeStripe.Call create = stripe.calls.stream().filter(c -> c.method().equals("POST") && c.path().equals("/v1/payment_intents")).reduce((a, b) -> b).orElseThrow();
        assertThat(create.stripeAccount()).as("direct charge on the connected account").isEqualTo(account);
        assertThat(create.params()).containsEntry("amount", "11564").containsEntry("currency", "eur").containsEntry("application_fee_amount", "115")
                .containsEntry("metadata[invoice_id]", invoiceId);
        assertThat(create.idempotencyKey()).isNotBlank();

        // The customer pays in Stripe's element; Stripe then sends payment_intent.succeeded to the Connect endpoint.
        String charge = stripe.succeed(pi.getString("paymentIntentId"));
        String succeeded = event("payment_intent.succeeded", account, new JsonObject().put("id", pi.getString("paymentIntentId")).put("object", "payment_intent"), false);
        ok(deliver("/webhooks/stripe/connect", CONNECT_SECRET, succeeded, now()), 200);
        JsonObject paid = ok(o.http().get(o.api("/invoices/" + invoiceId)), 200).bodyAsJsonObject();
        assertThat(paid.getString("status")).isEqualTo("paid");
        assertThat(paid.getLong("paidMinor")).isEqualTo(11564);

        // The same delivery again is acknowledged and not applied twice; a fresh delivery of the same event id too.
        HttpResponse<Buffer> again = ok(deliver("/webhooks/stripe/connect", CONNECT_SECRET, succeeded, now()), 200);
        assertThat(again.bodyAsJsonObject().getString("status")).isEqualTo("duplicate");
        assertThat(ok(o.http().get(o.api("/invoices/" + invoiceId)), 200).bodyAsJsonObject().getLong("paidMinor")).isEqualTo(11564);
        // A different event for the same PaymentIntent (e.g. a late succeeded) is idempotent too.
        ok(deliver("/webhooks/stripe/connect", CONNECT_SECRET, event("payment_intent.succeeded", account,
                new JsonObject().put("id", pi.getString("paymentIntentId")), false), now()), 200);
        assertThat(ok(o.http().get(o.api("/invoices/" + invoiceId)), 200).bodyAsJsonObject().getLong("paidMinor")).isEqualTo(11564);
        // Out of order: a stale "processing" arriving after success is re-read from Stripe and changes nothing.
        ok(deliver("/webhooks/stripe/connect", CONNECT_SECRET, event("payment_intent.processing", account,
                new JsonObject().put("id", pi.getString("paymentIntentId")), false), now()), 200);
        JsonObject after = ok(o.http().get(o.api("/invoices/" + invoiceId)), 200).bodyAsJsonObject();
        assertThat(after.getString("status")).isEqualTo("paid");
        assertThat(after.getString("paymentState")).isEqualTo("succeeded");

        // Refund and dispute are recorded from the re-read charge.
        stripe.charges.get(charge).put("amount_refunded", 1000);
        ok(deliver("/webhooks/stripe/connect", CONNECT_SECRET, event("charge.refunded", account, new JsonObject().put("id", charge), false), now()), 200);
        ok(deliver("/webhooks/stripe/connect", CONNECT_SECRET, event("charge.dispute.created", account,
                new JsonObject().put("id", "dp_1").put("charge", charge).put("payment_intent", pi.getString("paymentIntentId")), false), now()), 200);
        JsonObject refunded = ok(o.http().get(o.api("/invoices/" + invoiceId)), 200).bodyAsJsonObject();
        assertThat(refunded.getLong("refundedMinor")).isEqualTo(1000);
        assertThat(refunded.getBoolean("disputed")).isTrue();
        // Every payment reading from Stripe named the connected account.
        assertThat(stripe.calls.stream().filter(c -> c.path().startsWith("/v1/payment_intents") || c.path().startsWith("/v1/charges")))
                .allMatch(c -> account.equals(c.stripeAccount()));
    }

    @Test
    void forgedStaleReencodedWrongEndpointAndLivemodeMismatchedWebhooksAreRejected() throws Exception {
        String body = event("payment_intent.succeeded", "acct_unknown", new JsonObject().put("id", "pi_x"), false);
        assertThat(deliver("/webhooks/stripe/connect", "whsec_notTheRightSecretAtAll0123456789abcd", body, now()).statusCode()).as("forged").isEqualTo(400);
        assertThat(deliver("/webhooks/stripe/connect", CONNECT_SECRET, body, now() - 3600).statusCode()).as("stale").isEqualTo(400);
        assertThat(deliver("/webhooks/stripe/connect", CONNECT_SECRET, body, now() + 3600).statusCode()).as("from the future").isEqualTo(400);
        assertThat(deliver("/webhooks/stripe", CONNECT_SECRET, body, now()).statusCode()).as("Connect secret on the platform endpoint").isEqualTo(400);
        String header = WebhookSigner.stripe(CONNECT_SECRET).stripeHeader(now(), body.getBytes(StandardCharsets.UTF_8));
        String reencoded = new JsonObject(body).encodePrettily();
        assertThat(raw("/webhooks/stripe/connect", reencoded.getBytes(StandardCharsets.UTF_8), header).statusCode()).as("re-encoded body").isEqualTo(400);
        assertThat(raw("/webhooks/stripe/connect", body.getBytes(StandardCharsets.UTF_8), null).statusCode()).as("unsigned").isEqualTo(400);
        String live = event("payment_intent.succeeded", "acct_unknown", new JsonObject().put("id", "pi_x"), true);
        HttpResponse<Buffer> r = deliver("/webhooks/stripe/connect", CONNECT_SECRET, live, now());
        assertThat(r.statusCode()).as("live event on a test-mode server").isEqualTo(400);
        assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("livemode_mismatch");
        // Correctly signed but about an account no workspace owns: acknowledged, nothing acted on.
        assertThat(deliver("/webhooks/stripe/connect", CONNECT_SECRET, body, now()).statusCode()).isEqualTo(200);
        assertThat(stripe.calls).noneMatch(c -> c.path().contains("pi_x"));
    }

    @Test
    void concurrentBookingsOfTheSameSlotExactlyOneWins() throws Exception {
        Shop shop = shop("race");
        String slot = freeSlots(client(), shop, tomorrow().plusDays(1)).get(4);
        int n = 16;
        List<Http> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) clients.add(client());
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Http c = clients.get(i);
                String email = "racer" + i + "-" + System.nanoTime() + "@example.org";
                tasks.add(() -> bookPublicly(c, shop, slot, email).statusCode());
            }
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(tasks)) codes.add(f.get());
            assertThat(codes.stream().filter(c -> c == 201).count()).as(codes.toString()).isEqualTo(1);
            assertThat(codes).as("the others are told the slot is taken").allMatch(c -> c == 201 || c == 409);
        } finally {
            pool.shutdownNow();
        }
        // An overlapping (not identical) start is refused too: the buffer and duration hold the blocks.
        String overlapping = java.time.Instant.parse(slot).plusSeconds(15 * 60).toString();
        assertThat(bookPublicly(client(), shop, overlapping, "late-" + System.nanoTime() + "@example.org").statusCode()).isEqualTo(409);
        Owner o = shop.owner();
        assertThat(ok(o.http().get(o.api("/appointments?from=" + tomorrow().plusDays(1) + "&to=" + tomorrow().plusDays(2))), 200)
                .bodyAsJsonArray()).hasSize(1);
    }

    @Test
    void customerLinksNeverActOnGetAndCancelNeedsAPostWithCsrfToken() throws Exception {
        Shop shop = shop("links");
        Http customer = client();
        String email = "dora-" + System.nanoTime() + "@example.org";
        ok(bookPublicly(customer, shop, freeSlots(customer, shop, tomorrow()).get(0), email), 201);
        String manage = app.linkIn(email, "Your appointment");
        // A mail scanner follows the link twice: nothing changes.
        Http scanner = Http.anonymous(vertx, app, "192.0.2.77");
        assertThat(ok(scanner.get(path(manage)), 200).bodyAsString()).contains("appointment-status\">booked");
        assertThat(ok(scanner.get(path(manage)), 200).bodyAsString()).contains("appointment-status\">booked");
        String cancelPath = path(manage).substring(0, path(manage).indexOf('?')) + "/cancel";
        // A POST without the CSRF token (cross-site form) is refused.
        assertThat(scanner.post(cancelPath, new JsonObject().put("t", token(manage))).statusCode()).isEqualTo(403);
        // A tampered link is not found.
        String t = token(manage);
        String tampered = t.substring(0, t.length() - 2) + (t.endsWith("A") ? "BB" : "AA");
        assertThat(client().get(cancelPath.replace("/cancel", "") + "?t=" + tampered).statusCode()).isEqualTo(404);
        Http me = client();
        HttpResponse<Buffer> r = ok(me.post(cancelPath, new JsonObject().put("t", t)), 200);
        assertThat(r.bodyAsString()).contains("appointment-cancelled");
        // The link is revoked with the appointment.
        assertThat(client().get(path(manage)).statusCode()).isEqualTo(410);
        // Rotating the booking page link invalidates the old one; disabling stops booking.
        Owner o = shop.owner();
        String rotated = ok(o.http().post(o.api("/booking-link/rotate"), new JsonObject()), 200).bodyAsJsonObject().getString("url");
        assertThat(client().get(path(shop.bookingUrl())).statusCode()).isEqualTo(410);
        assertThat(client().get(path(rotated)).statusCode()).isEqualTo(200);
        ok(o.http().delete(o.api("/booking-link")), 204);
        assertThat(client().get(path(rotated)).statusCode()).isEqualTo(410);
    }

    @Test
    void publicBookingIsRateLimitedPerClientAddress() throws Exception {
        Shop shop = shop("limit");
        Http c = client();
        int last = 0;
        for (int i = 0; i < 12; i++) last = c.get(path(shop.bookingUrl())).statusCode();
        assertThat(last).isEqualTo(429);
        assertThat(client().get(path(shop.bookingUrl())).statusCode()).as("another address is not affected").isEqualTo(200);
    }

    @Test
    void sharedInvoiceLinksAreRevokedOnDemandOnVoidAndOnReissue() throws Exception {
        Owner o = signedUp("share");
        String customer = ok(o.http().post(o.api("/customers"), new JsonObject().put("name", "Eve").put("email", "eve-" + System.nanoTime() + "@example.org")), 201)
                .bodyAsJsonObject().getString("id");
        String inv = newSentInvoice(o, customer);
        String link1 = ok(o.http().post(o.api("/invoices/" + inv + "/share"), new JsonObject()), 200).bodyAsJsonObject().getString("url");
        assertThat(client().get(path(link1)).statusCode()).isEqualTo(200);
        ok(o.http().post(o.api("/invoices/" + inv + "/revoke-links"), new JsonObject()), 204);
        assertThat(client().get(path(link1)).statusCode()).isEqualTo(410);
        String link2 = ok(o.http().post(o.api("/invoices/" + inv + "/share"), new JsonObject()), 200).bodyAsJsonObject().getString("url");
        String link3 = ok(o.http().post(o.api("/invoices/" + inv + "/reissue"), new JsonObject()), 200).bodyAsJsonObject().getString("url");
        assertThat(client().get(path(link2)).statusCode()).as("re-issue revokes earlier links").isEqualTo(410);
        assertThat(client().get(path(link3)).statusCode()).isEqualTo(200);
        ok(o.http().post(o.api("/invoices/" + inv + "/void"), new JsonObject()), 200);
        assertThat(client().get(path(link3)).statusCode()).as("void revokes links").isEqualTo(410);
        // Links longer than 7 days are refused; a link of another invoice id does not open this one.
        assertThat(o.http().post(o.api("/invoices/" + inv + "/share"), new JsonObject().put("days", 30)).statusCode()).isEqualTo(400);
        String other = newSentInvoice(o, customer);
        String otherLink = ok(o.http().post(o.api("/invoices/" + other + "/share"), new JsonObject()), 200).bodyAsJsonObject().getString("url");
        assertThat(client().get("/i/" + o.ws() + "/" + inv + "?t=" + token(otherLink)).statusCode()).isEqualTo(404);
        // Manual payment always works.
        JsonObject paid = ok(o.http().post(o.api("/invoices/" + other + "/payments"), new JsonObject().put("amount", "10.00").put("reference", "cash")), 201).bodyAsJsonObject();
        assertThat(paid.getLong("paidMinor")).isEqualTo(1000);
        assertThat(paid.getString("status")).isEqualTo("paid");
        // Numbers are a per-workspace sequence.
        assertThat(ok(o.http().get(o.api("/invoices/" + other)), 200).bodyAsJsonObject().getString("displayNumber")).isEqualTo("INV-00002");
    }

    String newSentInvoice(Owner o, String customer) throws Exception {
        String id = ok(o.http().post(o.api("/invoices"), new JsonObject().put("customerId", customer).put("lines",
                new JsonArray().add(new JsonObject().put("description", "Consultation").put("quantity", 1).put("unitMinor", 1000)))), 201)
                .bodyAsJsonObject().getString("id");
        ok(o.http().post(o.api("/invoices/" + id + "/send"), new JsonObject()), 200);
        return id;
    }

    @Test
    void foreignWorkspaceGetsNotFoundForEveryProductId() throws Exception {
        Shop a = shop("iso-a");
        Owner b = signedUp("iso-b");
        Owner oa = a.owner();
        String cust = ok(oa.http().post(oa.api("/customers"), new JsonObject().put("name", "Private Person").put("email", "pp-" + System.nanoTime() + "@example.org")), 201)
                .bodyAsJsonObject().getString("id");
        String inv = newSentInvoice(oa, cust);
        String file = ok(oa.http().post(oa.api("/files"), new JsonObject().put("subjectType", "customer").put("subjectId", cust).put("name", "notes.txt")
                .put("contentType", "text/plain").put("content", Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8)))), 201)
                .bodyAsJsonObject().getString("id");
        // B uses A's ids inside B's own workspace: the scoped queries find nothing.
        assertThat(b.http().get(b.api("/customers/" + cust)).statusCode()).isEqualTo(404);
        assertThat(b.http().get(b.api("/invoices/" + inv)).statusCode()).isEqualTo(404);
        assertThat(b.http().get(b.api("/files/" + file)).statusCode()).isEqualTo(404);
        assertThat(b.http().post(b.api("/invoices/" + inv + "/share"), new JsonObject()).statusCode()).isEqualTo(404);
        // B names A's workspace: not a member, so 404 as well.
        assertThat(b.http().get(oa.api("/customers/" + cust)).statusCode()).isEqualTo(404);
        assertThat(b.http().get(oa.api("/invoices")).statusCode()).isEqualTo(404);
        assertThat(b.http().get("/w/" + oa.ws() + "/files/" + file).statusCode()).isEqualTo(404);
    }

    @Test
    void filesAreCheckedServedAsAttachmentsAndDeletedWithTheirCustomer() throws Exception {
        Owner o = signedUp("files");
        String cust = ok(o.http().post(o.api("/customers"), new JsonObject().put("name", "Fay")), 201).bodyAsJsonObject().getString("id");
        byte[] text = "allergic to lavender".getBytes(StandardCharsets.UTF_8);
        JsonObject f = ok(o.http().post(o.api("/files"), new JsonObject().put("subjectType", "customer").put("subjectId", cust).put("name", "notes.txt")
                .put("contentType", "text/plain").put("content", Base64.getEncoder().encodeToString(text))), 201).bodyAsJsonObject();
        HttpResponse<Buffer> d = ok(o.http().get(o.api("/files/" + f.getString("id"))), 200);
        assertThat(d.bodyAsString()).isEqualTo("allergic to lavender");
        assertThat(d.getHeader("Content-Disposition")).startsWith("attachment");
        assertThat(d.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(d.getHeader("Content-Security-Policy")).contains("sandbox");
        // An HTML file disguised as text, and an executable, are refused by upload-guard.
        HttpResponse<Buffer> html = o.http().post(o.api("/files"), new JsonObject().put("subjectType", "customer").put("subjectId", cust).put("name", "x.txt")
                .put("contentType", "text/plain").put("content", Base64.getEncoder().encodeToString("<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8))));
        assertThat(html.statusCode()).isEqualTo(415);
        byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(o.http().post(o.api("/files"), new JsonObject().put("subjectType", "customer").put("subjectId", cust).put("name", "a.txt")
                .put("contentType", "text/plain").put("content", Base64.getEncoder().encodeToString(elf))).statusCode()).isEqualTo(415);
        // The blob on disk is ciphertext.
        try (var walk = java.nio.file.Files.walk(app.dataDir.resolve("files"))) {
            for (var p : walk.filter(java.nio.file.Files::isRegularFile).toList()) {
                assertThat(new String(java.nio.file.Files.readAllBytes(p), StandardCharsets.ISO_8859_1)).doesNotContain("lavender");
            }
        }
        ok(o.http().delete(o.api("/customers/" + cust)), 204);
        assertThat(o.http().get(o.api("/files/" + f.getString("id"))).statusCode()).isEqualTo(404);
    }

    @Test
    void storageHoldsNoPlaintextCustomerDataOrOAuthTokensAndTheCalendarGetsTheAppointment() throws Exception {
        Shop shop = shop("vault");
        Owner o = shop.owner();
        String email = "secret.person-" + System.nanoTime() + "@example.org";
        String phone = "+49 30 1234 5678";
        String address = "Geheimweg 7, 10115 Berlin";
        String notes = "prefers the quiet chair " + System.nanoTime();
        String cust = ok(o.http().post(o.api("/customers"), new JsonObject().put("name", "Gina Vault").put("email", email).put("phone", phone)
                .put("address", address).put("notes", notes)), 201).bodyAsJsonObject().getString("id");
        assertThat(ok(o.http().get(o.api("/customers/" + cust)), 200).bodyAsJsonObject().getString("notes")).isEqualTo(notes);

        // Connect the owner's calendar through the fake provider (authorization code + PKCE).
        String authorize = ok(o.http().post(o.api("/connections/calendar/start"), new JsonObject()), 200).bodyAsJsonObject().getString("authorizeUrl");
        assertThat(authorize).contains("code_challenge_method=S256").contains("code_challenge=");
        var providerClient = io.vertx.ext.web.client.WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions().setFollowRedirects(false));
        HttpResponse<Buffer> consent = providerClient.getAbs(authorize).send().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String callback = consent.getHeader("Location");
        assertThat(callback).startsWith(app.origin + "/connections/callback?code=");
        // The callback needs the member's session: an anonymous visitor cannot complete it.
        assertThat(client().get(path(callback)).statusCode()).isEqualTo(303);
        ok(o.http().get(path(callback)), 303);
        assertThat(o.http().get(path(callback)).statusCode()).as("the state is single-use").isEqualTo(400);
        JsonArray conns = ok(o.http().get(o.api("/connections")), 200).bodyAsJsonArray();
        assertThat(conns).hasSize(1);
        assertThat(oauth.grants).containsExactly("authorization_code");

        // A booking lands in the connected calendar; the 30-second token is refreshed first (expiry margin 60 s).
        ok(o.http().post(o.api("/appointments"), new JsonObject().put("serviceId", shop.serviceId()).put("staffMemberId", o.userId())
                .put("customerId", cust).put("start", freeSlots(client(), shop, tomorrow()).get(2))), 201);
        assertThat(oauth.grants).containsExactly("authorization_code", "refresh_token");
        assertThat(oauth.events).hasSize(1);
        assertThat(oauth.events.get(0).getString("summary")).isEqualTo("Haircut");

        List<String> stored = new ArrayList<>();
        try (Connection c = directConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                if (kind() == TestDatabase.Kind.POSTGRESQL) s.execute("SET LOCAL bulwark.workspace_id = '" + o.ws() + "'");
                try (ResultSet rs = s.executeQuery("SELECT email_enc, email_bidx, phone_enc, address_enc, notes_enc FROM prod_customers WHERE id = '" + cust + "'")) {
                    assertThat(rs.next()).isTrue();
                    for (int i = 1; i <= 5; i++) stored.add(rs.getString(i));
                }
                try (ResultSet rs = s.executeQuery("SELECT access_token_enc, refresh_token_enc FROM prod_connections")) {
                    assertThat(rs.next()).isTrue();
                    stored.add(rs.getString(1));
                    stored.add(rs.getString(2));
                }
                try (ResultSet rs = s.executeQuery("SELECT verifier_enc FROM prod_oauth_pending")) {
                    assertThat(rs.next()).as("pending authorisation consumed").isFalse();
                }
            }
            c.rollback();
        }
        assertThat(stored).allMatch(v -> v.startsWith("bw1.") || v.startsWith("bi1."));
        for (String v : stored) {
            assertThat(v).doesNotContain(email).doesNotContain("secret.person").doesNotContain("1234").doesNotContain("Geheimweg")
                    .doesNotContain("quiet chair").doesNotContain("PLAINTEXT");
        }
        // Disconnect deletes the tokens.
        ok(o.http().delete(o.api("/connections/" + conns.getJsonObject(0).getString("id"))), 204);
        assertThat(ok(o.http().get(o.api("/connections")), 200).bodyAsJsonArray()).isEmpty();
    }

    Connection directConnection() throws Exception {
        return app.ownerConnection();
    }

    @Test
    void productPagesRenderForTheOwner() throws Exception {
        Shop shop = shop("pages");
        Owner o = shop.owner();
        for (String p : List.of("/calendar", "/calendar?view=day", "/customers", "/services", "/invoices", "/payments", "/booking-page", "/connections")) {
            HttpResponse<Buffer> r = ok(o.http().get("/w/" + o.ws() + p), 200);
            assertThat(r.bodyAsString()).as(p).contains("product-nav");
            assertThat(r.getHeader("Content-Security-Policy")).doesNotContain("unsafe-inline");
        }
    }
}
