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

/** ASVS 3.7.1 with a 2-second re-auth window: sensitive changes need a fresh proof; e-mail change notifies both addresses. */
class ReauthIT {
    @Test
    void staleSessionsMustReauthenticateBeforeSensitiveChanges() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (TestApp app = TestApp.start(TestDatabase.Kind.H2, Map.of("BULWARK_REAUTH_WINDOW", "PT2S"))) {
            Http h = new Http(vertx, app, "198.51.100.200").withCsrf();
            String email = "reauth-" + System.nanoTime() + "@example.com";
            String pw = AppEndToEnd.PASSWORD;
            assertThat(h.post("/api/v1/signup", new JsonObject().put("acceptPrivacy", true).put("name", "Rita").put("email", email).put("password", pw).put("business", "Rita Nails"))
                    .statusCode()).isEqualTo(202);
            Map<String, String> q = TestApp.query(app.linkIn(email, "Confirm your e-mail"));
            h.post("/api/v1/verify-email", new JsonObject().put("u", q.get("u")).put("t", q.get("t")));
            assertThat(h.post("/api/v1/login", new JsonObject().put("email", email).put("password", pw)).statusCode()).isEqualTo(200);
            String ws = h.get("/api/v1/workspaces").bodyAsJsonArray().getJsonObject(0).getString("id");
            Thread.sleep(2500);
            for (HttpResponse<Buffer> r : java.util.List.of(
                    h.post("/api/v1/account/mfa/start", new JsonObject()),
                    h.post("/api/v1/account/email", new JsonObject().put("email", "new-" + email)),
                    h.post("/api/v1/workspaces/" + ws + "/api-keys", new JsonObject().put("label", "k")),
                    h.put("/api/v1/workspaces/" + ws + "/settings/security", new JsonObject().put("ipAllowlist", "198.51.100.0/24")))) {
                assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(403);
                assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("reauthentication_required");
            }
            assertThat(h.post("/api/v1/reauth", new JsonObject().put("password", "wrong wrong wrong wrong")).statusCode()).isEqualTo(400);
            assertThat(h.post("/api/v1/reauth", new JsonObject().put("password", pw)).statusCode()).isEqualTo(200);
            HttpResponse<Buffer> r = h.post("/api/v1/account/email", new JsonObject().put("email", "new-" + email));
            assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
            assertThat(app.mailsTo(email)).anySatisfy(m -> assertThat(m.getString("subject")).contains("is being changed"));
            Map<String, String> c = TestApp.query(app.linkIn("new-" + email, "Confirm your new e-mail"));
            assertThat(h.post("/api/v1/account/email/confirm", new JsonObject().put("u", c.get("u")).put("t", c.get("t"))).statusCode()).isEqualTo(200);
            assertThat(app.mailsTo(email)).anySatisfy(m -> assertThat(m.getString("subject")).isEqualTo("Your e-mail address was changed"));
            assertThat(h.get("/api/v1/account").bodyAsJsonObject().getString("email")).isEqualTo("new-" + email);
            Http other = new Http(vertx, app, "198.51.100.201").withCsrf();
            assertThat(other.post("/api/v1/login", new JsonObject().put("email", "new-" + email).put("password", pw)).statusCode()).isEqualTo(200);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
