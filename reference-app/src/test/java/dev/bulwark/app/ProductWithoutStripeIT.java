package dev.bulwark.app;

import dev.bulwark.app.platform.App;
import dev.bulwark.app.platform.Config;
import dev.bulwark.app.platform.ConfigException;
import dev.bulwark.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Without Stripe keys the app says online payment is off and offers manual payment; half a Stripe set-up stops start-up. */
class ProductWithoutStripeIT {
    @Test
    void withoutStripeKeysOnlinePaymentIsOffAndManualPaymentIsOffered() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (TestApp app = TestApp.start(TestDatabase.Kind.H2, Map.of())) {
            Http h = new Http(vertx, app, "198.51.100.250").withCsrf();
            String email = "nostripe-" + System.nanoTime() + "@example.com";
            ProductEndToEnd.ok(h.post("/api/v1/signup", new JsonObject().put("acceptPrivacy", true).put("name", "No Stripe").put("email", email)
                    .put("password", ProductEndToEnd.PASSWORD).put("business", "Cash Only")), 202);
            Map<String, String> q = TestApp.query(app.linkIn(email, "Confirm your e-mail"));
            ProductEndToEnd.ok(h.post("/api/v1/verify-email", new JsonObject().put("u", q.get("u")).put("t", q.get("t"))), 200);
            ProductEndToEnd.ok(h.post("/api/v1/login", new JsonObject().put("email", email).put("password", ProductEndToEnd.PASSWORD)), 200);
            String ws = h.get("/api/v1/workspaces").bodyAsJsonArray().getJsonObject(0).getString("id");
            String api = "/api/v1/workspaces/" + ws;
            assertThat(h.get("/w/" + ws + "/payments").bodyAsString()).contains("online-payment-off").doesNotContain("Connect with Stripe");
            assertThat(h.get(api + "/payments/status").bodyAsJsonObject().getBoolean("onlinePayments")).isFalse();
            assertThat(h.post(api + "/payments/connect", new JsonObject()).statusCode()).isEqualTo(409);
            String cust = ProductEndToEnd.ok(h.post(api + "/customers", new JsonObject().put("name", "Walk-in")), 201).bodyAsJsonObject().getString("id");
            String inv = ProductEndToEnd.ok(h.post(api + "/invoices", new JsonObject().put("customerId", cust).put("lines",
                    new JsonArray().add(new JsonObject().put("description", "Trim").put("quantity", 1).put("unitMinor", 2500)))), 201).bodyAsJsonObject().getString("id");
            ProductEndToEnd.ok(h.post(api + "/invoices/" + inv + "/send", new JsonObject()), 200);
            String page = h.get("/w/" + ws + "/invoices/" + inv).bodyAsString();
            assertThat(page).contains("Record manual payment").contains("online-payment-off");
            String shared = ProductEndToEnd.ok(h.post(api + "/invoices/" + inv + "/share", new JsonObject()), 200).bodyAsJsonObject().getString("url");
            assertThat(new Http(vertx, app, "198.51.100.251").get(shared.substring(app.origin.length())).bodyAsString())
                    .contains("online-payment-off").doesNotContain("js.stripe.com/v3");
            assertThat(new Http(vertx, app, "203.0.113.5").post("/webhooks/stripe/connect", new JsonObject()).statusCode()).isEqualTo(404);
            ProductEndToEnd.ok(h.post(api + "/invoices/" + inv + "/payments", new JsonObject().put("amount", "25.00")), 201);
            assertThat(h.get(api + "/invoices/" + inv).bodyAsJsonObject().getString("status")).isEqualTo("paid");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSecretKeyWithoutWebhookSecretsOrWithTheWrongModeStopsStartUp() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("BULWARK_DATA_DIR", Files.createTempDirectory("bulwark-nostripe").toString());
        env.put("BULWARK_HTTPS_PORT", "0");
        env.put("BULWARK_HTTP_PORT", "-1");
        env.put("BULWARK_STRIPE_SECRET_KEY", "sk_live_abc");
        assertThatThrownBy(() -> App.start(Config.from(env))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("BULWARK_STRIPE_LIVEMODE").hasMessageContaining("BULWARK_STRIPE_CONNECT_WEBHOOK_SECRET")
                .hasMessageNotContaining("sk_live_abc");
    }
}
