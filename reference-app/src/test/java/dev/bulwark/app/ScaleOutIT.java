package dev.bulwark.app;

import dev.bulwark.testkit.Services;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.webhook.JdbcSeenEventStore;
import dev.bulwark.webhook.SeenEventStore;
import dev.bulwark.webhook.WebhookSigner;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale-out: two app nodes in this JVM on different ports, as behind a load balancer, sharing ONE PostgreSQL schema
 * (app role owning nothing, RLS) and ONE Redis for rate limits (BULWARK_RATE_LIMIT_STORE=redis, a private key prefix).
 * Each property is set up through node A and checked through node B: a lockout, a rate limit (counted once for the
 * cluster, not once per node), a session revocation, a used single-use link, a Stripe event delivered to both nodes
 * at once (acted on by exactly one), and a Stripe event claimed by a node that died (409 on both until its lease ends,
 * then processed once). Nodes share the deployment's public URL and master key, as real nodes would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleOutIT {
    static final String PASSWORD = "correct horse battery staple 42";
    static final int LOCKOUT_THRESHOLD = 5;
    /** auth-guard's documented default: 10 password-reset requests per hour per client address (no refill within a test). */
    static final int RESET_LIMIT_PER_IP = 10;
    private static final AtomicInteger IPS = new AtomicInteger(10);

    TestApp a;
    TestApp b;
    Vertx vertx;
    FakeStripe stripe;
    String redisPrefix;
    private final Map<String, String> held = new ConcurrentSkipListMap<>();

    @BeforeAll
    void start() throws Exception {
        Services.assumePostgres();
        Services.assumeRedis();
        vertx = Vertx.vertx();
        stripe = new FakeStripe(vertx);
        redisPrefix = "bulwark-it:" + UUID.randomUUID().toString().substring(0, 8) + ":rl:";
        Map<String, String> env = new HashMap<>();
        env.put("BULWARK_RATE_LIMIT_STORE", "redis");
        env.put("BULWARK_REDIS_URL", Services.redisUrl());
        env.put("BULWARK_RATE_LIMIT_KEY_PREFIX", redisPrefix);
        env.put("BULWARK_LOCKOUT_THRESHOLD", String.valueOf(LOCKOUT_THRESHOLD));
        env.put("BULWARK_STRIPE_SECRET_KEY", "sk_test_fakeKeyForTheLocalStripeStandIn");
        env.put("BULWARK_STRIPE_PUBLISHABLE_KEY", "pk_test_fakePublishableKey");
        env.put("BULWARK_STRIPE_WEBHOOK_SECRET", ProductEndToEnd.PLATFORM_SECRET);
        env.put("BULWARK_STRIPE_CONNECT_WEBHOOK_SECRET", ProductEndToEnd.CONNECT_SECRET);
        env.put("BULWARK_STRIPE_API_BASE", stripe.base());
        a = TestApp.start(TestDatabase.Kind.POSTGRESQL, env);
        b = a.sibling(Map.of());
        assertThat(b.httpsPort()).isNotEqualTo(a.httpsPort());
    }

    @AfterAll
    void stop() throws Exception {
        if (!held.isEmpty()) {
            System.out.println("ScaleOutIT: 2 nodes (:" + a.httpsPort() + ", :" + b.httpsPort() + ") on one PostgreSQL schema + one Redis ("
                    + redisPrefix + "); held across nodes: " + String.join("; ", held.values()));
        }
        if (b != null) b.close();
        if (a != null) a.close();
        if (stripe != null) stripe.close();
        if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (redisPrefix != null) deleteRedisKeys();
    }

    // ------------------------------------------------------------------ helpers

    static String ip() {
        return "198.51.100." + IPS.incrementAndGet();
    }

    Http client(TestApp node, String ip) throws Exception {
        return new Http(vertx, node, ip).withCsrf();
    }

    /** The same browser (cookies, CSRF token) whose next request the load balancer sends to {@code node}. */
    Http sameBrowserOn(TestApp node, Http browser) {
        Http h = new Http(vertx, node, browser.clientIp);
        h.cookies.putAll(browser.cookies);
        h.csrf = browser.csrf;
        return h;
    }

    record User(Http http, String email, String workspace) {
        String api(String path) {
            return "/api/v1/workspaces/" + workspace + path;
        }
    }

    /** Sign-up → e-mail verification → login, all through node A. */
    User signedUpOnA(String label) throws Exception {
        Http h = client(a, ip());
        String email = label + "-" + System.nanoTime() + "@example.com";
        ok(h.post("/api/v1/signup", new JsonObject().put("acceptPrivacy", true).put("name", "Ada " + label).put("email", email).put("password", PASSWORD)
                .put("business", label + " Studio")), 202);
        Map<String, String> q = TestApp.query(a.linkIn(email, "Confirm your e-mail"));
        ok(h.post("/api/v1/verify-email", new JsonObject().put("u", q.get("u")).put("t", q.get("t"))), 200);
        ok(h.post("/api/v1/login", new JsonObject().put("email", email).put("password", PASSWORD)), 200);
        String ws = h.get("/api/v1/workspaces").bodyAsJsonArray().getJsonObject(0).getString("id");
        return new User(h, email, ws);
    }

    static HttpResponse<Buffer> ok(HttpResponse<Buffer> r, int status) {
        return ProductEndToEnd.ok(r, status);
    }

    HttpResponse<Buffer> login(TestApp node, String ip, String email, String password) throws Exception {
        return client(node, ip).post("/api/v1/login", new JsonObject().put("email", email).put("password", password));
    }

    // ------------------------------------------------------------------ properties

    @Test
    void anAccountLockedThroughOneNodeIsLockedOnTheOther() throws Exception {
        User victim = signedUpOnA("lock");
        User bystander = signedUpOnA("bystander");
        String attacker = ip();
        for (int i = 0; i < LOCKOUT_THRESHOLD; i++) {
            HttpResponse<Buffer> r = login(a, attacker, victim.email(), "wrong password " + i);
            assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(401);
        }
        assertThat(a.mailsTo(victim.email())).as("node A locked the account").anySatisfy(m -> assertThat(m.getString("subject")).isEqualTo("Your account was locked"));
        Http owner = client(b, ip());
        HttpResponse<Buffer> r = owner.post("/api/v1/login", new JsonObject().put("email", victim.email()).put("password", PASSWORD));
        assertThat(r.statusCode()).as("the right password on node B is refused: " + r.bodyAsString()).isEqualTo(401);
        assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("login_failed");
        assertThat(owner.cookies).doesNotContainKey("__Host-bw_session");
        assertThat(ok(login(b, ip(), bystander.email(), PASSWORD), 200).bodyAsJsonObject().getString("status"))
                .as("another account is unaffected").isEqualTo("signed_in");
        held.put("1 lockout", "lockout after " + LOCKOUT_THRESHOLD + " failures on A refused the right password on B (other user signed in)");
    }

    @Test
    void aRateLimitCountsRequestsToBothNodesOnce() throws Exception {
        String ip = "203.0.113." + (100 + IPS.incrementAndGet() % 100);
        resetLimitIsCountedOnceAcross(a, b, ip);
        List<String> keys = redisKeys();
        assertThat(keys).as("the buckets live in Redis under the deployment's prefix").anyMatch(k -> k.contains("PASSWORD_RESET_PER_IP:" + ip));
        held.put("2 rate limit", "password-reset limit " + RESET_LIMIT_PER_IP + "/IP counted once across A+B (not " + 2 * RESET_LIMIT_PER_IP
                + "), then 429 on both; buckets in Redis");
    }

    @Test
    void onThePostgresqlStoreTooARateLimitCountsRequestsToBothNodesOnce() throws Exception {
        // Two more nodes of the same deployment with BULWARK_RATE_LIMIT_STORE=postgresql (no Redis).
        Map<String, String> pg = Map.of("BULWARK_RATE_LIMIT_STORE", "postgresql", "BULWARK_REDIS_URL", "");
        try (TestApp c = a.sibling(pg); TestApp d = a.sibling(pg)) {
            String ip = "192.0.2." + (100 + IPS.incrementAndGet() % 100);
            resetLimitIsCountedOnceAcross(c, d, ip);
            try (Connection db = DriverManager.getConnection(a.jdbcUrl(), a.migrationUser(), "");
                 PreparedStatement ps = db.prepareStatement("SELECT count(*) FROM bulwark_rate_limit_bucket WHERE id = ?")) {
                ps.setString(1, redisPrefix + "PASSWORD_RESET_PER_IP:" + ip);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("the bucket is a row in PostgreSQL").isEqualTo(1);
                }
            }
        }
        held.put("2b rate limit (postgresql store)", "same limit on two nodes with BULWARK_RATE_LIMIT_STORE=postgresql: " + RESET_LIMIT_PER_IP
                + " in total, then 429 on both");
    }

    /** Password-reset requests from one address, alternating between the nodes: the limit counts them together. */
    void resetLimitIsCountedOnceAcross(TestApp first, TestApp second, String ip) throws Exception {
        Http onFirst = client(first, ip);
        Http onSecond = client(second, ip);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < RESET_LIMIT_PER_IP + 2; i++) {
            Http h = i % 2 == 0 ? onFirst : onSecond;
            // A fresh e-mail address each time: only the per-client-address limit can bite.
            HttpResponse<Buffer> r = h.post("/api/v1/password/forgot", new JsonObject().put("email", "nobody-" + i + "-" + System.nanoTime() + "@example.com"));
            statuses.add(r.statusCode());
            if (r.statusCode() == 429) assertThat(Long.parseLong(r.getHeader("Retry-After"))).isPositive();
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < RESET_LIMIT_PER_IP; i++) expected.add(202);
        expected.add(429);
        expected.add(429);
        assertThat(statuses).as("alternating nodes: %d accepted in total, then 429 on the one and on the other", RESET_LIMIT_PER_IP).isEqualTo(expected);
        assertThat(client(second, ip()).post("/api/v1/password/forgot", new JsonObject().put("email", "x-" + System.nanoTime() + "@example.com"))
                .statusCode()).as("another address is not limited").isEqualTo(202);
    }

    @Test
    void aSessionRevokedOnOneNodeIsRefusedOnTheOther() throws Exception {
        User u = signedUpOnA("session");
        Http onB = sameBrowserOn(b, u.http());
        assertThat(ok(onB.get("/api/v1/account"), 200).bodyAsJsonObject().getString("email")).isEqualTo(u.email());
        assertThat(ok(onB.get(u.api("/members")), 200).bodyAsJsonArray()).hasSize(1);
        ok(u.http().post("/api/v1/logout", new JsonObject()), 200);
        assertThat(u.http().get("/api/v1/account").statusCode()).isEqualTo(401);
        assertThat(onB.get("/api/v1/account").statusCode()).as("the revoked cookie on node B").isEqualTo(401);
        assertThat(onB.get(u.api("/members")).statusCode()).isEqualTo(401);
        held.put("3 session", "session from A worked on B, logout on A → cookie refused on B");
    }

    @Test
    void aSingleUseLinkUsedThroughOneNodeIsRefusedOnTheOther() throws Exception {
        User u = signedUpOnA("link");
        ok(client(a, ip()).post("/api/v1/password/forgot", new JsonObject().put("email", u.email())), 202);
        Map<String, String> q = TestApp.query(a.linkIn(u.email(), "Reset your password"));
        JsonObject reset = new JsonObject().put("u", q.get("u")).put("t", q.get("t")).put("password", PASSWORD + " renewed");
        ok(client(a, ip()).post("/api/v1/password/reset", reset), 200);
        HttpResponse<Buffer> again = client(b, ip()).post("/api/v1/password/reset", reset.copy().put("password", PASSWORD + " hijacked"));
        assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(400);
        assertThat(again.bodyAsJsonObject().getString("error")).isEqualTo("link_already_used");
        assertThat(login(b, ip(), u.email(), PASSWORD + " hijacked").statusCode()).as("the second use changed nothing").isEqualTo(401);
        assertThat(ok(login(b, ip(), u.email(), PASSWORD + " renewed"), 200).bodyAsJsonObject().getString("status")).isEqualTo("signed_in");
        held.put("4 link", "reset link used on A → link_already_used on B");
    }

    @Test
    void aStripeEventDeliveredToBothNodesAtOnceIsActedOnOnce() throws Exception {
        Shop shop = connectedShop("hook");
        Payable p = payableInvoice(shop);
        String event = succeeded(shop, p);
        String eventId = new JsonObject(event).getString("id");
        long readsBefore = intentReads(p.intent());
        byte[] body = event.getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSigner.stripe(ProductEndToEnd.CONNECT_SECRET).stripeHeader(ProductEndToEnd.now(), body);

        List<HttpResponse<Buffer>> answers = deliverAtOnce(List.of(a, b), List.of(body, body), signature, null);
        List<String> outcomes = outcomes(answers);
        // The other node either came after the first had finished (done: acknowledged) or while it was processing: then
        // it must not acknowledge, or the event would be lost should the first node die (409, Stripe retries later).
        assertThat(outcomes).as("one node acted; the other acknowledged a done event or asked for a retry").hasSize(2)
                .containsOnlyOnce("200 received").allMatch(ONE_ACTS::contains);

        JsonObject invoice = ok(shop.owner().http().get(shop.owner().api("/invoices/" + p.invoice())), 200).bodyAsJsonObject();
        assertThat(invoice.getString("status")).isEqualTo("paid");
        assertThat(invoice.getLong("paidMinor")).isEqualTo(invoice.getLong("totalMinor"));
        assertThat(paymentsOf(p.invoice())).as("one payment row").isEqualTo(1);
        assertThat(intentReads(p.intent()) - readsBefore).as("the PaymentIntent was re-read from Stripe once: one node acted").isEqualTo(1);
        assertThat(succeededAuditEvents(shop, eventId)).as("one audit event for the event").isEqualTo(1);

        // Two different events about the same PaymentIntent (e.g. Stripe's retry of a late event) at once on both nodes:
        // each node acts, the invoice row lock makes the second see the first's payment: both 200, still one payment.
        int rounds = 3;
        for (int i = 0; i < rounds; i++) {
            Payable q = payableInvoice(shop);
            byte[] e1 = ProductEndToEnd.event("payment_intent.succeeded", shop.account(), new JsonObject().put("id", q.intent()), false)
                    .getBytes(StandardCharsets.UTF_8);
            byte[] e2 = ProductEndToEnd.event("payment_intent.processing", shop.account(), new JsonObject().put("id", q.intent()), false)
                    .getBytes(StandardCharsets.UTF_8);
            List<HttpResponse<Buffer>> rs = deliverAtOnce(List.of(a, b), List.of(e1, e2), null, ProductEndToEnd.CONNECT_SECRET);
            for (HttpResponse<Buffer> r : rs) {
                assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
                assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("received");
            }
            JsonObject inv = ok(shop.owner().http().get(shop.owner().api("/invoices/" + q.invoice())), 200).bodyAsJsonObject();
            assertThat(inv.getString("status")).isEqualTo("paid");
            assertThat(inv.getLong("paidMinor")).as("paid once, not twice").isEqualTo(inv.getLong("totalMinor"));
            assertThat(paymentsOf(q.invoice())).isEqualTo(1);
        }
        held.put("5 webhook", "one Stripe event to A and B at once → " + outcomes + ", 1 payment, 1 audit event; "
                + rounds + "× two events for one PaymentIntent at once → 2×200, 1 payment");
    }

    @Test
    void aStripeEventClaimedByANodeThatDiedIsRefusedWith409UntilItsLeaseEndsThenProcessedOnce() throws Exception {
        Shop shop = connectedShop("dead");
        Payable p = payableInvoice(shop);
        String event = succeeded(shop, p);
        String eventId = new JsonObject(event).getString("id");
        byte[] body = event.getBytes(StandardCharsets.UTF_8);
        long readsBefore = intentReads(p.intent());
        // A third node verified the event, claimed it with a 3-second lease, and died before it finished.
        Instant claimedAt = Instant.now();
        PGSimpleDataSource shared = new PGSimpleDataSource();
        shared.setURL(a.jdbcUrl());
        shared.setUser(a.migrationUser());
        assertThat(new JdbcSeenEventStore(shared).claim("stripe:" + eventId, "dead-node", claimedAt.plusSeconds(3),
                claimedAt.plusSeconds(360), claimedAt)).isEqualTo(SeenEventStore.Claim.CLAIMED);

        for (HttpResponse<Buffer> r : deliverAtOnce(List.of(a, b), List.of(body, body), null, ProductEndToEnd.CONNECT_SECRET)) {
            assertThat(r.statusCode()).as("not acknowledged while the dead node's lease runs: " + r.bodyAsString()).isEqualTo(409);
            assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("in_progress");
        }
        assertThat(intentReads(p.intent()) - readsBefore).as("neither node acted").isZero();
        assertThat(paymentsOf(p.invoice())).isZero();

        // Stripe retries later, after the lease: the event is processed, once.
        long wait = Duration.between(Instant.now(), Instant.ofEpochSecond(claimedAt.getEpochSecond() + 4)).toMillis();
        if (wait > 0) Thread.sleep(wait);
        List<String> retry = outcomes(deliverAtOnce(List.of(a, b), List.of(body, body), null, ProductEndToEnd.CONNECT_SECRET));
        assertThat(retry).hasSize(2).containsOnlyOnce("200 received").allMatch(ONE_ACTS::contains);
        HttpResponse<Buffer> later = deliverAtOnce(List.of(b), List.of(body), null, ProductEndToEnd.CONNECT_SECRET).get(0);
        assertThat(later.statusCode()).isEqualTo(200);
        assertThat(later.bodyAsJsonObject().getString("status")).as("done now").isEqualTo("duplicate");
        assertThat(paymentsOf(p.invoice())).as("one payment row").isEqualTo(1);
        assertThat(intentReads(p.intent()) - readsBefore).as("one node acted, once").isEqualTo(1);
        assertThat(succeededAuditEvents(shop, eventId)).as("one audit event for the event").isEqualTo(1);
        held.put("6 webhook (dead node)", "event claimed by a dead node → 409 in_progress on A and B, nothing acted on; after its lease "
                + retry + ", then 200 duplicate; 1 payment");
    }

    /** What a node answers when one delivery of an event acts and the other, at the same time, must not. */
    static final Set<String> ONE_ACTS = Set.of("200 received", "200 duplicate", "409 in_progress");

    static List<String> outcomes(List<HttpResponse<Buffer>> answers) {
        return answers.stream().map(r -> r.statusCode() + " " + r.bodyAsJsonObject().getString("status")).toList();
    }

    static String succeeded(Shop shop, Payable p) {
        return ProductEndToEnd.event("payment_intent.succeeded", shop.account(),
                new JsonObject().put("id", p.intent()).put("object", "payment_intent"), false);
    }

    long succeededAuditEvents(Shop shop, String eventId) throws Exception {
        JsonArray audit = ok(shop.owner().http().get(shop.owner().api("/audit?action=stripe.payment_intent.succeeded")), 200).bodyAsJsonArray();
        return audit.stream().map(o -> (JsonObject) o).filter(o -> eventId.equals(o.getString("targetId"))).count();
    }

    // ------------------------------------------------------------------ Stripe set-up

    record Shop(User owner, String account) {}

    record Payable(String invoice, String intent) {}

    /** A workspace whose Connect account can take card payments (onboarded through A, account.updated delivered to B). */
    Shop connectedShop(String label) throws Exception {
        User o = signedUpOnA(label);
        Set<String> before = Set.copyOf(stripe.accounts.keySet());
        String onboarding = ok(o.http().post(o.api("/payments/connect"), new JsonObject()), 200).bodyAsJsonObject().getString("url");
        assertThat(onboarding).startsWith("https://connect.stripe.example/");
        assertThat(stripe.calls).anyMatch(c -> c.path().equals("/v1/accounts") && c.params().getOrDefault("metadata[workspace_id]", "").equals(o.workspace()));
        // the account this onboarding created (several shops share the fake Stripe)
        String account = stripe.accounts.keySet().stream().filter(acct -> !before.contains(acct)).findFirst().orElseThrow();
        stripe.accounts.get(account).put("charges_enabled", true).put("details_submitted", true);
        byte[] updated = ProductEndToEnd.event("account.updated", account, new JsonObject().put("id", account).put("object", "account"), false)
                .getBytes(StandardCharsets.UTF_8);
        for (HttpResponse<Buffer> r : deliverAtOnce(List.of(b), List.of(updated), null, ProductEndToEnd.CONNECT_SECRET)) ok(r, 200);
        assertThat(o.http().get(o.api("/payments/status")).bodyAsJsonObject().getBoolean("chargesEnabled")).isTrue();
        return new Shop(o, account);
    }

    /** A sent invoice with a PaymentIntent created through its shared link on B, which the customer has paid at Stripe. */
    Payable payableInvoice(Shop shop) throws Exception {
        User o = shop.owner();
        String customer = ok(o.http().post(o.api("/customers"), new JsonObject().put("name", "Cora").put("email", "cora-" + System.nanoTime() + "@example.org")), 201)
                .bodyAsJsonObject().getString("id");
        String invoice = ok(o.http().post(o.api("/invoices"), new JsonObject().put("customerId", customer).put("lines",
                new JsonArray().add(new JsonObject().put("description", "Consultation").put("quantity", 1).put("unitMinor", 4200)))), 201)
                .bodyAsJsonObject().getString("id");
        ok(o.http().post(o.api("/invoices/" + invoice + "/send"), new JsonObject()), 200);
        String shared = ok(o.http().post(o.api("/invoices/" + invoice + "/share"), new JsonObject()), 200).bodyAsJsonObject().getString("url");
        String path = shared.substring(a.origin.length());
        String intentPath = path.substring(0, path.indexOf('?')) + "/payment-intent";
        JsonObject pi = ok(client(b, ip()).post(intentPath, new JsonObject().put("t", TestApp.query(shared).get("t"))), 200).bodyAsJsonObject();
        String intent = pi.getString("paymentIntentId");
        stripe.succeed(intent);
        return new Payable(invoice, intent);
    }

    /**
     * Sends {@code bodies[i]} to {@code nodes[i]}'s Connect endpoint, all requests in flight together, and waits for
     * every answer (bounded). With {@code signature} every body carries that exact Stripe-Signature header (one delivery
     * seen by several nodes); otherwise each body is signed with {@code secret} as Stripe would.
     */
    List<HttpResponse<Buffer>> deliverAtOnce(List<TestApp> nodes, List<byte[]> bodies, String signature, String secret) throws Exception {
        List<Future<HttpResponse<Buffer>>> inFlight = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            byte[] body = bodies.get(i);
            String sig = signature != null ? signature : WebhookSigner.stripe(secret).stripeHeader(ProductEndToEnd.now(), body);
            inFlight.add(new Http(vertx, nodes.get(i), "203.0.113.9").client.post("/webhooks/stripe/connect")
                    .putHeader("Content-Type", "application/json; charset=utf-8").putHeader("Stripe-Signature", sig)
                    .putHeader("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)").sendBuffer(Buffer.buffer(body)));
        }
        Future.all(new ArrayList<>(inFlight)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        return inFlight.stream().map(Future::result).toList();
    }

    long intentReads(String intent) {
        return stripe.calls.stream().filter(c -> c.method().equals("GET") && c.path().equals("/v1/payment_intents/" + intent)).count();
    }

    /** Payment rows of an invoice, read as the schema owner (not through either node). */
    long paymentsOf(String invoice) throws Exception {
        try (Connection c = DriverManager.getConnection(a.jdbcUrl(), a.migrationUser(), "");
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM prod_payments WHERE invoice_id = ?")) {
            ps.setString(1, invoice);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    // ------------------------------------------------------------------ Redis

    private <T> T withRedis(java.util.function.Function<RedisCommands<String, String>, T> work) {
        RedisClient client = RedisClient.create(Services.redisUrl());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            return work.apply(conn.sync());
        } finally {
            client.shutdown();
        }
    }

    List<String> redisKeys() {
        return withRedis(r -> {
            List<String> keys = new ArrayList<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = r.scan(cursor, ScanArgs.Builder.matches(redisPrefix + "*").limit(500));
                keys.addAll(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished());
            return keys;
        });
    }

    void deleteRedisKeys() {
        List<String> keys = redisKeys();
        if (!keys.isEmpty()) withRedis(r -> r.del(keys.toArray(String[]::new)));
    }
}
