package dev.bulwark.app;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import dev.bulwark.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.InetAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Enterprise sign-in end to end over real HTTPS against the app on one database kind: a local OpenID Provider
 * ({@link SsoTestIdentityProvider}) and an in-memory UnboundID directory that offers StartTLS, both with a
 * test-made certificate that the workspace trusts through its configured CA.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SsoEndToEnd {
    static final String PASSWORD = "correct horse battery staple 42";
    static final String STAFF_GROUP = "cn=staff,ou=groups,dc=corp,dc=example";
    private static final AtomicInteger IPS = new AtomicInteger(10);
    TestApp app;
    Vertx vertx;
    SsoTestIdentityProvider idp;
    SsoTestTls ldapTls;
    InMemoryDirectoryServer directory;

    abstract TestDatabase.Kind kind();

    @BeforeAll
    void start() throws Exception {
        // The local identity provider and directory run on localhost: the only host SSO may reach (ASVS 12.6.1).
        app = TestApp.start(kind(), Map.of("BULWARK_OUTBOUND_ALLOWLIST", "localhost"));
        vertx = Vertx.vertx();
        idp = new SsoTestIdentityProvider();
        ldapTls = SsoTestTls.localhost();
        InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig("dc=corp,dc=example");
        cfg.setSchema(null);
        cfg.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("starttls", InetAddress.getByName("127.0.0.1"), 0,
                ldapTls.server.getSocketFactory()));
        directory = new InMemoryDirectoryServer(cfg);
        directory.add("dn: dc=corp,dc=example", "objectClass: top", "objectClass: domain", "dc: corp");
        directory.add("dn: ou=people,dc=corp,dc=example", "objectClass: organizationalUnit", "ou: people");
        directory.add("dn: cn=svc,dc=corp,dc=example", "objectClass: person", "cn: svc", "sn: svc", "userPassword: svc-directory-secret");
        directory.add("dn: uid=lena,ou=people,dc=corp,dc=example", "objectClass: person", "uid: lena", "cn: Lena", "sn: Lind",
                "mail: lena@corp.example", "userPassword: lena-directory-password", "memberOf: " + STAFF_GROUP);
        directory.startListening();
    }

    @AfterAll
    void stop() throws Exception {
        if (directory != null) directory.shutDown(true);
        if (idp != null) idp.close();
        if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (app != null) app.close();
    }

    Http client() throws Exception {
        return new Http(vertx, app, "203.0.113." + IPS.incrementAndGet()).withCsrf();
    }

    record Account(Http http, String email, String userId, String workspace) {}

    Account signedUp(String email) throws Exception {
        Http h = client();
        HttpResponse<Buffer> r = h.post("/api/v1/signup", new JsonObject().put("acceptPrivacy", true).put("name", "Owen Owner").put("email", email)
                .put("password", PASSWORD).put("business", "SSO Studio"));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
        Map<String, String> q = TestApp.query(app.linkIn(email, "Confirm your e-mail"));
        assertThat(h.post("/api/v1/verify-email", new JsonObject().put("u", q.get("u")).put("t", q.get("t"))).statusCode()).isEqualTo(200);
        r = h.post("/api/v1/login", new JsonObject().put("email", email).put("password", PASSWORD));
        assertThat(r.bodyAsJsonObject().getString("status")).as(r.bodyAsString()).isEqualTo("signed_in");
        String ws = h.get("/api/v1/workspaces").bodyAsJsonArray().getJsonObject(0).getString("id");
        return new Account(h, email, h.get("/api/v1/account").bodyAsJsonObject().getString("id"), ws);
    }

    static String unique(String label) {
        return label + "-" + System.nanoTime() + "@corp.example";
    }

    JsonObject oidcSettings() throws Exception {
        return new JsonObject().put("oidcIssuer", idp.issuer).put("oidcClientId", SsoTestIdentityProvider.CLIENT_ID)
                .put("oidcClientSecret", SsoTestIdentityProvider.CLIENT_SECRET).put("oidcAllowedDomains", new JsonArray().add("corp.example"))
                .put("oidcJitRole", "staff").put("tlsCaPem", idp.tls.pem());
    }

    /** "Sign in with SSO": begin on the app, the provider's authorize endpoint, then the callback in the same browser. */
    HttpResponse<Buffer> ssoSignIn(Http browser, String ws, String email, String subject) throws Exception {
        idp.user = new SsoTestIdentityProvider.User(email, subject);
        HttpResponse<Buffer> r = browser.post("/sso/" + ws + "/oidc", new JsonObject());
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(303);
        String location = r.getHeader("Location");
        assertThat(location).startsWith(idp.issuer + "/authorize?");
        assertThat(browser.cookies).containsKey("__Host-bw_sso");
        assertThat(r.cookies()).anySatisfy(c -> assertThat(c).startsWith("__Host-bw_sso=").contains("Secure").contains("HTTPOnly")
                .contains("SameSite=Lax").contains("Path=/"));
        URI callback = idp.authorize(location);
        assertThat(callback.toString()).startsWith(app.origin + "/sso/" + ws + "/callback?");
        return browser.get(callback.getRawPath() + "?" + callback.getRawQuery());
    }

    JsonArray audit(Account owner, String action) throws Exception {
        HttpResponse<Buffer> r = owner.http().get("/api/v1/workspaces/" + owner.workspace() + "/audit?action=" + action);
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        return r.bodyAsJsonArray();
    }

    @Test
    void oidcSignInGivesASessionBoundToThatWorkspaceOnly() throws Exception {
        Account owner = signedUp(unique("owner"));
        HttpResponse<Buffer> r = owner.http().put("/api/v1/workspaces/" + owner.workspace() + "/settings/sso", oidcSettings());
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        JsonObject saved = r.bodyAsJsonObject();
        assertThat(saved.getJsonObject("oidc").getBoolean("clientSecretSet")).isTrue();
        assertThat(saved.encode()).doesNotContain(SsoTestIdentityProvider.CLIENT_SECRET).doesNotContain("bw1.");

        // Bob has his own account and workspace (password) and is invited to the owner's workspace as staff.
        Account bob = signedUp(unique("bob"));
        assertThat(owner.http().post("/api/v1/workspaces/" + owner.workspace() + "/invites", new JsonObject().put("email", bob.email())
                .put("role", "staff")).statusCode()).isEqualTo(201);
        Map<String, String> q = TestApp.query(app.linkIn(bob.email(), "You are invited"));
        assertThat(bob.http().post("/api/v1/invites/accept", new JsonObject().put("w", q.get("w")).put("i", q.get("i")).put("t", q.get("t"))
                .put("name", "Bob").put("password", PASSWORD)).statusCode()).isEqualTo(200);

        Http browser = client();
        r = ssoSignIn(browser, owner.workspace(), bob.email(), "sub-bob");
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(303);
        assertThat(r.getHeader("Location")).isEqualTo("/w/" + owner.workspace());
        assertThat(r.cookies()).anySatisfy(c -> assertThat(c).startsWith("__Host-bw_session=").contains("Secure").contains("HTTPOnly")
                .contains("SameSite=Lax").contains("Path=/"));
        assertThat(browser.cookies).containsKey("__Host-bw_session").doesNotContainKey("__Host-bw_sso");
        assertThat(browser.get("/api/v1/account").bodyAsJsonObject().getString("id")).isEqualTo(bob.userId());
        assertThat(browser.get("/api/v1/workspaces/" + owner.workspace()).statusCode()).isEqualTo(200);
        assertThat(browser.get("/api/v1/workspaces/" + bob.workspace()).statusCode())
                .as("the owner's provider does not vouch for Bob's other workspace").isEqualTo(404);
        assertThat(browser.post("/api/v1/account/email", new JsonObject().put("email", "evil@example.com")).statusCode())
                .as("an SSO session is no re-authentication for account changes").isEqualTo(403);
        assertThat(bob.http().get("/api/v1/workspaces/" + bob.workspace()).statusCode()).as("his password session still works").isEqualTo(200);

        // Just-in-time membership for a new address of an allowed domain; another domain is refused.
        Http newcomer = client();
        String carol = unique("carol");
        assertThat(ssoSignIn(newcomer, owner.workspace(), carol, "sub-carol").statusCode()).isEqualTo(303);
        JsonArray members = owner.http().get("/api/v1/workspaces/" + owner.workspace() + "/members").bodyAsJsonArray();
        assertThat(members.stream().map(JsonObject.class::cast).filter(m -> carol.equals(m.getString("email"))).findFirst().orElseThrow()
                .getString("role")).isEqualTo("staff");
        Http foreign = client();
        r = ssoSignIn(foreign, owner.workspace(), "mallory@elsewhere.example", "sub-mallory");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(foreign.cookies).doesNotContainKey("__Host-bw_session");

        // A replayed callback (same state) does not sign in again.
        Http replay = client();
        idp.user = new SsoTestIdentityProvider.User(bob.email(), "sub-bob");
        String loc = replay.post("/sso/" + owner.workspace() + "/oidc", new JsonObject()).getHeader("Location");
        URI cb = idp.authorize(loc);
        assertThat(replay.get(cb.getRawPath() + "?" + cb.getRawQuery()).statusCode()).isEqualTo(303);
        Http thief = client();
        thief.cookies.put("__Host-bw_sso", "stolen-or-guessed");
        assertThat(thief.get(cb.getRawPath() + "?" + cb.getRawQuery()).statusCode()).isEqualTo(401);
        assertThat(thief.cookies).doesNotContainKey("__Host-bw_session");

        assertThat(audit(owner, "sso.login.succeeded")).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(e -> assertThat(((JsonObject) e).getJsonObject("details").getString("method")).isEqualTo("oidc"));
        assertThat(audit(owner, "sso.settings_changed")).hasSize(1);
        assertThat(audit(owner, "sso.member_provisioned")).hasSize(1);
    }

    @Test
    void rejectedIdTokensGiveNoSessionAndAreAudited() throws Exception {
        Account owner = signedUp(unique("reject"));
        assertThat(owner.http().put("/api/v1/workspaces/" + owner.workspace() + "/settings/sso", oidcSettings()).statusCode()).isEqualTo(200);
        try {
            for (SsoTestIdentityProvider.Tamper t : new SsoTestIdentityProvider.Tamper[]{SsoTestIdentityProvider.Tamper.WRONG_AUDIENCE,
                    SsoTestIdentityProvider.Tamper.BAD_SIGNATURE, SsoTestIdentityProvider.Tamper.EXPIRED}) {
                idp.tamper = t;
                Http browser = client();
                HttpResponse<Buffer> r = ssoSignIn(browser, owner.workspace(), owner.email(), "sub-owner");
                assertThat(r.statusCode()).as(t + ": " + r.bodyAsString()).isEqualTo(401);
                assertThat(r.bodyAsString()).contains("Sign-in refused");
                assertThat(browser.cookies).as(t.name()).doesNotContainKey("__Host-bw_session");
                assertThat(browser.get("/api/v1/account").statusCode()).isEqualTo(401);
            }
        } finally {
            idp.tamper = SsoTestIdentityProvider.Tamper.NONE;
        }
        JsonArray failed = audit(owner, "sso.login.failed");
        assertThat(failed.stream().map(e -> ((JsonObject) e).getJsonObject("details").getString("reason")))
                .contains("WRONG_AUDIENCE", "BAD_SIGNATURE", "EXPIRED");
        assertThat(failed).allSatisfy(e -> assertThat(((JsonObject) e).getBoolean("suspicious")).isTrue());
        assertThat(audit(owner, "sso.login.succeeded")).isEmpty();
    }

    @Test
    void requireSsoBlocksPasswordLoginForMembersAndOwnersBreakGlassNeedsMfa() throws Exception {
        Account owner = signedUp(unique("enforce"));
        String ws = owner.workspace();
        assertThat(owner.http().put("/api/v1/workspaces/" + ws + "/settings/sso", oidcSettings()).statusCode()).isEqualTo(200);
        String memberEmail = unique("member");
        assertThat(owner.http().post("/api/v1/workspaces/" + ws + "/invites", new JsonObject().put("email", memberEmail).put("role", "staff"))
                .statusCode()).isEqualTo(201);
        Map<String, String> q = TestApp.query(app.linkIn(memberEmail, "You are invited"));
        Http member = client();
        assertThat(member.post("/api/v1/invites/accept", new JsonObject().put("acceptPrivacy", true).put("w", q.get("w")).put("i", q.get("i")).put("t", q.get("t"))
                .put("name", "Mia Member").put("password", PASSWORD)).statusCode()).isEqualTo(200);
        assertThat(member.post("/api/v1/login", new JsonObject().put("email", memberEmail).put("password", PASSWORD)).statusCode()).isEqualTo(200);
        assertThat(member.get("/api/v1/workspaces/" + ws).statusCode()).isEqualTo(200);

        // An owner without MFA cannot switch it on: the break-glass path would be closed to them.
        HttpResponse<Buffer> r = owner.http().put("/api/v1/workspaces/" + ws + "/settings/sso", new JsonObject().put("requireSso", true));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
        assertThat(r.bodyAsJsonObject().getJsonObject("fields").getString("requireSso")).contains("lock you out");
        String secret = owner.http().post("/api/v1/account/mfa/start", new JsonObject()).bodyAsJsonObject().getString("secret");
        assertThat(owner.http().post("/api/v1/account/mfa/confirm", new JsonObject().put("code", Totp.code(secret, Totp.step()))).statusCode()).isEqualTo(200);
        r = owner.http().put("/api/v1/workspaces/" + ws + "/settings/sso", new JsonObject().put("requireSso", true));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        assertThat(r.bodyAsJsonObject().getBoolean("requireSso")).isTrue();

        // The member's password session ended; password login is refused before the password is compared.
        assertThat(member.get("/api/v1/workspaces/" + ws).statusCode()).isEqualTo(401);
        for (String pw : new String[]{PASSWORD, "a wrong password entirely 99"}) {
            Http m = client();
            r = m.post("/api/v1/login", new JsonObject().put("email", memberEmail).put("password", pw));
            assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(403);
            assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("sso_required");
            assertThat(m.cookies).doesNotContainKey("__Host-bw_session");
        }
        Http viaSso = client();
        assertThat(ssoSignIn(viaSso, ws, memberEmail, "sub-mia").statusCode()).isEqualTo(303);
        assertThat(viaSso.get("/api/v1/workspaces/" + ws).statusCode()).isEqualTo(200);

        // Owner break-glass: password alone gives no session, password + TOTP does, and it is audited as suspicious.
        Http glass = client();
        r = glass.post("/api/v1/login", new JsonObject().put("email", owner.email()).put("password", PASSWORD));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("mfa_required");
        assertThat(glass.get("/api/v1/account").statusCode()).isEqualTo(401);
        r = glass.post("/api/v1/login/mfa", new JsonObject().put("code", Totp.code(secret, Totp.step() + 1)));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        assertThat(glass.get("/api/v1/workspaces/" + ws).statusCode()).isEqualTo(200);
        JsonArray breakGlass = audit(owner, "sso.break_glass");
        assertThat(breakGlass).hasSize(1);
        assertThat(breakGlass.getJsonObject(0).getBoolean("suspicious")).isTrue();
        assertThat(audit(owner, "sso.settings_changed")).hasSize(2);

        // Without MFA an owner's password no longer opens the workspace, nor signs in.
        assertThat(glass.post("/api/v1/account/mfa/disable", new JsonObject()).statusCode()).isEqualTo(200);
        r = glass.get("/api/v1/workspaces/" + ws);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("sso_required");
        r = client().post("/api/v1/login", new JsonObject().put("email", owner.email()).put("password", PASSWORD));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("sso_required");
    }

    @Test
    void ldapSignInOverStartTlsMapsGroupsToRolesAndCountsFailures() throws Exception {
        Account owner = signedUp(unique("ldap"));
        String ws = owner.workspace();
        JsonObject ldap = new JsonObject().put("ldapHost", "localhost").put("ldapPort", directory.getListenPort("starttls"))
                .put("ldapTransport", "starttls").put("ldapBindDn", "cn=svc,dc=corp,dc=example").put("ldapServicePassword", "svc-directory-secret")
                .put("ldapUserBase", "ou=people,dc=corp,dc=example")
                .put("ldapGroupRoles", new JsonArray().add("staff: " + STAFF_GROUP).add("accountant: cn=finance,ou=groups,dc=corp,dc=example"))
                .put("tlsCaPem", ldapTls.pem());
        HttpResponse<Buffer> r = owner.http().put("/api/v1/workspaces/" + ws + "/settings/sso", ldap.copy().put("ldapTransport", "plain"));
        assertThat(r.statusCode()).as("no plain LDAP").isEqualTo(400);
        r = owner.http().put("/api/v1/workspaces/" + ws + "/settings/sso", ldap);
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        assertThat(r.bodyAsString()).doesNotContain("svc-directory-secret");

        Http u = client();
        r = u.post("/api/v1/sso/" + ws + "/ldap", new JsonObject().put("username", "lena").put("password", "not her password"));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(401);
        assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("sso_rejected");
        r = u.post("/api/v1/sso/" + ws + "/ldap", new JsonObject().put("username", "nobody").put("password", "whatever it is"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(u.cookies).doesNotContainKey("__Host-bw_session");

        r = u.post("/api/v1/sso/" + ws + "/ldap", new JsonObject().put("username", "lena").put("password", "lena-directory-password"));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        assertThat(u.cookies).containsKey("__Host-bw_session");
        assertThat(u.get("/api/v1/workspaces/" + ws).statusCode()).isEqualTo(200);
        assertThat(u.get("/api/v1/account").bodyAsJsonObject().getString("email")).isEqualTo("lena@corp.example");
        JsonArray members = owner.http().get("/api/v1/workspaces/" + ws + "/members").bodyAsJsonArray();
        assertThat(members.stream().map(JsonObject.class::cast).filter(m -> "lena@corp.example".equals(m.getString("email"))).findFirst()
                .orElseThrow().getString("role")).as("cn=staff maps to staff").isEqualTo("staff");

        assertThat(audit(owner, "sso.login.succeeded")).singleElement()
                .satisfies(e -> assertThat(((JsonObject) e).getJsonObject("details").getString("method")).isEqualTo("ldap"));
        assertThat(audit(owner, "sso.login.failed").stream().map(e -> ((JsonObject) e).getJsonObject("details").getString("reason")))
                .containsExactlyInAnyOrder("INVALID_CREDENTIALS", "INVALID_CREDENTIALS");
    }

    @Test
    void onlyOwnersAndAdminsConfigureSsoAndTheFormHasNoInlineScript() throws Exception {
        Account owner = signedUp(unique("perm"));
        String ws = owner.workspace();
        String staffEmail = unique("staff");
        assertThat(owner.http().post("/api/v1/workspaces/" + ws + "/invites", new JsonObject().put("email", staffEmail).put("role", "staff"))
                .statusCode()).isEqualTo(201);
        Map<String, String> q = TestApp.query(app.linkIn(staffEmail, "You are invited"));
        Http staff = client();
        assertThat(staff.post("/api/v1/invites/accept", new JsonObject().put("acceptPrivacy", true).put("w", q.get("w")).put("i", q.get("i")).put("t", q.get("t"))
                .put("name", "Sam").put("password", PASSWORD)).statusCode()).isEqualTo(200);
        assertThat(staff.post("/api/v1/login", new JsonObject().put("email", staffEmail).put("password", PASSWORD)).statusCode()).isEqualTo(200);
        assertThat(staff.get("/api/v1/workspaces/" + ws + "/settings/sso").statusCode()).isEqualTo(403);
        assertThat(staff.put("/api/v1/workspaces/" + ws + "/settings/sso", oidcSettings()).statusCode()).isEqualTo(403);
        assertThat(client().put("/api/v1/workspaces/" + ws + "/settings/sso", oidcSettings()).statusCode()).isEqualTo(401);

        HttpResponse<Buffer> page = owner.http().get("/w/" + ws + "/settings/sso");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.bodyAsString()).contains("sso-settings-form").contains("/sso/" + ws + "/callback").doesNotContain("<script")
                .doesNotContain("onclick").doesNotContain("style=");
        assertThat(page.getHeader("Content-Security-Policy")).contains("script-src 'self'");
        assertThat(owner.http().get("/w/" + ws).bodyAsString()).contains("/w/" + ws + "/settings/sso");
        assertThat(client().get("/login").bodyAsString()).contains("href=\"/sso\"");
        assertThat(client().get("/sso/" + ws).statusCode()).as("nothing configured yet").isEqualTo(404);
        assertThat(owner.http().put("/api/v1/workspaces/" + ws + "/settings/sso", oidcSettings()).statusCode()).isEqualTo(200);
        HttpResponse<Buffer> signIn = client().get("/sso/" + ws);
        assertThat(signIn.statusCode()).isEqualTo(200);
        assertThat(signIn.bodyAsString()).contains("sso-oidc-form").doesNotContain("<script");
    }
}
