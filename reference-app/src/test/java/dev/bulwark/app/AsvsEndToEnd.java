package dev.bulwark.app;

import dev.bulwark.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end proofs of the OWASP ASVS 4.0.3 Level 2 requirements that ASVS.md lists against this class (administration
 * behind MFA, refused access audited, OTP secrets stored as ciphertext, upload quotas), on one database kind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AsvsEndToEnd {
    static final String PASSWORD = "correct horse battery staple 42";
    private static final AtomicInteger IPS = new AtomicInteger(10);
    TestApp app;
    Vertx vertx;

    abstract TestDatabase.Kind kind();

    /** Options the app under test starts with, beyond TestApp's (small upload quotas, so a test can reach them). */
    Map<String, String> options() {
        return Map.of("BULWARK_UPLOAD_QUOTA_FILES", "3", "BULWARK_UPLOAD_QUOTA_BYTES", "4000",
                "BULWARK_PLATFORM_ADMINS", "admin@example.com,second-admin@example.com");
    }

    @BeforeAll
    void start() throws Exception {
        app = TestApp.start(kind(), options());
        vertx = Vertx.vertx();
    }

    @AfterAll
    void stop() throws Exception {
        if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (app != null) app.close();
    }

    record Account(Http http, String email, String userId, String workspace) {}

    Http client() throws Exception {
        return new Http(vertx, app, "203.0.113." + IPS.incrementAndGet()).withCsrf();
    }

    static HttpResponse<Buffer> ok(HttpResponse<Buffer> r, int status) {
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
        return r;
    }

    Account signedUp(String label, String email) throws Exception {
        Http h = client();
        ok(h.post("/api/v1/signup", new JsonObject().put("acceptPrivacy", true).put("name", "Ada " + label).put("email", email).put("password", PASSWORD)
                .put("business", label + " Studio")), 202);
        Map<String, String> q = TestApp.query(app.linkIn(email, "Confirm your e-mail"));
        ok(h.post("/api/v1/verify-email", new JsonObject().put("u", q.get("u")).put("t", q.get("t"))), 200);
        ok(h.post("/api/v1/login", new JsonObject().put("email", email).put("password", PASSWORD)), 200);
        String ws = ok(h.get("/api/v1/workspaces"), 200).bodyAsJsonArray().getJsonObject(0).getString("id");
        String id = ok(h.get("/api/v1/account"), 200).bodyAsJsonObject().getString("id");
        return new Account(h, email, id, ws);
    }

    Account signedUp(String label) throws Exception {
        return signedUp(label, label + "-" + System.nanoTime() + "@example.com");
    }

    /** Enrols TOTP in the account's session; returns the base32 secret. */
    static String enableMfa(Http h) throws Exception {
        String secret = ok(h.post("/api/v1/account/mfa/start", new JsonObject()), 200).bodyAsJsonObject().getString("secret");
        ok(h.post("/api/v1/account/mfa/confirm", new JsonObject().put("code", Totp.code(secret, Totp.step()))), 200);
        return secret;
    }

    /** The platform administrator (TestApp lists admin@example.com), created once, with MFA on. */
    private Account admin;

    Account admin() throws Exception {
        if (admin == null) {
            admin = signedUp("admin", "admin@example.com");
            enableMfa(admin.http());
        }
        return admin;
    }

    /** Platform audit entries with {@code action}, read through the administrator's export. */
    List<JsonObject> platformAudit(String action) throws Exception {
        String jsonl = ok(admin().http().get("/admin/audit/export.jsonl"), 200).bodyAsString();
        List<JsonObject> out = new ArrayList<>();
        for (String line : jsonl.split("\n")) {
            if (line.isBlank()) continue;
            JsonObject o = new JsonObject(line);
            if (action.equals(o.getString("action"))) out.add(o);
        }
        return out;
    }

    // ------------------------------------------------------------------ V4.3.1

    @Test
    void administrationPagesNeedTheAdministratorsSecondFactorAndStayHiddenFromOthers() throws Exception {
        Account stranger = signedUp("not-admin");
        for (String page : List.of("/admin/audit", "/admin/audit/export.jsonl", "/admin/ops")) {
            assertThat(stranger.http().get(page).statusCode()).as(page + " for a user who is not an administrator").isEqualTo(404);
            assertThat(client().get(page).statusCode()).as(page + " anonymous").isEqualTo(303);
        }
        // An administrator without two-factor authentication is sent to turn it on, and sees nothing.
        Account a = signedUp("admin-no-mfa", "second-admin@example.com");
        for (String page : List.of("/admin/audit", "/admin/audit/export.jsonl", "/admin/ops")) {
            HttpResponse<Buffer> r = a.http().get(page);
            assertThat(r.statusCode()).as(page).isEqualTo(303);
            assertThat(r.getHeader("Location")).isEqualTo("/account/mfa?required=1");
        }
        enableMfa(a.http());
        for (String page : List.of("/admin/audit", "/admin/audit/export.jsonl", "/admin/ops")) {
            assertThat(a.http().get(page).statusCode()).as(page + " with MFA on").isEqualTo(200);
        }
    }

    // ------------------------------------------------------------------ V7.2.2

    @Test
    void refusedWorkspaceAccessIsAuditedAsSuspiciousForForeignAndMissingWorkspacesAlike() throws Exception {
        Account owner = signedUp("victim");
        Account intruder = signedUp("intruder");
        String missing = owner.workspace().substring(0, owner.workspace().length() - 4) + "zzzz";
        int before = platformAudit("access.denied").size();
        HttpResponse<Buffer> foreign = intruder.http().get("/api/v1/workspaces/" + owner.workspace() + "/customers");
        HttpResponse<Buffer> absent = intruder.http().get("/api/v1/workspaces/" + missing + "/customers");
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(absent.statusCode()).isEqualTo(404);
        assertThat(foreign.bodyAsString()).isEqualTo(absent.bodyAsString());

        List<JsonObject> denied = platformAudit("access.denied");
        assertThat(denied).hasSize(before + 2);
        for (JsonObject e : denied.subList(before, denied.size())) {
            assertThat(e.getString("actor_id")).isEqualTo(intruder.userId());
            assertThat(e.getString("outcome")).isEqualTo("DENIED");
            assertThat(e.getBoolean("suspicious")).isTrue();
            assertThat(e.getJsonObject("details").getString("reason")).isEqualTo("NOT_A_MEMBER");
        }
        assertThat(denied.subList(before, denied.size())).extracting(e -> e.getJsonObject("details").getString("workspace"))
                .containsExactly(owner.workspace(), missing);
        // The owner's own requests are not refused and leave no such entry.
        ok(owner.http().get("/api/v1/workspaces/" + owner.workspace() + "/customers"), 200);
        assertThat(platformAudit("access.denied")).hasSize(before + 2);
    }

    // ------------------------------------------------------------------ V2.8.2

    @Test
    void totpSecretIsStoredOnlyAsCiphertextBoundToItsAccount() throws Exception {
        Account a = signedUp("otp-store");
        String secret = enableMfa(a.http());
        String stored;
        try (Connection c = app.ownerConnection(); PreparedStatement ps = c.prepareStatement("SELECT mfa_secret FROM app_users WHERE id = ?")) {
            ps.setString(1, a.userId());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                stored = rs.getString(1);
            }
        }
        assertThat(stored).startsWith("bw1.");
        assertThat(stored.toUpperCase(java.util.Locale.ROOT)).doesNotContain(secret.toUpperCase(java.util.Locale.ROOT));
        // Copying the ciphertext onto another account's row does not give that account the secret: the value is bound to its row.
        Account other = signedUp("otp-copy");
        try (Connection c = app.ownerConnection(); PreparedStatement ps = c.prepareStatement("UPDATE app_users SET mfa_secret = ?, mfa_enabled = TRUE WHERE id = ?")) {
            ps.setString(1, stored);
            ps.setString(2, other.userId());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        Http h = client();
        HttpResponse<Buffer> r = ok(h.post("/api/v1/login", new JsonObject().put("email", other.email()).put("password", PASSWORD)), 200);
        assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("mfa_required");
        r = h.post("/api/v1/login/mfa", new JsonObject().put("code", Totp.code(secret, Totp.step())));
        assertThat(r.statusCode()).as("the copied secret does not decrypt for another row: the code is refused").isEqualTo(400);
        assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("validation_failed");
        assertThat(h.get("/api/v1/account").statusCode()).isEqualTo(401);
    }

    // ------------------------------------------------------------------ V12.1.3

    HttpResponse<Buffer> upload(Account a, String customer, String name, int size) throws Exception {
        byte[] text = ("note " + name + " ").repeat(size).substring(0, size).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return a.http().post("/api/v1/workspaces/" + a.workspace() + "/files", new JsonObject().put("subjectType", "customer")
                .put("subjectId", customer).put("name", name).put("contentType", "text/plain")
                .put("content", java.util.Base64.getEncoder().encodeToString(text)));
    }

    @Test
    void uploadsStopAtTheMembersFileCountAndByteQuotaAndDeletingMakesRoom() throws Exception {
        // Quotas in options(): 3 files, 4000 bytes per member and workspace.
        Account a = signedUp("quota");
        String cust = ok(a.http().post("/api/v1/workspaces/" + a.workspace() + "/customers", new JsonObject().put("name", "Quinn")), 201)
                .bodyAsJsonObject().getString("id");
        String first = ok(upload(a, cust, "a.txt", 1000), 201).bodyAsJsonObject().getString("id");
        ok(upload(a, cust, "b.txt", 1000), 201);
        HttpResponse<Buffer> tooBig = upload(a, cust, "c.txt", 2001);
        assertThat(tooBig.statusCode()).as("2000 + 2001 bytes is over 4000").isEqualTo(413);
        assertThat(tooBig.bodyAsJsonObject().getString("error")).isEqualTo("upload_quota_exceeded");
        assertThat(tooBig.bodyAsJsonObject().getString("message")).contains("3 files").contains("4000 bytes").contains("Delete files");
        ok(upload(a, cust, "c.txt", 2000), 201); // exactly 4000 bytes: allowed
        HttpResponse<Buffer> fourth = upload(a, cust, "d.txt", 1);
        assertThat(fourth.statusCode()).as("a fourth file is over the count").isEqualTo(413);
        assertThat(ok(a.http().get("/api/v1/workspaces/" + a.workspace() + "/files?subjectType=customer&subjectId=" + cust), 200).bodyAsJsonArray())
                .as("refused uploads leave nothing behind").hasSize(3);
        // Another member's quota is their own: a second workspace owner uploads freely.
        Account b = signedUp("quota-other");
        String custB = ok(b.http().post("/api/v1/workspaces/" + b.workspace() + "/customers", new JsonObject().put("name", "Rory")), 201)
                .bodyAsJsonObject().getString("id");
        ok(upload(b, custB, "x.txt", 4000), 201);
        // Deleting a file gives its room back.
        assertThat(a.http().delete("/api/v1/workspaces/" + a.workspace() + "/files/" + first).statusCode()).isEqualTo(204);
        ok(upload(a, cust, "d.txt", 1000), 201);
    }

    @Test
    void concurrentUploadsCannotTogetherOvershootTheQuota() throws Exception {
        Account a = signedUp("quota-race");
        String cust = ok(a.http().post("/api/v1/workspaces/" + a.workspace() + "/customers", new JsonObject().put("name", "Sam")), 201)
                .bodyAsJsonObject().getString("id");
        List<java.util.concurrent.CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String name = "r" + i + ".txt";
            // One client per call (the same session and CSRF token): a client's cookie jar is not shared between threads.
            Http same = new Http(vertx, app, a.http().clientIp);
            same.cookies.putAll(a.http().cookies);
            same.csrf = a.http().csrf;
            Account twin = new Account(same, a.email(), a.userId(), a.workspace());
            calls.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return upload(twin, cust, name, 1500).statusCode();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<Integer> statuses = new ArrayList<>();
        for (var c : calls) statuses.add(c.get(60, TimeUnit.SECONDS));
        assertThat(statuses).allMatch(st -> st == 201 || st == 413);
        var kept = ok(a.http().get("/api/v1/workspaces/" + a.workspace() + "/files?subjectType=customer&subjectId=" + cust), 200).bodyAsJsonArray();
        assertThat(kept.size()).as("1500-byte files under a 4000-byte quota").isLessThanOrEqualTo(2);
        assertThat(statuses.stream().filter(st -> st == 201).count()).isEqualTo(kept.size());
    }

    // ------------------------------------------------------------------ V12.6.1

    @Test
    void singleSignOnCannotBePointedAtAHostTheOperatorDidNotAllow() throws Exception {
        // options() sets no BULWARK_OUTBOUND_ALLOWLIST: administrators may not send the server anywhere.
        Account owner = signedUp("ssrf");
        String path = "/api/v1/workspaces/" + owner.workspace() + "/settings/sso";
        HttpResponse<Buffer> r = owner.http().put(path, new JsonObject().put("oidcIssuer", "https://169.254.169.254/latest")
                .put("oidcClientId", "app").put("oidcClientSecret", "client-secret-value"));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
        assertThat(r.bodyAsJsonObject().getJsonObject("fields").getString("oidcIssuer"))
                .contains("169.254.169.254").contains("outbound allow list").contains("BULWARK_OUTBOUND_ALLOWLIST");
        r = owner.http().put(path, new JsonObject().put("ldapHost", "db.internal").put("ldapTransport", "ldaps")
                .put("ldapBindDn", "cn=svc,dc=corp").put("ldapServicePassword", "directory-secret").put("ldapUserBase", "dc=corp"));
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
        assertThat(r.bodyAsJsonObject().getJsonObject("fields").getString("ldapHost")).contains("db.internal").contains("outbound allow list");
        assertThat(r.bodyAsString()).doesNotContain("directory-secret").doesNotContain("client-secret-value");
        // Nothing was saved: the sign-in page of the workspace still has no SSO.
        assertThat(client().get("/sso/" + owner.workspace()).statusCode()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ V8.3.5

    @Test
    void readingCustomerRecordsIsAuditedForPeopleAndApiKeysAlike() throws Exception {
        Account a = signedUp("reads");
        String api = "/api/v1/workspaces/" + a.workspace();
        String cust = ok(a.http().post(api + "/customers", new JsonObject().put("name", "Vera Read").put("email", "vera-" + System.nanoTime() + "@example.org")
                .put("notes", "private note")), 201).bodyAsJsonObject().getString("id");
        ok(a.http().get(api + "/customers/" + cust), 200);
        ok(a.http().get("/w/" + a.workspace() + "/customers/" + cust), 200);
        ok(a.http().get(api + "/customers"), 200);
        String key = ok(a.http().post(api + "/api-keys", new JsonObject().put("label", "export").put("scope", "read_only")), 201)
                .bodyAsJsonObject().getString("key");
        Http bot = Http.anonymous(vertx, app, "203.0.113.250");
        bot.bearer = key;
        ok(bot.get(api + "/customers/" + cust), 200);

        io.vertx.core.json.JsonArray viewed = ok(a.http().get(api + "/audit?action=customer.viewed"), 200).bodyAsJsonArray();
        assertThat(viewed).hasSize(3);
        List<String> actors = new ArrayList<>();
        for (Object o : viewed) {
            JsonObject e = (JsonObject) o;
            assertThat(e.getString("targetId")).isEqualTo(cust);
            actors.add(e.getString("actor"));
        }
        assertThat(actors).filteredOn(x -> x.startsWith("member:")).hasSize(2);
        assertThat(actors).filteredOn(x -> x.startsWith("api_key:")).hasSize(1);
        io.vertx.core.json.JsonArray listed = ok(a.http().get(api + "/audit?action=customer.listed"), 200).bodyAsJsonArray();
        assertThat(listed).hasSize(1);
        assertThat(listed.getJsonObject(0).encode()).doesNotContain("private note").doesNotContain("vera-");
    }

    // ------------------------------------------------------------------ V2.8.5

    @Test
    void aReusedTwoFactorCodeIsRefusedAuditedAndTheOwnerIsTold() throws Exception {
        Account a = signedUp("otp-reuse");
        String secret = enableMfa(a.http());
        ok(a.http().post("/api/v1/logout", new JsonObject()), 200);
        String code = Totp.code(secret, Totp.step() + 1); // the enrolment used the current step
        Http first = client();
        assertThat(ok(first.post("/api/v1/login", new JsonObject().put("email", a.email()).put("password", PASSWORD)), 200)
                .bodyAsJsonObject().getString("status")).isEqualTo("mfa_required");
        ok(first.post("/api/v1/login/mfa", new JsonObject().put("code", code)), 200);

        Http second = client();
        ok(second.post("/api/v1/login", new JsonObject().put("email", a.email()).put("password", PASSWORD)), 200);
        HttpResponse<Buffer> r = second.post("/api/v1/login/mfa", new JsonObject().put("code", code));
        assertThat(r.statusCode()).as("the same code again").isEqualTo(400);
        assertThat(second.get("/api/v1/account").statusCode()).isEqualTo(401);
        assertThat(app.mailsTo(a.email())).anySatisfy(m -> assertThat(m.getString("subject")).isEqualTo("A sign-in code was used twice"));
        List<JsonObject> reused = platformAudit("login.mfa_code_reused");
        assertThat(reused).anySatisfy(e -> {
            assertThat(e.getString("target_id")).isEqualTo(a.userId());
            assertThat(e.getBoolean("suspicious")).isTrue();
        });
        // A wrong code is just wrong: no such mail.
        Http third = client();
        ok(third.post("/api/v1/login", new JsonObject().put("email", a.email()).put("password", PASSWORD)), 200);
        int mails = app.mailsTo(a.email()).size();
        String wrong = "000000".equals(Totp.code(secret, Totp.step())) ? "111111" : "000000";
        assertThat(third.post("/api/v1/login/mfa", new JsonObject().put("code", wrong)).statusCode()).isEqualTo(400);
        assertThat(app.mailsTo(a.email())).hasSize(mails);
    }

    // ------------------------------------------------------------------ V2.4.5

    String storedHash(String userId) throws Exception {
        try (Connection c = app.ownerConnection(); PreparedStatement ps = c.prepareStatement("SELECT password_hash FROM app_users WHERE id = ?")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    void storeHash(String userId, String hash) throws Exception {
        try (Connection c = app.ownerConnection(); PreparedStatement ps = c.prepareStatement("UPDATE app_users SET password_hash = ? WHERE id = ?")) {
            ps.setString(1, hash);
            ps.setString(2, userId);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    dev.bulwark.crypto.Keyring keyring() {
        return app.app.services().keys().keyring();
    }

    static final dev.bulwark.crypto.KeysetName PEPPER = dev.bulwark.crypto.KeysetName.of(dev.bulwark.crypto.KeyPurpose.PASSWORD_PEPPER);

    /** The PHC keyid naming pepper key {@code keyId}: Base64 of its 8 hex digits. */
    static String keyIdParameter(int keyId) {
        return "keyid=" + java.util.Base64.getEncoder().withoutPadding()
                .encodeToString(String.format("%08x", keyId).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Argon2id over {@code password} with the stored hash's own parameters and salt, and {@code secret} as Argon2's K (or none). */
    static String argon2idTag(String phc, String password, byte[] secret) {
        String[] f = phc.split("\\$");
        java.util.Map<String, String> p = new java.util.HashMap<>();
        for (String kv : f[3].split(",")) p.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        var b = new org.bouncycastle.crypto.params.Argon2Parameters.Builder(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
                .withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(Integer.parseInt(p.get("m")))
                .withIterations(Integer.parseInt(p.get("t"))).withParallelism(Integer.parseInt(p.get("p")))
                .withSalt(java.util.Base64.getDecoder().decode(f[4]));
        if (secret != null) b.withSecret(secret);
        var gen = new org.bouncycastle.crypto.generators.Argon2BytesGenerator();
        gen.init(b.build());
        byte[] tag = new byte[java.util.Base64.getDecoder().decode(f[5]).length];
        gen.generateBytes(password.getBytes(java.nio.charset.StandardCharsets.UTF_8), tag);
        return java.util.Base64.getEncoder().withoutPadding().encodeToString(tag);
    }

    @Test
    void newPasswordHashesCarryThePepperKeyAndADatabaseCopyAloneCannotTestAGuess() throws Exception {
        Account a = signedUp("pepper");
        String phc = storedHash(a.userId());
        int primary = keyring().info(PEPPER).primaryKeyId();
        assertThat(phc).startsWith("$argon2id$v=19$m=19456,t=2,p=1," + keyIdParameter(primary) + "$");
        String storedTag = phc.substring(phc.lastIndexOf('$') + 1);
        // Everything a database copy holds (parameters, salt, tag) and the right password: without the pepper, no match.
        assertThat(argon2idTag(phc, PASSWORD, null)).as("plain Argon2id, same parameters and salt").isNotEqualTo(storedTag);
        // With the pepper, which exists only in the keyset wrapped by the master key, it matches (computed outside the app).
        byte[] pepper = keyring().macKeys(dev.bulwark.crypto.KeyPurpose.PASSWORD_PEPPER)
                .tag(primary, "bulwark.app.password-pepper.v1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(argon2idTag(phc, PASSWORD, pepper)).isEqualTo(storedTag);
        assertThat(app.app.services().hasher().toString()).contains("pepper=" + String.format("%08x", primary))
                .doesNotContain(java.util.HexFormat.of().formatHex(pepper));
    }

    @Test
    void aLegacyHashWithoutPepperStillSignsInAndIsRehashedUnderThePepper() throws Exception {
        Account a = signedUp("pre-pepper");
        String legacy;
        try (var plain = dev.bulwark.auth.password.PasswordHasher.builder().threads(1).build()) {
            legacy = plain.hash(PASSWORD); // the same OWASP parameters, no pepper: as stored before this release
        }
        storeHash(a.userId(), legacy);
        assertThat(legacy).doesNotContain("keyid=");
        ok(client().post("/api/v1/login", new JsonObject().put("email", a.email()).put("password", PASSWORD)), 200);
        String upgraded = storedHash(a.userId());
        assertThat(upgraded).isNotEqualTo(legacy).contains("," + keyIdParameter(keyring().info(PEPPER).primaryKeyId()) + "$");
        assertThat(client().post("/api/v1/login", new JsonObject().put("email", a.email()).put("password", "wrong " + PASSWORD)).statusCode())
                .isEqualTo(401);
        ok(client().post("/api/v1/login", new JsonObject().put("email", a.email()).put("password", PASSWORD)), 200);
        assertThat(storedHash(a.userId())).as("already current: not rewritten again").isEqualTo(upgraded);
    }

    @Test
    void afterThePepperRotatesSignInWorksTheHashMovesAndTheOldKeyCannotGoWhileAHashNamesIt() throws Exception {
        Account moving = signedUp("pepper-rotation");
        Account dormant = signedUp("pepper-dormant");
        int oldKey = keyring().info(PEPPER).primaryKeyId();
        assertThat(storedHash(dormant.userId())).contains(keyIdParameter(oldKey));
        var s = app.app.services();
        var rotation = new dev.bulwark.app.keys.KeyRotation(s.db().dataSource(), s.db().postgres(), keyring(),
                s.config().dataDir.resolve("files"), s.audit(), java.time.Clock.systemUTC());

        var first = rotation.rotate(PEPPER, true, dev.bulwark.app.backup.Progress.NONE);
        int newKey = keyring().info(PEPPER).primaryKeyId();
        assertThat(newKey).isNotEqualTo(oldKey).isEqualTo(first.newPrimary());
        assertThat(first.clean()).as(first.summary()).isTrue();
        assertThat(first.oldKeysStillNamed()).contains(oldKey);
        assertThat(first.oldKeysDisabled()).isFalse();
        assertThat(first.note()).contains(String.format("%08x", oldKey)).contains("next sign-in");
        for (Runnable retire : new Runnable[] {() -> keyring().disableKey(PEPPER, oldKey, first.evidence()),
                () -> keyring().destroyKey(PEPPER, oldKey, first.evidence())}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(retire::run).isInstanceOfSatisfying(dev.bulwark.crypto.KeyringException.class,
                    e -> assertThat(e.reason()).isEqualTo(dev.bulwark.crypto.KeyringException.Reason.KEY_STILL_IN_USE));
        }

        // Sign-in works under the old pepper, and moves the hash to the new key.
        ok(client().post("/api/v1/login", new JsonObject().put("email", moving.email()).put("password", PASSWORD)), 200);
        assertThat(storedHash(moving.userId())).contains("," + keyIdParameter(newKey) + "$");
        // New accounts get the new key at once.
        assertThat(storedHash(signedUp("pepper-after").userId())).contains("," + keyIdParameter(newKey) + "$");

        // Running again resumes (no further key) and still keeps the old key: the dormant account's hash names it.
        var second = rotation.rotate(PEPPER, true, dev.bulwark.app.backup.Progress.NONE);
        assertThat(second.newPrimary()).isEqualTo(newKey);
        assertThat(keyring().info(PEPPER).keys()).hasSize(2).allMatch(dev.bulwark.crypto.KeysetInfo.Key::enabled);
        assertThat(second.oldKeysStillNamed()).contains(oldKey);
        assertThat(second.oldKeysDisabled()).isFalse();
        ok(client().post("/api/v1/login", new JsonObject().put("email", dormant.email()).put("password", PASSWORD)), 200);
        assertThat(storedHash(dormant.userId())).contains("," + keyIdParameter(newKey) + "$");
    }

    // ------------------------------------------------------------------ V8.3.3

    /** The account row's stored consent: [notice version, accepted at (epoch ms)], or null when there is no such account. */
    String[] storedAccountConsent(String email) throws Exception {
        try (Connection c = app.ownerConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT privacy_notice_version, privacy_accepted_at_ms FROM app_users WHERE email = ?")) {
            ps.setString(1, email.toLowerCase(java.util.Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
            }
        }
    }

    static void refusedForMissingConsent(HttpResponse<Buffer> r) {
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
        JsonObject body = r.bodyAsJsonObject();
        assertThat(body.getString("error")).isEqualTo("validation_failed");
        assertThat(body.getJsonObject("fields").getString("acceptPrivacy")).isEqualTo("Accept the privacy notice to continue.");
    }

    @Test
    void privacyNoticeIsPublicVersionedLinkedFromSignUpAndSaysWhatIsKeptWhyHowLongAndWhoProcessesIt() throws Exception {
        HttpResponse<Buffer> r = ok(Http.anonymous(vertx, app, "203.0.113.240").get("/privacy"), 200);
        assertThat(r.getHeader("Content-Type")).startsWith("text/html");
        assertThat(AdversarialWebChecksIT.htmlProblems("GET /privacy", r)).as("security headers, no inline script or style").isEmpty();
        String page = r.bodyAsString();
        assertThat(page).contains("<strong id=\"privacy-version\">" + dev.bulwark.app.privacy.PrivacyNotice.VERSION + "</strong>");
        // What is collected, why, how long, who processes it, how it is protected, how to ask for a copy or deletion.
        assertThat(page).contains("name and e-mail address", "customer", "booking page", "Uploads", "IP addresses", "audit log", "Cookies");
        assertThat(page).contains("Why");
        assertThat(page).contains("30 minutes without activity", "12 hours at most", "365 days", "30 days later", "tax law");
        assertThat(page).contains("Stripe", "never sees a card number", "mail sender");
        assertThat(page).contains("TLS 1.3", "encrypted");
        assertThat(page).contains("a copy of your account data", "deleted", "mailto:");
        // Linked from the sign-up page, whose opt-in box starts unticked, and from every page's footer.
        String signup = ok(client().get("/signup"), 200).bodyAsString();
        java.util.regex.Matcher box = java.util.regex.Pattern.compile("<input type=\"checkbox\" id=\"acceptPrivacy\"[^>]*>").matcher(signup);
        assertThat(box.find()).as("the sign-up form has the opt-in box").isTrue();
        assertThat(box.group()).contains("name=\"acceptPrivacy\"", "value=\"true\"").doesNotContain("checked");
        assertThat(signup).contains("href=\"/privacy\"");
        assertThat(ok(client().get("/login"), 200).bodyAsString()).contains("<a href=\"/privacy\" id=\"footer-privacy\">");
    }

    @Test
    void signUpWithoutThePrivacyOptInIsRefusedAndStoresNothingWithItTheVersionAndTimeAreStoredAndAudited() throws Exception {
        String email = "consent-" + System.nanoTime() + "@example.com";
        JsonObject body = new JsonObject().put("name", "Connie Consent").put("email", email).put("password", PASSWORD).put("business", "Consent Studio");
        Http h = client();
        refusedForMissingConsent(h.post("/api/v1/signup", body.copy()));
        refusedForMissingConsent(h.post("/api/v1/signup", body.copy().put("acceptPrivacy", false)));
        refusedForMissingConsent(h.post("/api/v1/signup", body.copy().put("acceptPrivacy", "yes please")));
        // The HTML form: the page again, with the error next to the box (still unticked).
        HttpResponse<Buffer> form = h.post("/signup", body.copy());
        assertThat(form.statusCode()).isEqualTo(400);
        assertThat(form.bodyAsString()).contains("id=\"acceptPrivacy-error\">Accept the privacy notice to continue.").doesNotContain(" checked");
        assertThat(storedAccountConsent(email)).as("no account without consent").isNull();

        long before = System.currentTimeMillis();
        ok(h.post("/api/v1/signup", body.copy().put("acceptPrivacy", true)), 202);
        long after = System.currentTimeMillis();
        String[] stored = storedAccountConsent(email);
        assertThat(stored).isNotNull();
        assertThat(stored[0]).isEqualTo(dev.bulwark.app.privacy.PrivacyNotice.VERSION);
        assertThat(Long.parseLong(stored[1])).isBetween(before, after);
        // A new account (the refused attempts left nothing behind that would make this look like a duplicate).
        assertThat(app.mailsTo(email)).extracting(m -> m.getString("subject")).contains("Confirm your e-mail address")
                .noneMatch(x -> x.contains("Someone tried"));
        Map<String, String> q = TestApp.query(app.linkIn(email, "Confirm your e-mail"));
        ok(h.post("/api/v1/verify-email", new JsonObject().put("u", q.get("u")).put("t", q.get("t"))), 200);
        ok(h.post("/api/v1/login", new JsonObject().put("email", email).put("password", PASSWORD)), 200);
        JsonObject account = ok(h.get("/api/v1/account"), 200).bodyAsJsonObject();
        assertThat(account.getJsonObject("privacyNotice").getString("version")).isEqualTo(dev.bulwark.app.privacy.PrivacyNotice.VERSION);
        String userId = account.getString("id");
        assertThat(platformAudit("privacy.accepted")).filteredOn(e -> userId.equals(e.getString("target_id"))).singleElement().satisfies(e -> {
            assertThat(e.getString("actor_id")).isEqualTo(userId);
            assertThat(e.getJsonObject("details").getString("notice_version")).isEqualTo(dev.bulwark.app.privacy.PrivacyNotice.VERSION);
        });
    }

    @Test
    void acceptingAnInvitationAsANewAccountNeedsThePrivacyOptInWhichIsStoredAndAudited() throws Exception {
        Account owner = signedUp("inviter");
        String email = "invitee-" + System.nanoTime() + "@example.com";
        ok(owner.http().post("/api/v1/workspaces/" + owner.workspace() + "/invites", new JsonObject().put("email", email).put("role", "staff")), 201);
        Map<String, String> q = TestApp.query(app.linkIn(email, "You are invited"));
        // The invitation page's new-account form carries the unticked box and the link.
        String page = ok(client().get("/invite?w=" + q.get("w") + "&i=" + q.get("i") + "&t=" + q.get("t")), 200).bodyAsString();
        assertThat(page).contains("name=\"acceptPrivacy\"", "href=\"/privacy\"").doesNotContain(" checked");
        JsonObject body = new JsonObject().put("w", q.get("w")).put("i", q.get("i")).put("t", q.get("t")).put("name", "Ivy Invitee").put("password", PASSWORD);
        Http h = client();
        refusedForMissingConsent(h.post("/api/v1/invites/accept", body.copy()));
        refusedForMissingConsent(h.post("/api/v1/invites/accept", body.copy().put("acceptPrivacy", "false")));
        assertThat(storedAccountConsent(email)).as("no account without consent").isNull();
        // The refusal used nothing up: the same link still works, with the opt-in.
        long before = System.currentTimeMillis();
        assertThat(ok(h.post("/api/v1/invites/accept", body.copy().put("acceptPrivacy", true)), 200).bodyAsJsonObject().getString("workspace"))
                .isEqualTo(owner.workspace());
        long after = System.currentTimeMillis();
        String[] stored = storedAccountConsent(email);
        assertThat(stored[0]).isEqualTo(dev.bulwark.app.privacy.PrivacyNotice.VERSION);
        assertThat(Long.parseLong(stored[1])).isBetween(before, after);
        ok(h.post("/api/v1/login", new JsonObject().put("email", email).put("password", PASSWORD)), 200);
        String userId = ok(h.get("/api/v1/account"), 200).bodyAsJsonObject().getString("id");
        assertThat(platformAudit("privacy.accepted")).filteredOn(e -> userId.equals(e.getString("target_id"))).singleElement()
                .satisfies(e -> assertThat(e.getJsonObject("details").getString("notice_version")).isEqualTo(dev.bulwark.app.privacy.PrivacyNotice.VERSION));
    }

    @Test
    void publicBookingNeedsTheCustomersPrivacyOptInWhichIsStoredWithTheAppointmentAndAudited() throws Exception {
        java.time.ZoneId zone = java.time.ZoneId.of("Europe/Berlin");
        Account owner = signedUp("consent-shop");
        String api = "/api/v1/workspaces/" + owner.workspace();
        ok(owner.http().put(api + "/profile", new JsonObject().put("timeZone", zone.getId()).put("currency", "EUR")), 200);
        String service = ok(owner.http().post(api + "/services", new JsonObject().put("name", "Haircut").put("durationMinutes", 30)
                .put("bufferMinutes", 10).put("price", "45.00").put("currency", "EUR")), 201).bodyAsJsonObject().getString("id");
        ok(owner.http().put(api + "/staff/" + owner.userId() + "/hours", new JsonObject().put("hours",
                "mon 08:00-20:00\ntue 08:00-20:00\nwed 08:00-20:00\nthu 08:00-20:00\nfri 08:00-20:00\nsat 08:00-20:00\nsun 08:00-20:00")), 200);
        String url = ok(owner.http().post(api + "/booking-link", new JsonObject()), 200).bodyAsJsonObject().getString("url");
        String token = TestApp.query(url).get("t");
        java.time.LocalDate day = java.time.LocalDate.now(zone).plusDays(1);
        Http customer = client();
        String page = ok(customer.get(url.substring(app.origin.length()) + "&service=" + service + "&staff=" + owner.userId() + "&date=" + day), 200)
                .bodyAsString();
        java.util.regex.Matcher slot = java.util.regex.Pattern.compile("name=\"start\" value=\"([^\"]+)\"").matcher(page);
        assertThat(slot.find()).isTrue();
        // The booking form carries the unticked box and the link to the notice.
        assertThat(page).contains("name=\"acceptPrivacy\"", "href=\"/privacy\"").doesNotContain(" checked");

        String email = "booker-" + System.nanoTime() + "@example.org";
        JsonObject body = new JsonObject().put("t", token).put("serviceId", service).put("staffMemberId", owner.userId())
                .put("start", slot.group(1)).put("name", "Bea Booker").put("email", email);
        for (JsonObject without : List.of(body.copy(), body.copy().put("acceptPrivacy", false))) {
            HttpResponse<Buffer> r = customer.post("/book/" + owner.workspace(), without);
            assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
            assertThat(r.bodyAsString()).contains("acceptPrivacy: Accept the privacy notice to continue.");
        }
        String range = "?from=" + day + "&to=" + day.plusDays(1);
        assertThat(ok(owner.http().get(api + "/appointments" + range), 200).bodyAsJsonArray()).as("no appointment without consent").isEmpty();
        assertThat(ok(owner.http().get(api + "/customers?email=" + email), 200).bodyAsJsonArray()).as("no customer record either").isEmpty();
        assertThat(app.mailsTo(email)).as("and no mail").isEmpty();

        long before = System.currentTimeMillis();
        ok(customer.post("/book/" + owner.workspace(), body.copy().put("acceptPrivacy", true)), 201);
        long after = System.currentTimeMillis();
        io.vertx.core.json.JsonArray booked = ok(owner.http().get(api + "/appointments" + range), 200).bodyAsJsonArray();
        assertThat(booked).hasSize(1);
        JsonObject consent = booked.getJsonObject(0).getJsonObject("privacyNotice");
        assertThat(consent.getString("version")).isEqualTo(dev.bulwark.app.privacy.PrivacyNotice.VERSION);
        assertThat(java.time.Instant.parse(consent.getString("acceptedAt")).toEpochMilli()).isBetween(before, after);
        String appointment = booked.getJsonObject(0).getString("id");
        io.vertx.core.json.JsonArray audited = ok(owner.http().get(api + "/audit?action=privacy.accepted"), 200).bodyAsJsonArray();
        assertThat(audited).hasSize(1);
        assertThat(audited.getJsonObject(0).getString("targetId")).isEqualTo(appointment);
        assertThat(audited.getJsonObject(0).getJsonObject("details").getString("notice_version")).isEqualTo(dev.bulwark.app.privacy.PrivacyNotice.VERSION);
        assertThat(audited.getJsonObject(0).encode()).doesNotContain(email);
    }
}
