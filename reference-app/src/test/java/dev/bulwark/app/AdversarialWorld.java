package dev.bulwark.app;

import dev.bulwark.tenancy.Role;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The adversarial suites' world on one running app: two workspaces (A and B), each with a member of every tenancy
 * role and one of every kind of record (customer, service, appointment, invoice, file, invitation, API key, OAuth
 * connection, booking and invoice links, a public appointment with its manage link), plus fresh records on demand for
 * routes that consume or destroy what they touch. Everything is created through the app's own HTTPS API.
 */
final class AdversarialWorld implements AutoCloseable {
    static final String PASSWORD = "correct horse battery staple 42";
    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final AtomicInteger IPS = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();

    final TestApp app;
    final Vertx vertx;
    final FakeOAuthProvider oauth;
    final FakeStripe stripe;
    final boolean ownsApp;
    Side a;
    Side b;
    /** A user on BULWARK_PLATFORM_ADMINS (TestApp configures admin@example.com). */
    User platformAdmin;
    private final Map<String, JsonObject> mails = new java.util.concurrent.ConcurrentHashMap<>();

    record User(Http http, String email, String id, Role role) {}

    private AdversarialWorld(TestApp app, Vertx vertx, FakeOAuthProvider oauth, FakeStripe stripe, boolean ownsApp) {
        this.app = app;
        this.vertx = vertx;
        this.oauth = oauth;
        this.stripe = stripe;
        this.ownsApp = ownsApp;
    }

    /** Starts an app on {@code kind} with a local OAuth provider configured, and builds both workspaces. */
    static AdversarialWorld start(dev.bulwark.testkit.TestDatabase.Kind kind) throws Exception {
        Vertx vertx = Vertx.vertx();
        FakeOAuthProvider oauth = new FakeOAuthProvider(vertx);
        FakeStripe stripe = new FakeStripe(vertx);
        Map<String, String> env = new HashMap<>();
        env.put("BULWARK_OAUTH_CALENDAR", oauth.config());
        // Stripe through the local stand-in, so payment routes reach their handlers (webhooks: signature checks).
        env.put("BULWARK_STRIPE_SECRET_KEY", "sk_test_fakeKeyForTheLocalStripeStandIn");
        env.put("BULWARK_STRIPE_PUBLISHABLE_KEY", "pk_test_fakePublishableKey");
        env.put("BULWARK_STRIPE_WEBHOOK_SECRET", "whsec_platformEndpointSecretForTests0123456789");
        env.put("BULWARK_STRIPE_CONNECT_WEBHOOK_SECRET", "whsec_connectEndpointSecretForTests0123456789");
        env.put("BULWARK_STRIPE_API_BASE", stripe.base());
        // The matrix books many appointments through the public page from one address.
        env.put("BULWARK_BOOKING_LIMIT_PER_IP", "10000");
        TestApp app = TestApp.start(kind, env);
        AdversarialWorld w = new AdversarialWorld(app, vertx, oauth, stripe, true);
        try {
            w.a = w.side("adv-a");
            w.b = w.side("adv-b");
            w.platformAdmin = w.signUp("admin", "admin@example.com");
            w.enableMfa(w.platformAdmin); // administration pages need two-factor authentication (ASVS 4.3.1)
        } catch (Exception | Error e) {
            w.close();
            throw e;
        }
        return w;
    }

    /** A client with its own address (per-address limits of one client never touch another). */
    Http client() throws Exception {
        int n = IPS.incrementAndGet();
        return new Http(vertx, app, "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255)).withCsrf();
    }

    static HttpResponse<Buffer> ok(HttpResponse<Buffer> r, int status) {
        if (r.statusCode() != status) throw new AssertionError("expected " + status + " but got " + r.statusCode() + ": " + r.bodyAsString());
        return r;
    }

    String path(String url) {
        return url.startsWith(app.origin) ? url.substring(app.origin.length()) : url;
    }

    /** Sign-up, e-mail verification and login of a new owner with their own workspace. */
    User signUp(String label) throws Exception {
        return signUp(label, label + "-" + System.nanoTime() + "@example.com");
    }

    User signUp(String label, String email) throws Exception {
        Http h = client();
        ok(h.post("/api/v1/signup", new JsonObject().put("acceptPrivacy", true).put("name", "Owner " + label).put("email", email).put("password", PASSWORD)
                .put("business", label + " Salon")), 202);
        Map<String, String> q = TestApp.query(linkIn(email, "Confirm your e-mail"));
        ok(h.post("/api/v1/verify-email", new JsonObject().put("u", q.get("u")).put("t", q.get("t"))), 200);
        ok(h.post("/api/v1/login", new JsonObject().put("email", email).put("password", PASSWORD)), 200);
        String id = ok(h.get("/api/v1/account"), 200).bodyAsJsonObject().getString("id");
        return new User(h, email, id, Role.OWNER);
    }

    /** Turns on two-factor authentication for {@code u} in its current session; returns the TOTP secret. */
    String enableMfa(User u) throws Exception {
        String secret = ok(u.http().post("/api/v1/account/mfa/start", new JsonObject()), 200).bodyAsJsonObject().getString("secret");
        ok(u.http().post("/api/v1/account/mfa/confirm", new JsonObject().put("code", Totp.code(secret, Totp.step()))), 200);
        return secret;
    }

    /** A fresh session (own cookie jar and address) of an existing user. */
    Http login(User u) throws Exception {
        Http h = client();
        ok(h.post("/api/v1/login", new JsonObject().put("email", u.email()).put("password", PASSWORD)), 200);
        return h;
    }

    /** The id of the session {@code h} holds. */
    static String currentSessionId(Http h) throws Exception {
        for (Object o : ok(h.get("/api/v1/account/sessions"), 200).bodyAsJsonArray()) {
            JsonObject s = (JsonObject) o;
            if (s.getBoolean("current")) return s.getString("id");
        }
        throw new AssertionError("no current session");
    }

    Side side(String label) throws Exception {
        User owner = signUp(label);
        Side s = new Side(this, label, owner);
        s.build();
        return s;
    }

    /**
     * The newest link in a mail to {@code to} whose subject contains {@code subject}. Reads each outbox file once (the
     * matrix sends thousands of mails; re-reading the whole outbox per lookup would dominate its run time).
     */
    String linkIn(String to, String subject) throws java.io.IOException {
        List<String> names;
        try (var files = java.nio.file.Files.list(app.dataDir.resolve("outbox"))) {
            names = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted(java.util.Comparator.reverseOrder()).toList();
        }
        for (String n : names) {
            JsonObject m = mails.get(n);
            if (m == null) {
                m = new JsonObject(java.nio.file.Files.readString(app.dataDir.resolve("outbox").resolve(n), StandardCharsets.UTF_8));
                mails.put(n, m);
            }
            if (to.equalsIgnoreCase(m.getString("to")) && m.getString("subject").contains(subject)) {
                java.util.regex.Matcher x = java.util.regex.Pattern.compile("https://\\S+").matcher(m.getString("body"));
                if (x.find()) return x.group();
            }
        }
        throw new AssertionError("no mail '" + subject + "' to " + to);
    }

    /** An id of the same shape as {@code real} (prefix, length, alphabet) that names nothing. */
    static String missingLike(String real) {
        int cut = real.indexOf('_');
        String prefix = cut > 0 && cut <= 5 ? real.substring(0, cut + 1) : "";
        String rest = real.substring(prefix.length());
        boolean hex = rest.matches("[0-9a-f]+");
        String alphabet = hex ? "0123456789abcdef" : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        StringBuilder b = new StringBuilder(prefix);
        for (int i = 0; i < rest.length(); i++) b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        return b.toString();
    }

    @Override
    public void close() throws Exception {
        if (oauth != null) oauth.close();
        if (stripe != null) stripe.close();
        if (ownsApp && app != null) app.close();
        if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** One workspace with a member of every role and one record of every kind. */
    static final class Side {
        final AdversarialWorld w;
        final String label;
        final User owner;
        final String ws;
        final Map<Role, User> users = new EnumMap<>(Role.class);
        String service;
        String customer;
        String appointment;
        String invoice;
        String invoiceToken;
        String file;
        String invite;
        String apiKey;
        String connection;
        String bookingToken;
        String publicAppointment;
        String manageToken;
        String victimMember;
        User victim;
        private int dayOffset = 1;
        final List<String> freshIds = new ArrayList<>();

        Side(AdversarialWorld w, String label, User owner) throws Exception {
            this.w = w;
            this.label = label;
            this.owner = owner;
            this.ws = ok(owner.http().get("/api/v1/workspaces"), 200).bodyAsJsonArray().getJsonObject(0).getString("id");
            users.put(Role.OWNER, owner);
        }

        String api(String p) {
            return "/api/v1/workspaces/" + ws + p;
        }

        Http o() {
            return owner.http();
        }

        void build() throws Exception {
            ok(o().put(api("/profile"), new JsonObject().put("timeZone", ZONE.getId()).put("currency", "EUR")), 200);
            service = ok(o().post(api("/services"), serviceBody()), 201).bodyAsJsonObject().getString("id");
            ok(o().put(api("/staff/" + owner.id() + "/hours"), hoursBody()), 200);
            bookingToken = TestApp.query(ok(o().post(api("/booking-link"), new JsonObject()), 200).bodyAsJsonObject().getString("url")).get("t");
            customer = newCustomer();
            for (Role r : List.of(Role.ADMIN, Role.STAFF, Role.ACCOUNTANT, Role.VIEWER)) users.put(r, member(r));
            appointment = newAppointment();
            invoice = newSentInvoice();
            invoiceToken = newInvoiceToken(invoice);
            file = newFile();
            invite = newInvite();
            apiKey = newApiKey();
            connection = newConnection();
            String[] pub = newPublicAppointment();
            publicAppointment = pub[0];
            manageToken = pub[1];
            victim = w.signUp(label + "-victim");
            victimMember = victimMembership();
        }

        static JsonObject serviceBody() {
            return new JsonObject().put("name", "Haircut").put("durationMinutes", 30).put("bufferMinutes", 10).put("price", "45.00").put("currency", "EUR");
        }

        static JsonObject hoursBody() {
            return new JsonObject().put("hours", "mon 08:00-20:00\ntue 08:00-20:00\nwed 08:00-20:00\nthu 08:00-20:00\nfri 08:00-20:00\n"
                    + "sat 08:00-20:00\nsun 08:00-20:00");
        }

        private User member(Role role) throws Exception {
            String email = label + "-" + role.name().toLowerCase() + "-" + System.nanoTime() + "@example.com";
            ok(o().post(api("/invites"), new JsonObject().put("email", email).put("role", role.name().toLowerCase())), 201);
            Map<String, String> q = TestApp.query(w.linkIn(email, "You are invited"));
            Http h = w.client();
            ok(h.post("/api/v1/invites/accept", new JsonObject().put("acceptPrivacy", true).put("w", q.get("w")).put("i", q.get("i")).put("t", q.get("t"))
                    .put("name", "Member " + role).put("password", PASSWORD)), 200);
            ok(h.post("/api/v1/login", new JsonObject().put("email", email).put("password", PASSWORD)), 200);
            String id = ok(h.get("/api/v1/account"), 200).bodyAsJsonObject().getString("id");
            return new User(h, email, id, role);
        }

            /** This side's victim user as a viewer of this workspace (invited and accepted with their session). */
        synchronized String victimMembership() throws Exception {
            User v = victim;
            for (Object o : ok(o().get(api("/members")), 200).bodyAsJsonArray()) {
                if (v.id().equals(((JsonObject) o).getString("id"))) return v.id();
            }
            ok(o().post(api("/invites"), new JsonObject().put("email", v.email()).put("role", "viewer")), 201);
            Map<String, String> q = TestApp.query(w.linkIn(v.email(), "You are invited"));
            ok(v.http().post("/api/v1/invites/accept", new JsonObject().put("w", q.get("w")).put("i", q.get("i")).put("t", q.get("t"))), 200);
            return v.id();
        }

        String newCustomer() throws Exception {
            return track(ok(o().post(api("/customers"), new JsonObject().put("name", "Private Person").put("email", "pp-" + System.nanoTime() + "@example.org")
                    .put("phone", "+49 30 1234 5678").put("notes", "secret notes of " + label)), 201).bodyAsJsonObject().getString("id"));
        }

        /** A free start time of the owner for the service, one new day at a time as days fill up. */
        synchronized String freeSlot() throws Exception {
            for (int tries = 0; tries < 400; tries++) {
                LocalDate d = LocalDate.now(ZONE).plusDays(dayOffset);
                JsonArray slots = ok(o().get(api("/availability?serviceId=" + service + "&staffMemberId=" + owner.id() + "&date=" + d)), 200).bodyAsJsonArray();
                if (!slots.isEmpty()) return slots.getString(0);
                dayOffset++;
            }
            throw new AssertionError("no free slot in " + dayOffset + " days");
        }

        synchronized String newAppointment() throws Exception {
            String slot = freeSlot();
            return track(ok(o().post(api("/appointments"), new JsonObject().put("serviceId", service).put("staffMemberId", owner.id())
                    .put("customerId", customer).put("start", slot)), 201).bodyAsJsonObject().getString("id"));
        }

        String newDraftInvoice() throws Exception {
            return track(ok(o().post(api("/invoices"), new JsonObject().put("customerId", customer).put("currency", "EUR").put("lines",
                    new JsonArray().add(new JsonObject().put("description", "Consultation").put("quantity", 1).put("unitMinor", 1000).put("taxBp", 1900)))), 201)
                    .bodyAsJsonObject().getString("id"));
        }

        String newSentInvoice() throws Exception {
            String id = newDraftInvoice();
            ok(o().post(api("/invoices/" + id + "/send"), new JsonObject()), 200);
            return id;
        }

        String newInvoiceToken(String inv) throws Exception {
            return TestApp.query(ok(o().post(api("/invoices/" + inv + "/share"), new JsonObject()), 200).bodyAsJsonObject().getString("url")).get("t");
        }

        String newFile() throws Exception {
            return track(ok(o().post(api("/files"), new JsonObject().put("subjectType", "customer").put("subjectId", customer).put("name", "notes.txt")
                    .put("contentType", "text/plain").put("content", Base64.getEncoder().encodeToString(("notes of " + label).getBytes(StandardCharsets.UTF_8)))), 201)
                    .bodyAsJsonObject().getString("id"));
        }

        String newInvite() throws Exception {
            return track(ok(o().post(api("/invites"), new JsonObject().put("email", "pending-" + System.nanoTime() + "@example.com").put("role", "viewer")), 201)
                    .bodyAsJsonObject().getString("id"));
        }

        String newApiKey() throws Exception {
            return track(ok(o().post(api("/api-keys"), new JsonObject().put("label", "matrix").put("scope", "read_only")), 201).bodyAsJsonObject().getString("id"));
        }

        /** An OAuth connection of the owner: authorization code + PKCE through the local provider. */
        String newConnection() throws Exception {
            String authorize = ok(o().post(api("/connections/calendar/start"), new JsonObject()), 200).bodyAsJsonObject().getString("authorizeUrl");
            WebClient provider = WebClient.create(w.vertx, new WebClientOptions().setFollowRedirects(false));
            try {
                HttpResponse<Buffer> consent = provider.getAbs(authorize).send().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                ok(o().get(w.path(consent.getHeader("Location"))), 303);
            } finally {
                provider.close();
            }
            List<String> ids = new ArrayList<>();
            for (Object c : ok(o().get(api("/connections")), 200).bodyAsJsonArray()) ids.add(((JsonObject) c).getString("id"));
            ids.removeAll(freshIds);
            if (ids.isEmpty()) throw new AssertionError("the connection was not made");
            return track(ids.get(0));
        }

        /** A booking link valid now (re-enables booking if a matrix cell disabled it). */
        String newBookingToken() throws Exception {
            return TestApp.query(ok(o().post(api("/booking-link"), new JsonObject()), 200).bodyAsJsonObject().getString("url")).get("t");
        }

        /** Books through the public page and reads the customer's manage link from the mail: {appointment id, token}. */
        synchronized String[] newPublicAppointment() throws Exception {
            String slot = freeSlot();
            String email = "cust-" + System.nanoTime() + "@example.org";
            ok(w.client().post("/book/" + ws, new JsonObject().put("acceptPrivacy", true).put("t", newBookingToken()).put("serviceId", service).put("staffMemberId", owner.id())
                    .put("start", slot).put("name", "Cora Customer").put("email", email)), 201);
            String manage = w.linkIn(email, "Your appointment");
            String id = manage.substring(manage.indexOf("/apt_") + 1, manage.indexOf('?'));
            return new String[] {track(id), TestApp.query(manage).get("t")};
        }

        /**
         * A security key of {@code user}, written straight to the credential table: registering one takes an
         * authenticator (SecurityKeyBrowserIT has one); listing and removing never read the key material.
         */
        String newSecurityKey(User user) throws Exception {
            byte[] raw = new byte[16];
            RANDOM.nextBytes(raw);
            String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            try (java.sql.Connection c = w.app.ownerConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO bulwark_auth_webauthn_credential (credential_id, user_id, name, attested_credential, sign_count, user_verified, created_at) "
                            + "VALUES (?, ?, 'matrix key', 'AA', 0, FALSE, ?)")) {
                ps.setString(1, id);
                ps.setString(2, user.id());
                ps.setLong(3, System.currentTimeMillis());
                ps.executeUpdate();
            }
            return track(id);
        }

        /** The observable state of one record, read by the owner (sessions: by their user), to prove a foreign cell changed nothing. */
        String state(String kind, String id, User user) throws Exception {
            HttpResponse<Buffer> r = switch (kind) {
                case "customer" -> o().get(api("/customers/" + id));
                case "appointment" -> o().get(api("/appointments/" + id));
                case "invoice" -> o().get(api("/invoices/" + id));
                case "file" -> o().get(api("/files/" + id));
                case "member" -> o().get(api("/members/" + id));
                case "invite" -> o().get(api("/invites"));
                case "apiKey" -> o().get(api("/api-keys"));
                case "connection" -> o().get(api("/connections"));
                case "session" -> user.http().get("/api/v1/account/sessions");
                case "securityKey" -> user.http().get("/api/v1/account/mfa/webauthn/keys");
                default -> throw new IllegalArgumentException(kind);
            };
            if (r.statusCode() != 200) return r.statusCode() + " (no such " + kind + ")";
            String body = r.bodyAsString();
            if (body.startsWith("[")) {
                for (Object o : new JsonArray(body)) {
                    JsonObject j = (JsonObject) o;
                    if (id.equals(j.getString("id"))) {
                        j.remove("lastSeenAt");
                        j.remove("current");
                        return j.encode();
                    }
                }
                return "absent from the list of " + kind + "s";
            }
            return body;
        }

        private String track(String id) {
            synchronized (freshIds) {
                freshIds.add(id);
            }
            return id;
        }
    }
}
