package dev.bulwark.app;

import dev.bulwark.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** End-to-end over real HTTPS (Vert.x WebClient) against the app started on one database kind. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AppEndToEnd {
    static final String PASSWORD = "correct horse battery staple 42";
    private static final AtomicInteger IPS = new AtomicInteger(10);
    TestApp app;
    Vertx vertx;

    abstract TestDatabase.Kind kind();

    @BeforeAll
    void start() throws Exception {
        app = TestApp.start(kind(), Map.of());
        vertx = Vertx.vertx();
    }

    @AfterAll
    void stop() throws Exception {
        if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (app != null) app.close();
    }

    /** A new client with its own address, so per-address limits of one test never touch another. */
    Http client() throws Exception {
        return new Http(vertx, app, "198.51.100." + IPS.incrementAndGet()).withCsrf();
    }

    record Account(Http http, String email, String userId, String workspace) {}

    /** Sign-up → e-mail verification → login, through the JSON API. */
    Account signedUp(String label) throws Exception {
        Http h = client();
        String email = label + "-" + System.nanoTime() + "@example.com";
        HttpResponse<Buffer> r = h.post("/api/v1/signup", new JsonObject().put("acceptPrivacy", true).put("name", "Ada " + label).put("email", email)
                .put("password", PASSWORD).put("business", label + " Studio"));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
        Map<String, String> q = TestApp.query(app.linkIn(email, "Confirm your e-mail"));
        assertThat(h.post("/api/v1/verify-email", new JsonObject().put("u", q.get("u")).put("t", q.get("t"))).statusCode()).isEqualTo(200);
        r = h.post("/api/v1/login", new JsonObject().put("email", email).put("password", PASSWORD));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("signed_in");
        JsonArray ws = h.get("/api/v1/workspaces").bodyAsJsonArray();
        assertThat(ws).hasSize(1);
        String id = h.get("/api/v1/account").bodyAsJsonObject().getString("id");
        return new Account(h, email, id, ws.getJsonObject(0).getString("id"));
    }

    @Test
    void signUpVerifyLoginMfaApiKeyLogoutFlowWorks() throws Exception {
        Http h = client();
        String email = "flow-" + System.nanoTime() + "@example.com";
        HttpResponse<Buffer> r = h.post("/api/v1/signup", new JsonObject().put("acceptPrivacy", true).put("name", "Flow Owner").put("email", email)
                .put("password", PASSWORD).put("business", "Flow Studio"));
        assertThat(r.statusCode()).isEqualTo(202);
        // Not verified yet: the right password still does not open a session.
        r = h.post("/api/v1/login", new JsonObject().put("email", email).put("password", PASSWORD));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("email_not_verified");

        Map<String, String> q = TestApp.query(app.linkIn(email, "Confirm your e-mail"));
        assertThat(h.post("/api/v1/verify-email", new JsonObject().put("u", q.get("u")).put("t", q.get("t"))).statusCode()).isEqualTo(200);
        r = h.post("/api/v1/verify-email", new JsonObject().put("u", q.get("u")).put("t", q.get("t")));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("link_already_used");

        r = h.post("/api/v1/login", new JsonObject().put("email", email).put("password", PASSWORD));
        assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("signed_in");
        assertThat(h.cookies).containsKey("__Host-bw_session");
        assertThat(r.cookies()).anySatisfy(c -> assertThat(c).startsWith("__Host-bw_session=").contains("Secure").contains("HTTPOnly")
                .contains("SameSite=Lax").contains("Path=/"));
        String ws = h.get("/api/v1/workspaces").bodyAsJsonArray().getJsonObject(0).getString("id");

        // MFA enrolment: secret + URI, then a code from an independent TOTP implementation.
        JsonObject enrol = h.post("/api/v1/account/mfa/start", new JsonObject()).bodyAsJsonObject();
        String secret = enrol.getString("secret");
        assertThat(enrol.getString("otpauthUri")).startsWith("otpauth://totp/");
        r = h.post("/api/v1/account/mfa/confirm", new JsonObject().put("code", "000000".equals(Totp.code(secret, Totp.step())) ? "111111" : "000000"));
        assertThat(r.statusCode()).isEqualTo(400);
        r = h.post("/api/v1/account/mfa/confirm", new JsonObject().put("code", Totp.code(secret, Totp.step())));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        assertThat(r.bodyAsJsonObject().getJsonArray("recoveryCodes")).hasSize(10);
        assertThat(app.mailsTo(email)).anySatisfy(m -> assertThat(m.getString("subject")).contains("Two-factor authentication is on"));

        assertThat(h.post("/api/v1/logout", new JsonObject()).statusCode()).isEqualTo(200);
        assertThat(h.get("/api/v1/account").statusCode()).isEqualTo(401);

        // Login now needs the second factor.
        r = h.post("/api/v1/login", new JsonObject().put("email", email).put("password", PASSWORD));
        assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("mfa_required");
        assertThat(h.get("/api/v1/account").statusCode()).isEqualTo(401);
        r = h.post("/api/v1/login/mfa", new JsonObject().put("code", "12345x"));
        assertThat(r.statusCode()).isEqualTo(400);
        r = h.post("/api/v1/login/mfa", new JsonObject().put("code", Totp.code(secret, Totp.step() + 1)));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        assertThat(h.get("/api/v1/account").bodyAsJsonObject().getBoolean("mfaEnabled")).isTrue();

        // API key: shown once, then works as a bearer token in its own workspace only.
        r = h.post("/api/v1/workspaces/" + ws + "/api-keys", new JsonObject().put("label", "export").put("scope", "read_only"));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
        String key = r.bodyAsJsonObject().getString("key");
        JsonArray listed = h.get("/api/v1/workspaces/" + ws + "/api-keys").bodyAsJsonArray();
        assertThat(listed.encode()).doesNotContain(key).contains(key.substring(key.length() - 4));
        Http bot = Http.anonymous(vertx, app, "198.51.100.250");
        bot.bearer = key;
        r = bot.get("/api/v1/workspaces/" + ws + "/members");
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        assertThat(r.bodyAsJsonArray().getJsonObject(0).getString("email")).isEqualTo(email);
        r = bot.post("/api/v1/workspaces/" + ws + "/invites", new JsonObject().put("email", "x@example.com").put("role", "staff"));
        assertThat(r.statusCode()).as("read-only key cannot write").isEqualTo(403);
        assertThat(bot.get("/api/v1/account").statusCode()).as("API keys do not reach account routes").isEqualTo(401);

        assertThat(h.post("/api/v1/logout", new JsonObject()).statusCode()).isEqualTo(200);
        assertThat(h.get("/api/v1/workspaces").statusCode()).isEqualTo(401);
    }

    @Test
    void lockoutAfterTenFailuresRefusesEvenTheRightPasswordAndTellsTheOwner() throws Exception {
        Account a = signedUp("lock");
        Http attacker = client();
        for (int i = 0; i < 10; i++) {
            HttpResponse<Buffer> r = attacker.post("/api/v1/login", new JsonObject().put("email", a.email()).put("password", "wrong password " + i));
            assertThat(r.statusCode()).isEqualTo(401);
        }
        HttpResponse<Buffer> r = attacker.post("/api/v1/login", new JsonObject().put("email", a.email()).put("password", PASSWORD));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(attacker.cookies).doesNotContainKey("__Host-bw_session");
        assertThat(app.mailsTo(a.email())).anySatisfy(m -> assertThat(m.getString("subject")).isEqualTo("Your account was locked"));
        // The lockout and the failures are in the workspace's suspicious-activity view.
        JsonArray sus = a.http().get("/api/v1/workspaces/" + a.workspace() + "/audit?suspicious=1").bodyAsJsonArray();
        assertThat(sus.stream().map(o -> ((JsonObject) o).getString("action"))).contains("account.locked", "login.failed");
    }

    @Test
    void loginFloodFromOneAddressAnswers429WithRetryAfter() throws Exception {
        Http h = client();
        HttpResponse<Buffer> last = null;
        for (int i = 0; i < 40; i++) {
            last = h.post("/api/v1/login", new JsonObject().put("email", "nobody" + i + "@example.com").put("password", "guess " + i));
            if (last.statusCode() == 429) break;
            assertThat(last.statusCode()).isEqualTo(401);
        }
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(last.getHeader("Retry-After"))).isPositive();
        assertThat(last.bodyAsJsonObject().getString("error")).isEqualTo("rate_limited");
    }

    @Test
    void passwordResetAnswersTheSameForUnknownAddressesAndIsRateLimited() throws Exception {
        Account a = signedUp("reset");
        Http h = client();
        HttpResponse<Buffer> known = h.post("/api/v1/password/forgot", new JsonObject().put("email", a.email()));
        HttpResponse<Buffer> unknown = h.post("/api/v1/password/forgot", new JsonObject().put("email", "ghost-" + System.nanoTime() + "@example.com"));
        assertThat(known.statusCode()).isEqualTo(unknown.statusCode()).isEqualTo(202);
        assertThat(known.bodyAsString()).isEqualTo(unknown.bodyAsString());
        Map<String, String> q = TestApp.query(app.linkIn(a.email(), "Reset your password"));
        HttpResponse<Buffer> r = h.post("/api/v1/password/reset", new JsonObject().put("u", q.get("u")).put("t", q.get("t")).put("password", "short"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.bodyAsJsonObject().getJsonObject("fields").containsKey("password")).isTrue();
        r = h.post("/api/v1/password/reset", new JsonObject().put("u", q.get("u")).put("t", q.get("t")).put("password", PASSWORD + " new"));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        assertThat(a.http().get("/api/v1/account").statusCode()).as("reset ends every session").isEqualTo(401);
        for (int i = 0; i < 5; i++) r = h.post("/api/v1/password/forgot", new JsonObject().put("email", a.email()));
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.getHeader("Retry-After")).isNotBlank();
    }

    @Test
    void signUpWithATakenAddressAnswersTheSameAndWarnsTheOwner() throws Exception {
        Account a = signedUp("dup");
        Http h = client();
        HttpResponse<Buffer> r = h.post("/api/v1/signup", new JsonObject().put("acceptPrivacy", true).put("name", "Mallory").put("email", a.email().toUpperCase())
                .put("password", "another long pass phrase 99").put("business", "Copycat"));
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("check_your_inbox");
        assertThat(app.mailsTo(a.email())).anySatisfy(m -> assertThat(m.getString("subject")).contains("Someone tried to create an account"));
        assertThat(h.post("/api/v1/login", new JsonObject().put("email", a.email()).put("password", "another long pass phrase 99")).statusCode())
                .as("the existing account is untouched").isEqualTo(401);
        assertThat(a.http().get("/api/v1/workspaces").bodyAsJsonArray()).hasSize(1);
    }

    @Test
    void memberOfWorkspaceAGets404ForEveryIdOfWorkspaceB() throws Exception {
        Account a = signedUp("alpha");
        Account b = signedUp("beta");
        String keyB = b.http().post("/api/v1/workspaces/" + b.workspace() + "/api-keys", new JsonObject().put("label", "b").put("scope", "read_write"))
                .bodyAsJsonObject().getString("id");
        String inviteB = b.http().post("/api/v1/workspaces/" + b.workspace() + "/invites", new JsonObject().put("email", "i@example.com").put("role", "viewer"))
                .bodyAsJsonObject().getString("id");
        Http ha = a.http();
        for (HttpResponse<Buffer> r : new HttpResponse[]{
                ha.get("/api/v1/workspaces/" + b.workspace()),
                ha.get("/api/v1/workspaces/" + b.workspace() + "/members"),
                ha.get("/api/v1/workspaces/" + b.workspace() + "/members/" + b.userId()),
                ha.get("/api/v1/workspaces/" + a.workspace() + "/members/" + b.userId()),
                ha.get("/api/v1/workspaces/" + b.workspace() + "/audit"),
                ha.get("/api/v1/workspaces/" + b.workspace() + "/settings/security"),
                ha.delete("/api/v1/workspaces/" + b.workspace() + "/api-keys/" + keyB),
                ha.delete("/api/v1/workspaces/" + a.workspace() + "/api-keys/" + keyB),
                ha.delete("/api/v1/workspaces/" + a.workspace() + "/invites/" + inviteB),
                ha.delete("/api/v1/workspaces/" + b.workspace() + "/members/" + b.userId())}) {
            assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(404);
            assertThat(r.bodyAsString()).doesNotContain(b.email()).doesNotContain("beta");
        }
        // B's key still works: nothing of A's requests changed B.
        assertThat(b.http().get("/api/v1/workspaces/" + b.workspace() + "/api-keys").bodyAsJsonArray().getJsonObject(0).getString("revokedAt")).isNull();
    }

    @Test
    void deletingAWorkspaceNeedsItsOwnerAndConfirmationAndShredsItsKeys() throws Exception {
        Account a = signedUp("doomed");
        Account b = signedUp("bystander");
        String path = "/api/v1/workspaces/" + a.workspace() + "/delete";
        var keyring = app.app.services().keys().keyring();
        var dataKeys = dev.bulwark.crypto.KeysetName.workspace(dev.bulwark.crypto.KeyPurpose.WORKSPACE_DATA, a.workspace());
        String secret = keyring.workspaceFields(a.workspace()).encrypt("kept until shredded",
                dev.bulwark.crypto.FieldContext.of(a.workspace(), "t", "c", "r"));

        HttpResponse<Buffer> foreign = b.http().post(path, new JsonObject().put("confirm", a.workspace()));
        assertThat(foreign.statusCode()).as("another workspace's owner learns nothing").isEqualTo(404);
        HttpResponse<Buffer> unconfirmed = a.http().post(path, new JsonObject().put("confirm", "something else"));
        assertThat(unconfirmed.statusCode()).isEqualTo(400);
        assertThat(unconfirmed.bodyAsString()).contains("confirm");
        assertThat(keyring.isDestroyed(dataKeys)).isFalse();

        HttpResponse<Buffer> done = a.http().post(path, new JsonObject().put("confirm", a.workspace()));
        assertThat(done.statusCode()).as(done.bodyAsString()).isEqualTo(200);
        assertThat(done.bodyAsJsonObject().getBoolean("keysDestroyed")).isTrue();
        assertThat(keyring.isDestroyed(dataKeys)).isTrue();
        assertThatThrownBy(() -> keyring.workspaceFields(a.workspace()).decrypt(secret,
                dev.bulwark.crypto.FieldContext.of(a.workspace(), "t", "c", "r"))).isInstanceOf(dev.bulwark.crypto.KeyDestroyedException.class);
        assertThat(a.http().get("/api/v1/workspaces/" + a.workspace()).statusCode()).isEqualTo(404);
        assertThat(a.http().post(path, new JsonObject().put("confirm", a.workspace())).statusCode()).isEqualTo(404);
        // the other workspace is untouched
        assertThat(b.http().get("/api/v1/workspaces/" + b.workspace()).statusCode()).isEqualTo(200);
    }

    @Test
    void plainHttpRedirectsPagesAndRefusesEverythingElse() throws Exception {
        WebClient plain = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
        HttpResponse<Buffer> r = plain.get(app.httpPort(), "localhost", "/login?x=1").send().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(301);
        assertThat(r.getHeader("Location")).isEqualTo(app.origin + "/login?x=1");
        r = plain.post(app.httpPort(), "localhost", "/api/v1/login").sendJsonObject(new JsonObject().put("email", "a@b.c"))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("https_required");
        // Relayed by a configured TLS-terminating proxy (loopback in these tests): served as the app.
        r = plain.get(app.httpPort(), "localhost", "/health/live").putHeader("X-Forwarded-Proto", "https")
                .send().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.getHeader("Strict-Transport-Security")).isNotBlank();
    }

    @Test
    void tls12OnlyClientIsRefused() {
        WebClient old = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.2")));
        assertThatThrownBy(() -> old.get(app.httpsPort(), "localhost", "/health/live").send().toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    @Test
    void securityHeadersArePresentOnPagesAndApi() throws Exception {
        Http h = client();
        for (String path : new String[]{"/login", "/api/v1/csrf", "/does-not-exist"}) {
            HttpResponse<Buffer> r = h.get(path);
            assertThat(r.getHeader("Strict-Transport-Security")).contains("max-age=");
            assertThat(r.getHeader("Content-Security-Policy")).contains("frame-ancestors 'none'").contains("script-src 'self'").doesNotContain("unsafe-inline");
            assertThat(r.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(r.getHeader("Referrer-Policy")).isNotBlank();
        }
        String page = h.get("/login").bodyAsString();
        assertThat(page).doesNotContain("<script").doesNotContain("style=").contains("href=\"/SECURITY.md\"");
    }

    @Test
    void stateChangingRequestsNeedTheSameOriginAndTheCsrfToken() throws Exception {
        Http h = client();
        String token = h.csrf;
        h.csrf = null;
        HttpResponse<Buffer> r = h.post("/api/v1/password/forgot", new JsonObject().put("email", "a@example.com"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("csrf_token");
        h.csrf = token + "x";
        assertThat(h.post("/api/v1/password/forgot", new JsonObject().put("email", "a@example.com")).statusCode()).isEqualTo(403);
        h.csrf = token;
        var req = h.client.post("/api/v1/password/forgot").putHeader("Origin", "https://evil.example").putHeader("X-CSRF-Token", token)
                .putHeader("Cookie", "__Host-bw_csrf=" + h.cookies.get("__Host-bw_csrf")).putHeader("X-Forwarded-For", h.clientIp);
        r = req.sendJsonObject(new JsonObject().put("email", "a@example.com")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("csrf_origin");
        assertThat(h.post("/api/v1/password/forgot", new JsonObject().put("email", "a@example.com")).statusCode()).isEqualTo(202);
    }

    @Test
    void invalidInputGetsFieldErrorsAndOversizedBodiesAre413() throws Exception {
        Http h = client();
        HttpResponse<Buffer> r = h.post("/api/v1/signup", new JsonObject().put("name", "").put("email", "not-an-email").put("password", "abc").put("business", ""));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.bodyAsJsonObject().getJsonObject("fields").fieldNames()).contains("name", "email", "password", "business", "acceptPrivacy");
        assertThat(r.bodyAsString()).doesNotContain("Exception").doesNotContain("at dev.");
        var raw = h.client.post("/api/v1/signup").putHeader("Origin", h.origin).putHeader("X-CSRF-Token", h.csrf)
                .putHeader("Cookie", "__Host-bw_csrf=" + h.cookies.get("__Host-bw_csrf")).putHeader("Content-Type", "application/json");
        r = raw.sendBuffer(Buffer.buffer("{\"name\": [}")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("malformed_json");
        String big = "x".repeat(70_000);
        r = h.post("/api/v1/signup", new JsonObject().put("name", big));
        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void ipAllowlistShutsOutOtherAddressesForSessionsAndApiKeys() throws Exception {
        Account a = signedUp("allow");
        String key = a.http().post("/api/v1/workspaces/" + a.workspace() + "/api-keys", new JsonObject().put("label", "k").put("scope", "read_only"))
                .bodyAsJsonObject().getString("key");
        HttpResponse<Buffer> r = a.http().put("/api/v1/workspaces/" + a.workspace() + "/settings/security",
                new JsonObject().put("ipAllowlist", "192.0.2.0/24"));
        assertThat(r.statusCode()).as("refuses to lock the caller out").isEqualTo(400);
        r = a.http().put("/api/v1/workspaces/" + a.workspace() + "/settings/security", new JsonObject().put("ipAllowlist", a.http().clientIp + "/32"));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        assertThat(a.http().get("/api/v1/workspaces/" + a.workspace() + "/members").statusCode()).isEqualTo(200);
        Http elsewhere = Http.anonymous(vertx, app, "203.0.113.9");
        elsewhere.bearer = key;
        r = elsewhere.get("/api/v1/workspaces/" + a.workspace() + "/members");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("ip_not_allowed");
        Http here = Http.anonymous(vertx, app, a.http().clientIp);
        here.bearer = key;
        assertThat(here.get("/api/v1/workspaces/" + a.workspace() + "/members").statusCode()).isEqualTo(200);
    }

    @Test
    void teamInviteAcceptRoleChangeAndRemovalEndAccess() throws Exception {
        Account owner = signedUp("team");
        String email = "staff-" + System.nanoTime() + "@example.com";
        assertThat(owner.http().post("/api/v1/workspaces/" + owner.workspace() + "/invites", new JsonObject().put("email", email).put("role", "staff"))
                .statusCode()).isEqualTo(201);
        Map<String, String> q = TestApp.query(app.linkIn(email, "You are invited"));
        Http staff = client();
        HttpResponse<Buffer> r = staff.post("/api/v1/invites/accept", new JsonObject().put("acceptPrivacy", true).put("w", q.get("w")).put("i", q.get("i")).put("t", q.get("t"))
                .put("name", "Sam Staff").put("password", PASSWORD));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        r = staff.post("/api/v1/invites/accept", new JsonObject().put("acceptPrivacy", true).put("w", q.get("w")).put("i", q.get("i")).put("t", q.get("t"))
                .put("name", "Sam Staff").put("password", PASSWORD));
        assertThat(r.statusCode()).as("single use").isEqualTo(400);
        assertThat(staff.post("/api/v1/login", new JsonObject().put("email", email).put("password", PASSWORD)).statusCode()).isEqualTo(200);
        assertThat(staff.get("/api/v1/workspaces/" + owner.workspace()).statusCode()).isEqualTo(200);
        assertThat(staff.get("/api/v1/workspaces/" + owner.workspace() + "/members").statusCode()).as("staff cannot list members").isEqualTo(403);
        String staffId = staff.get("/api/v1/account").bodyAsJsonObject().getString("id");
        assertThat(owner.http().put("/api/v1/workspaces/" + owner.workspace() + "/members/" + staffId + "/role", new JsonObject().put("role", "viewer"))
                .statusCode()).isEqualTo(204);
        assertThat(staff.get("/api/v1/workspaces/" + owner.workspace() + "/members").statusCode()).isEqualTo(200);
        assertThat(owner.http().delete("/api/v1/workspaces/" + owner.workspace() + "/members/" + staffId).statusCode()).isEqualTo(204);
        assertThat(staff.get("/api/v1/workspaces/" + owner.workspace()).statusCode()).isIn(401, 404);
        assertThat(staff.get("/api/v1/account").statusCode()).as("their only workspace: sessions ended").isEqualTo(401);
    }

    @Test
    void sensitiveChangesNeedRecentReauthenticationAndSessionsCanBeRevoked() throws Exception {
        Account a = signedUp("sess");
        Http second = client();
        assertThat(second.post("/api/v1/login", new JsonObject().put("email", a.email()).put("password", PASSWORD)).statusCode()).isEqualTo(200);
        JsonArray sessions = a.http().get("/api/v1/account/sessions").bodyAsJsonArray();
        assertThat(sessions).hasSize(2);
        assertThat(sessions.getJsonObject(0).getString("ip")).isNotBlank();
        r(a.http().post("/api/v1/account/password", new JsonObject().put("current", PASSWORD).put("password", PASSWORD + "!")), 200);
        assertThat(second.get("/api/v1/account").statusCode()).as("password change ends other sessions").isEqualTo(401);
        assertThat(app.mailsTo(a.email())).anySatisfy(m -> assertThat(m.getString("subject")).isEqualTo("Your password was changed"));
        assertThat(a.http().get("/api/v1/account").statusCode()).isEqualTo(200);
    }

    @Test
    void securityTxtFollowsRfc9116() throws Exception {
        String txt = client().get("/.well-known/security.txt").bodyAsString();
        assertThat(txt).contains("Contact: mailto:").contains("Expires: ").contains("Policy: ").contains("Preferred-Languages: en");
        assertThat(client().get("/api/openapi.yaml").bodyAsString()).contains("openapi: 3").contains("/api/v1/workspaces/{ws}/api-keys");
        assertThat(client().get("/health/ready").bodyAsJsonObject().getString("status")).isEqualTo("UP");
    }

    @Test
    void auditExportIsAnIntactChainThatVerifiesOffline() throws Exception {
        Account a = signedUp("audit");
        a.http().post("/api/v1/workspaces/" + a.workspace() + "/invites", new JsonObject().put("email", "x@example.com").put("role", "viewer"));
        HttpResponse<Buffer> r = a.http().get("/api/v1/workspaces/" + a.workspace() + "/audit/export.jsonl");
        assertThat(r.statusCode()).isEqualTo(200);
        String jsonl = r.bodyAsString();
        assertThat(jsonl).contains("workspace.created").contains("member.invited").doesNotContain(PASSWORD);
        var report = app.app.services().audit().log().verifier().verifyExport(new java.io.StringReader(jsonl), null);
        assertThat(report.intact()).as(report.toString()).isTrue();
        assertThat(report.entriesVerified()).isGreaterThanOrEqualTo(3);
        var tampered = app.app.services().audit().log().verifier().verifyExport(new java.io.StringReader(jsonl.replace("member.invited", "member.invitee")), null);
        assertThat(tampered.intact()).isFalse();
    }

    @Test
    void openApiDocumentMatchesTheApiRoutes() throws Exception {
        String yaml = client().get("/api/openapi.yaml").bodyAsString();
        java.util.Set<String> documented = OpenApiPaths.operations(yaml);
        java.util.Set<String> served = new java.util.TreeSet<>();
        for (String r : app.app.routes()) if (r.contains(" /api/v1/")) served.add(r);
        assertThat(served).hasSizeGreaterThan(30).contains("POST /api/v1/login", "DELETE /api/v1/workspaces/{ws}/api-keys/{id}");
        assertThat(documented).as("served but not documented").containsAll(served);
        assertThat(served).as("documented but not served").containsAll(documented.stream().filter(x -> x.contains(" /api/v1/")).toList());
    }

    @Test
    void housekeepingForgetsEndedSessions() throws Exception {
        Account a = signedUp("house");
        assertThat(sessionMetaRows(a.userId())).isEqualTo(1);
        assertThat(a.http().post("/api/v1/logout", new JsonObject()).statusCode()).isEqualTo(200);
        dev.bulwark.app.platform.Housekeeping.run(app.app.services());
        assertThat(sessionMetaRows(a.userId())).isZero();
    }

    private long sessionMetaRows(String userId) throws Exception {
        try (var c = app.app.services().db().dataSource().getConnection();
             var ps = c.prepareStatement("SELECT count(*) FROM app_session_meta WHERE user_id = ?")) {
            ps.setString(1, userId);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void r(HttpResponse<Buffer> r, int status) {
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    }
}
