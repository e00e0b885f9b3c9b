package dev.bulwark.app;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.bulwark.testkit.Services;
import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person in a real browser (Playwright driving Debian's Chromium): sign-up, e-mail confirmation, sign-in, MFA
 * set-up with the server-rendered QR code, sign-out, sign-in with the second factor, sign-out. Screenshots go to
 * target/screenshots/.
 */
class BrowserIT {
    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    static final Path SHOTS = Paths.get("target", "screenshots");

    /** Aborts (or fails with BULWARK_REQUIRE_SERVICES=1) without Debian's Chromium; creates the screenshot folder. */
    static void requireChromium() throws java.io.IOException {
        if (!Files.isExecutable(CHROMIUM)) {
            if (Services.servicesRequired()) throw new AssertionError("BULWARK_REQUIRE_SERVICES=1 but " + CHROMIUM + " is missing (apt-get install -y chromium)");
            Assumptions.abort("no Chromium at " + CHROMIUM);
        }
        Files.createDirectories(SHOTS);
    }

    static Playwright playwright() {
        return Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    /** Headless Debian Chromium with the project's flags, no browser download. */
    static Browser chromium(Playwright pw) {
        return pw.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM).setHeadless(true)
                .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update")));
    }

    @Test
    void signUpLoginWithMfaAndSignOutInABrowser() throws Exception {
        requireChromium();
        String email = "browser-" + System.nanoTime() + "@example.com";
        String password = "violet tangerine harbour 2931";
        try (TestApp app = TestApp.start(TestDatabase.Kind.H2, Map.of());
             Playwright pw = playwright();
             Browser browser = chromium(pw)) {
            BrowserContext ctx = browser.newContext(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true));
            Page p = ctx.newPage();
            List<String> consoleErrors = new java.util.ArrayList<>();
            p.onConsoleMessage(m -> {
                // A 400 answer to a form with field errors is logged too; only CSP refusals and script errors count.
                if ("error".equals(m.type()) && !m.text().startsWith("Failed to load resource")) consoleErrors.add(m.text());
            });

            p.navigate(app.origin + "/signup");
            p.fill("#name", "Bea Browser");
            p.fill("#email", email);
            p.fill("#business", "Browser Barbers");
            p.fill("#password", "short");
            // Opt-in: the privacy box is never ticked for the person (ASVS 8.3.3); the browser will not submit without it.
            assertThat(p.isChecked("#acceptPrivacy")).isFalse();
            p.check("#acceptPrivacy");
            p.click("#signup-form button[type=submit]");
            assertThat(p.textContent("#password-error")).contains("15");
            p.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("01-signup-policy-feedback.png")).setFullPage(true));
            p.fill("#password", password);
            p.click("#signup-form button[type=submit]");
            assertThat(p.textContent("#signup-done")).contains(email);

            p.navigate(app.linkIn(email, "Confirm your e-mail"));
            p.click("#confirm-email");
            assertThat(p.isVisible("#verified")).isTrue();

            p.navigate(app.origin + "/login");
            p.fill("#email", email);
            p.fill("#password", password);
            p.click("#login-form button[type=submit]");
            assertThat(p.url()).endsWith("/app");
            p.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("02-workspaces.png")).setFullPage(true));

            p.navigate(app.origin + "/account/mfa");
            p.click("#mfa-start");
            String secret = p.textContent("#mfa-secret").strip();
            p.waitForFunction("() => { const i = document.querySelector('#mfa-qr'); return i.complete; }");
            Object qrWidth = p.evalOnSelector("#mfa-qr", "img => img.naturalWidth");
            assertThat(((Number) qrWidth).intValue()).as("server-rendered QR code loads under the CSP").isPositive();
            p.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("03-mfa-qr.png")).setFullPage(true));
            p.fill("#code", Totp.code(secret, Totp.step()));
            p.click("#mfa-confirm-form button[type=submit]");
            assertThat(p.locator("#recovery-codes li").count()).isEqualTo(10);
            p.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("04-recovery-codes.png")).setFullPage(true));

            p.click("#sign-out");
            assertThat(p.url()).endsWith("/login");

            p.fill("#email", email);
            p.fill("#password", password);
            p.click("#login-form button[type=submit]");
            assertThat(p.url()).endsWith("/login/mfa");
            p.fill("#code", Totp.code(secret, Totp.step() + 1));
            p.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("05-mfa-login.png")).setFullPage(true));
            p.click("#mfa-form button[type=submit]");
            assertThat(p.url()).endsWith("/app");
            // The workspace's pages: team, API keys (created through the form, shown once), settings, audit, outbox.
            p.click("ul.list a");
            String ws = p.url().substring(p.url().lastIndexOf('/') + 1);
            assertThat(p.textContent("#workspace-name")).isEqualTo("Browser Barbers");
            p.navigate(app.origin + "/w/" + ws + "/team");
            assertThat(p.textContent("main")).contains(email).contains("owner");
            p.navigate(app.origin + "/w/" + ws + "/api-keys");
            p.fill("#label", "bookkeeping export");
            p.click("main form button[type=submit]");
            assertThat(p.textContent("#new-api-key")).startsWith("bw_");
            p.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("06-api-key-shown-once.png")).setFullPage(true));
            p.navigate(app.origin + "/w/" + ws + "/api-keys");
            assertThat(p.isVisible("#new-api-key")).isFalse();
            p.navigate(app.origin + "/w/" + ws + "/settings/security");
            p.check("input[name=requireMfa]");
            p.click("main form button[type=submit]");
            assertThat(p.textContent("main")).contains("Saved.");
            p.navigate(app.origin + "/w/" + ws + "/audit");
            assertThat(p.textContent("table")).contains("api_key.created").contains("mfa.enabled").contains("settings.security_changed");
            p.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("07-audit.png")).setFullPage(true));
            p.navigate(app.origin + "/w/" + ws + "/outbox");
            assertThat(p.textContent("main")).contains("Confirm your e-mail address").contains("A new API key was created");
            p.navigate(app.origin + "/account/sessions");
            assertThat(p.textContent("table")).contains("this session");
            p.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("08-sessions.png")).setFullPage(true));

            p.click("#sign-out");
            assertThat(p.url()).endsWith("/login");
            p.navigate(app.origin + "/account");
            assertThat(p.url()).as("signed out: account page sends to login").endsWith("/login");
            p.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("09-signed-out.png")).setFullPage(true));
            assertThat(consoleErrors).as("no CSP violations or script errors").isEmpty();
        }
    }
}
