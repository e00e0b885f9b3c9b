package dev.bulwark.app;

import dev.bulwark.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security-key API over HTTPS without an authenticator: who may start which ceremony, re-auth for adding and
 * removing, garbage refused with typed errors, and key assertions counted on the same lockout as TOTP codes.
 * (The ceremony with a real authenticator is {@link SecurityKeyBrowserIT}.)
 */
class SecurityKeyHttpIT {
    static final String GARBAGE = "{\"id\":\"AAAA\",\"rawId\":\"AAAA\",\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\"e30\","
            + "\"authenticatorData\":\"AAAA\",\"signature\":\"AAAA\"},\"clientExtensionResults\":{}}";

    @Test
    void securityKeyRoutesAreGatedAndGarbageIsCountedLikeAWrongCode() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (TestApp app = TestApp.start(TestDatabase.Kind.H2, Map.of("BULWARK_REAUTH_WINDOW", "PT3S"))) {
            Http h = new Http(vertx, app, "198.51.100.210").withCsrf();
            String email = "keys-" + System.nanoTime() + "@example.com";
            String pw = AppEndToEnd.PASSWORD;
            h.post("/api/v1/signup", new JsonObject().put("acceptPrivacy", true).put("name", "Kai").put("email", email).put("password", pw).put("business", "Kai Keys"));
            Map<String, String> q = TestApp.query(app.linkIn(email, "Confirm your e-mail"));
            h.post("/api/v1/verify-email", new JsonObject().put("u", q.get("u")).put("t", q.get("t")));
            assertThat(h.post("/api/v1/login", new JsonObject().put("email", email).put("password", pw)).statusCode()).isEqualTo(200);

            // No two-factor authentication yet: a key cannot be added, the list is empty.
            HttpResponse<Buffer> r = h.post("/api/v1/account/mfa/webauthn/register/start", new JsonObject());
            assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(409);
            assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("mfa_not_enabled");
            assertThat(h.get("/api/v1/account/mfa/webauthn/keys").bodyAsJsonArray()).isEmpty();

            reauth(h, pw);
            String secret = h.post("/api/v1/account/mfa/start", new JsonObject()).bodyAsJsonObject().getString("secret");
            assertThat(h.post("/api/v1/account/mfa/confirm", new JsonObject().put("code", Totp.code(secret, Totp.step()))).statusCode()).isEqualTo(200);

            // Creation options: relying party = the public host, a fresh challenge each time, no personal data as user id.
            reauth(h, pw);
            JsonObject o = h.post("/api/v1/account/mfa/webauthn/register/start", new JsonObject()).bodyAsJsonObject();
            assertThat(o.getJsonObject("rp").getString("id")).isEqualTo("localhost");
            assertThat(o.getString("attestation")).isEqualTo("none");
            String userId = h.get("/api/v1/account").bodyAsJsonObject().getString("id");
            assertThat(o.getJsonObject("user").getString("id")).doesNotContain(userId.substring(2)).hasSize(43);
            String challenge = o.getString("challenge");
            assertThat(challenge).hasSize(43);
            assertThat(h.post("/api/v1/account/mfa/webauthn/register/start", new JsonObject()).bodyAsJsonObject().getString("challenge")).isNotEqualTo(challenge);
            for (String bad : new String[] {"", "{", "[]", GARBAGE}) {
                r = h.post("/api/v1/account/mfa/webauthn/register/finish", new JsonObject().put("name", "k").put("credential", bad));
                assertThat(r.statusCode()).as(bad).isEqualTo(400);
                assertThat(r.bodyAsJsonObject().getJsonObject("fields").getString("credential")).isNotBlank();
            }
            r = h.post("/api/v1/account/mfa/webauthn/register/finish", new JsonObject().put("name", "k").put("credential", new JsonObject().put("id", "x")));
            assertThat(r.statusCode()).as("a nested object is not a credential string").isEqualTo(400);
            assertThat(h.delete("/api/v1/account/mfa/webauthn/keys/AAAAAAAAAAAAAAAAAAAAAA").statusCode()).isEqualTo(404);

            // Re-auth window passed: adding and removing need a fresh proof.
            Thread.sleep(3500);
            for (HttpResponse<Buffer> stale : java.util.List.of(h.post("/api/v1/account/mfa/webauthn/register/start", new JsonObject()),
                    h.delete("/api/v1/account/mfa/webauthn/keys/AAAAAAAAAAAAAAAAAAAAAA"))) {
                assertThat(stale.statusCode()).as(stale.bodyAsString()).isEqualTo(403);
                assertThat(stale.bodyAsJsonObject().getString("error")).isEqualTo("reauthentication_required");
            }

            // Login's MFA step: without the step cookie nothing starts; with it and no key registered, 409.
            Http stranger = new Http(vertx, app, "198.51.100.211").withCsrf();
            assertThat(stranger.post("/api/v1/login/mfa/webauthn/start", new JsonObject()).statusCode()).isEqualTo(401);
            assertThat(stranger.post("/api/v1/login/mfa/webauthn/finish", new JsonObject().put("credential", GARBAGE)).statusCode()).isEqualTo(401);
            h.post("/api/v1/logout", new JsonObject());
            h.withCsrf();
            assertThat(h.post("/api/v1/login", new JsonObject().put("email", email).put("password", pw)).bodyAsJsonObject().getString("status"))
                    .isEqualTo("mfa_required");
            r = h.post("/api/v1/login/mfa/webauthn/start", new JsonObject());
            assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(409);

            // Forged assertions count on the second-factor lockout: after ten, even the right TOTP code is refused.
            int refused = 0;
            for (int i = 0; i < 10; i++) {
                r = h.post("/api/v1/login/mfa/webauthn/finish", new JsonObject().put("credential", GARBAGE));
                assertThat(r.statusCode()).as(r.bodyAsString()).isIn(400, 429);
                assertThat(r.bodyAsString()).doesNotContain("signed_in");
                refused++;
            }
            assertThat(refused).isEqualTo(10);
            r = h.post("/api/v1/login/mfa", new JsonObject().put("code", Totp.code(secret, Totp.step() + 1)));
            assertThat(r.statusCode()).as("locked by forged key assertions: " + r.bodyAsString()).isIn(400, 429);
            assertThat(h.get("/api/v1/account").statusCode()).isEqualTo(401);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    static void reauth(Http h, String pw) throws Exception {
        assertThat(h.post("/api/v1/reauth", new JsonObject().put("password", pw)).statusCode()).isEqualTo(200);
    }
}
