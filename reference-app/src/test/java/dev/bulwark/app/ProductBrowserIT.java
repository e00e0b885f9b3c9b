package dev.bulwark.app;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.SelectOption;
import dev.bulwark.testkit.Services;
import dev.bulwark.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product in a real browser (Playwright + Debian's Chromium): a customer books through the public link; the owner
 * creates, sends and shares an invoice; the customer opens the shared invoice and Stripe's Payment Element mounts
 * (Stripe.js is replaced by a local stand-in served through Playwright routing: the machine has no internet). The
 * pages run under the CSP without inline script. Screenshots go to target/screenshots/product-*.png.
 */
class ProductBrowserIT {
    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    static final Path SHOTS = Paths.get("target", "screenshots");
    static final String STRIPE_JS_STAND_IN = """
            window.Stripe = function (pk, opts) {
              return {
                elements: function (o) {
                  return { create: function (type) {
                    return { mount: function (sel) {
                      var d = document.querySelector(sel);
                      var f = document.createElement('div');
                      f.id = 'stand-in-element';
                      f.textContent = 'Stripe ' + type + ' element stand-in for ' + opts.stripeAccount;
                      f.setAttribute('data-client-secret', o.clientSecret);
                      d.appendChild(f);
                    } };
                  } };
                },
                confirmPayment: function () { return Promise.resolve({}); }
              };
            };
            """;

    @Test
    void customerBooksOwnerSharesInvoiceAndTheSharedInvoiceMountsThePaymentElement() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            if (Services.servicesRequired()) throw new AssertionError("BULWARK_REQUIRE_SERVICES=1 but " + CHROMIUM + " is missing (apt-get install -y chromium)");
            Assumptions.abort("no Chromium at " + CHROMIUM);
        }
        Files.createDirectories(SHOTS);
        Vertx vertx = Vertx.vertx();
        try (FakeStripe stripe = new FakeStripe(vertx);
             TestApp app = TestApp.start(TestDatabase.Kind.H2, Map.of("BULWARK_STRIPE_SECRET_KEY", "sk_test_fakeKeyForTheLocalStripeStandIn",
                     "BULWARK_STRIPE_PUBLISHABLE_KEY", "pk_test_browser", "BULWARK_STRIPE_WEBHOOK_SECRET", ProductEndToEnd.PLATFORM_SECRET,
                     "BULWARK_STRIPE_CONNECT_WEBHOOK_SECRET", ProductEndToEnd.CONNECT_SECRET, "BULWARK_STRIPE_API_BASE", stripe.base()));
             Playwright pw = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = pw.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM).setHeadless(true)
                     .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update")))) {
            // Owner and shop through the API (the platform's own browser test covers sign-up pages).
            Http h = new Http(vertx, app, "198.51.100.200").withCsrf();
            String email = "owner-browser-" + System.nanoTime() + "@example.com";
            ProductEndToEnd.ok(h.post("/api/v1/signup", new JsonObject().put("acceptPrivacy", true).put("name", "Olga Owner").put("email", email)
                    .put("password", ProductEndToEnd.PASSWORD).put("business", "Olga's Studio")), 202);
            Map<String, String> q = TestApp.query(app.linkIn(email, "Confirm your e-mail"));
            ProductEndToEnd.ok(h.post("/api/v1/verify-email", new JsonObject().put("u", q.get("u")).put("t", q.get("t"))), 200);
            ProductEndToEnd.ok(h.post("/api/v1/login", new JsonObject().put("email", email).put("password", ProductEndToEnd.PASSWORD)), 200);
            String ws = h.get("/api/v1/workspaces").bodyAsJsonArray().getJsonObject(0).getString("id");
            String me = h.get("/api/v1/account").bodyAsJsonObject().getString("id");
            String api = "/api/v1/workspaces/" + ws;
            ProductEndToEnd.ok(h.put(api + "/profile", new JsonObject().put("timeZone", "Europe/Berlin")), 200);
            ProductEndToEnd.ok(h.post(api + "/services", new JsonObject().put("name", "Massage").put("durationMinutes", 60).put("price", "80.00")), 201);
            ProductEndToEnd.ok(h.put(api + "/staff/" + me + "/hours", new JsonObject().put("hours",
                    "mon 09:00-18:00\ntue 09:00-18:00\nwed 09:00-18:00\nthu 09:00-18:00\nfri 09:00-18:00\nsat 09:00-18:00\nsun 09:00-18:00")), 200);
            String bookingUrl = ProductEndToEnd.ok(h.post(api + "/booking-link", new JsonObject()), 200).bodyAsJsonObject().getString("url");
            String account;
            {
                ProductEndToEnd.ok(h.post(api + "/payments/connect", new JsonObject()), 200);
                account = stripe.accounts.keySet().iterator().next();
                stripe.accounts.get(account).put("charges_enabled", true);
                ProductEndToEnd.ok(h.post(api + "/payments/refresh", new JsonObject()), 200);
            }

            List<String> consoleErrors = new ArrayList<>();
            // 1. The customer books through the public link.
            BrowserContext customer = browser.newContext(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true));
            Page p = customer.newPage();
            p.onConsoleMessage(m -> {
                if ("error".equals(m.type()) && !m.text().startsWith("Failed to load resource")) consoleErrors.add(m.text());
            });
            p.navigate(bookingUrl);
            p.fill("#date", LocalDate.now(ZoneId.of("Europe/Berlin")).plusDays(2).toString());
            p.click("#slot-search button[type=submit]");
            p.locator("#slots input[type=radio]").first().check();
            p.fill("#name", "Carla Customer");
            String customerEmail = "carla-" + System.nanoTime() + "@example.org";
            p.fill("#email", customerEmail);
            assertThat(p.isChecked("#acceptPrivacy")).as("the privacy opt-in starts unticked").isFalse();
            p.check("#acceptPrivacy");
            p.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("product-01-public-booking.png")).setFullPage(true));
            p.click("#book-form button[type=submit]");
            assertThat(p.textContent("#booking-confirmed")).isEqualTo("Booked");
            p.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("product-02-booked.png")).setFullPage(true));
            // The link in the confirmation mail shows the appointment; cancelling needs the button (a POST).
            p.navigate(app.linkIn(customerEmail, "Your appointment"));
            assertThat(p.textContent("#appointment-status")).isEqualTo("booked");
            p.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("product-03-manage-link.png")).setFullPage(true));

            // 2. The owner creates, sends and shares an invoice in the browser.
            BrowserContext ownerCtx = browser.newContext(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true));
            Page o = ownerCtx.newPage();
            o.onConsoleMessage(m -> {
                if ("error".equals(m.type()) && !m.text().startsWith("Failed to load resource")) consoleErrors.add(m.text());
            });
            o.navigate(app.origin + "/login");
            o.fill("#email", email);
            o.fill("#password", ProductEndToEnd.PASSWORD);
            o.click("#login-form button[type=submit]");
            assertThat(o.url()).endsWith("/app");
            o.navigate(app.origin + "/w/" + ws + "/calendar?view=week&date=" + LocalDate.now(ZoneId.of("Europe/Berlin")).plusDays(2));
            assertThat(o.textContent("#calendar")).contains("Massage").contains("Carla Customer");
            o.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("product-04-calendar.png")).setFullPage(true));
            o.navigate(app.origin + "/w/" + ws + "/invoices");
            o.selectOption("#customerId", new SelectOption().setLabel("Carla Customer"));
            o.fill("#lines", "Massage | 1 | 80.00 | 19\nOil | 2 | 4.50 | 19");
            o.click("#invoice-form button[type=submit]");
            assertThat(o.textContent("#invoice-total")).isEqualTo("105.91 EUR");
            o.click("text=Send invoice");
            assertThat(o.textContent("#invoice-number")).isEqualTo("INV-00001");
            o.click("text=Create shared link");
            String shared = o.getAttribute("#shared-link", "href");
            o.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("product-05-invoice-shared.png")).setFullPage(true));
            o.navigate(app.origin + "/w/" + ws + "/payments");
            assertThat(o.textContent("#stripe-account")).contains(account).contains("ready");

            // 3. The customer opens the shared invoice; Stripe.js (stand-in) mounts the Payment Element with the client secret.
            BrowserContext payer = browser.newContext(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true));
            payer.route("https://js.stripe.com/**", route -> route.fulfill(new com.microsoft.playwright.Route.FulfillOptions()
                    .setStatus(200).setContentType("text/javascript").setBody(STRIPE_JS_STAND_IN)));
            Page s = payer.newPage();
            s.onConsoleMessage(m -> {
                if ("error".equals(m.type()) && !m.text().startsWith("Failed to load resource")) consoleErrors.add(m.text());
            });
            s.navigate(shared);
            assertThat(s.textContent("#invoice-number")).isEqualTo("INV-00001");
            s.waitForSelector("#stand-in-element");
            assertThat(s.textContent("#stand-in-element")).contains(account);
            String secret = s.getAttribute("#stand-in-element", "data-client-secret");
            assertThat(secret).startsWith("pi_fake").contains("_secret_");
            assertThat(s.isEnabled("#pay-button")).isTrue();
            s.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("product-06-shared-invoice-payment-element.png")).setFullPage(true));
            assertThat(stripe.calls).anyMatch(c -> c.path().equals("/v1/payment_intents") && account.equals(c.stripeAccount())
                    && "10591".equals(c.params().get("amount")));
            assertThat(consoleErrors).as("no CSP violations or script errors").isEmpty();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
