package dev.bulwark.app;

import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ASVS 2.3.2 in a real browser: Chromium's virtual FIDO2 authenticator (DevTools WebAuthn domain: CTAP2 over USB,
 * no resident key, user verification) stands in for a hardware security key. A user with two-factor authentication
 * adds a key on the settings page, signs out, signs in with password + key; after the key is removed from the
 * account an assertion it made is refused and the login's MFA step no longer offers it.
 */
class SecurityKeyBrowserIT {
    /** Builds the assertion JSON the way webauthn.js does, without sending it: the "stolen / stale assertion" case. */
    static final String ASSERT_WITHOUT_SENDING = """
            async () => {
              const f = document.getElementById('key-login-form');
              const b = s => { s = s.replace(/-/g, '+').replace(/_/g, '/'); while (s.length % 4) s += '=';
                               return Uint8Array.from(atob(s), c => c.charCodeAt(0)).buffer; };
              const u = buf => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
              const r = await fetch(f.dataset.start, {method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': f.dataset.csrf}, body: '{}'});
              const o = await r.json();
              o.challenge = b(o.challenge);
              o.allowCredentials.forEach(c => c.id = b(c.id));
              const c = await navigator.credentials.get({publicKey: o});
              return JSON.stringify({id: c.id, rawId: u(c.rawId), type: c.type, clientExtensionResults: {}, response: {
                clientDataJSON: u(c.response.clientDataJSON), authenticatorData: u(c.response.authenticatorData), signature: u(c.response.signature)}});
            }""";

    static final String SEND = """
            async ([csrf, path, body]) => {
              const r = await fetch(path, {method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf}, body: JSON.stringify(body)});
              return r.status + ' ' + await r.text();
            }""";

    @Test
    void securityKeyIsAddedUsedAsSecondFactorAndRefusedOnceRemoved() throws Exception {
        BrowserIT.requireChromium();
        String email = "key-" + System.nanoTime() + "@example.com";
        String password = "violet tangerine harbour 2931";
        try (TestApp app = TestApp.start(TestDatabase.Kind.H2, Map.of());
             Playwright pw = BrowserIT.playwright();
             Browser browser = BrowserIT.chromium(pw)) {
            BrowserContext ctx = browser.newContext(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true));
            Page p = ctx.newPage();
            List<String> consoleErrors = new java.util.ArrayList<>();
            p.onConsoleMessage(m -> {
                if ("error".equals(m.type()) && !m.text().startsWith("Failed to load resource")) consoleErrors.add(m.text());
            });
            CDPSession cdp = ctx.newCDPSession(p);
            cdp.send("WebAuthn.enable");
            JsonObject options = new JsonObject();
            options.addProperty("protocol", "ctap2");
            options.addProperty("transport", "usb");
            options.addProperty("hasResidentKey", false);
            options.addProperty("hasUserVerification", true);
            options.addProperty("isUserVerified", true);
            options.addProperty("automaticPresenceSimulation", true);
            JsonObject args = new JsonObject();
            args.add("options", options);
            String authenticatorId = cdp.send("WebAuthn.addVirtualAuthenticator", args).get("authenticatorId").getAsString();
            assertThat(authenticatorId).isNotBlank();

            // Sign up, confirm, sign in, turn on TOTP (a key is added to two-factor authentication, never replaces it).
            p.navigate(app.origin + "/signup");
            p.fill("#name", "Kim Key");
            p.fill("#email", email);
            p.fill("#business", "Key Cutters");
            p.fill("#password", password);
            p.check("#acceptPrivacy");
            p.click("#signup-form button[type=submit]");
            p.navigate(app.linkIn(email, "Confirm your e-mail"));
            p.click("#confirm-email");
            login(p, app, email, password);
            assertThat(p.url()).endsWith("/app");
            p.navigate(app.origin + "/account/mfa");
            assertThat(p.locator("#key-add-form").count()).as("no key before TOTP is on").isZero();
            p.click("#mfa-start");
            String secret = p.textContent("#mfa-secret").strip();
            p.fill("#code", Totp.code(secret, Totp.step()));
            p.click("#mfa-confirm-form button[type=submit]");
            assertThat(p.locator("#recovery-codes li").count()).isEqualTo(10);

            // Add a security key.
            p.navigate(app.origin + "/account/mfa");
            assertThat(p.textContent("#security-keys-none")).contains("No security key");
            p.fill("#key-add-form input[name=name]", "Blue <key>");
            p.click("#key-add");
            p.waitForSelector("#security-keys");
            assertThat(p.textContent("#security-keys .key-name")).isEqualTo("Blue <key>");
            p.screenshot(new Page.ScreenshotOptions().setPath(BrowserIT.SHOTS.resolve("webauthn-01-key-added.png")).setFullPage(true));
            JsonObject creds = cdp.send("WebAuthn.getCredentials", idArg(authenticatorId));
            assertThat(creds.getAsJsonArray("credentials")).hasSize(1);

            // Sign out; sign in with password + key.
            p.click("#sign-out");
            login(p, app, email, password);
            assertThat(p.url()).endsWith("/login/mfa");
            assertThat(p.isVisible("#mfa-key")).isTrue();
            p.screenshot(new Page.ScreenshotOptions().setPath(BrowserIT.SHOTS.resolve("webauthn-02-mfa-step.png")).setFullPage(true));
            p.click("#mfa-key");
            p.waitForURL("**/app");
            assertThat(p.url()).endsWith("/app");

            // A stale assertion: made by the key during a later sign-in, kept, not sent; the sign-in uses a fresh one.
            p.click("#sign-out");
            login(p, app, email, password);
            String stale = (String) p.evaluate(ASSERT_WITHOUT_SENDING);
            assertThat(stale).contains("authenticatorData");
            p.click("#mfa-key");
            p.waitForURL("**/app");

            // Remove the key (the session is fresh, so no re-auth prompt).
            p.navigate(app.origin + "/account/mfa");
            p.click("#security-keys button.danger");
            assertThat(p.url()).endsWith("/account/mfa");
            assertThat(p.textContent("#security-keys-none")).contains("No security key");

            // The removed key is not offered, cannot start a ceremony, and its assertion is refused.
            p.click("#sign-out");
            login(p, app, email, password);
            assertThat(p.url()).endsWith("/login/mfa");
            assertThat(p.locator("#mfa-key").count()).isZero();
            String csrf = p.getAttribute("#mfa-form input[name=_csrf]", "value");
            Object start = p.evaluate(SEND, List.of(csrf, "/api/v1/login/mfa/webauthn/start", Map.of()));
            assertThat((String) start).startsWith("409 ").contains("no_security_key");
            Object refused = p.evaluate(SEND, List.of(csrf, "/api/v1/login/mfa/webauthn/finish", Map.of("credential", stale)));
            assertThat((String) refused).startsWith("400 ").contains("not accepted").doesNotContain("signed_in");
            p.fill("#code", Totp.code(secret, Totp.step() + 1));
            p.click("#mfa-form button[type=submit]");
            assertThat(p.url()).endsWith("/app");
            p.click("ul.list a");
            String ws = p.url().substring(p.url().lastIndexOf('/') + 1);
            p.navigate(app.origin + "/w/" + ws + "/audit");
            assertThat(p.textContent("table")).contains("mfa.webauthn.added").contains("mfa.webauthn.removed");
            assertThat(consoleErrors).as("no CSP violations or script errors").isEmpty();
        }
    }

    static void login(Page p, TestApp app, String email, String password) {
        p.navigate(app.origin + "/login");
        p.fill("#email", email);
        p.fill("#password", password);
        p.click("#login-form button[type=submit]");
    }

    static JsonObject idArg(String authenticatorId) {
        JsonObject o = new JsonObject();
        o.addProperty("authenticatorId", authenticatorId);
        return o;
    }
}
