package dev.bulwark.app.account;

import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Html;
import dev.bulwark.app.platform.Principal;
import dev.bulwark.app.platform.Reply;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Services;
import dev.bulwark.app.platform.Web;
import dev.bulwark.app.privacy.PrivacyNotice;
import dev.bulwark.auth.session.SessionInfo;
import dev.bulwark.auth.webauthn.WebAuthnCredential;
import dev.bulwark.tenancy.Membership;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Account pages and JSON API: sign-up, verification, login (+MFA, security keys), reset, password/e-mail, sessions, MFA, re-auth. */
public final class AccountRoutes {
    public static final String DEVICE_COOKIE = "__Host-bw_device";
    public static final String MFA_COOKIE = "__Host-bw_mfa";

    private static final String WEBAUTHN_JS = resource("/public/account/webauthn.js");

    private final Services s;
    private final AccountService accounts;
    private final Web web;

    public AccountRoutes(Services s, AccountService accounts, Web web) {
        this.s = s;
        this.accounts = accounts;
        this.web = web;
    }

    public void register(Router r) {
        r.get("/").handler(web.open(this::home));
        r.get("/signup").handler(web.open(req -> signupPage(req, Map.of(), null, 200)));
        r.post("/signup").handler(web.passwordWork(this::signupForm));
        r.get("/verify-email").handler(web.open(this::verifyPage));
        r.post("/verify-email").handler(web.open(this::verifyForm));
        r.get("/login").handler(web.open(req -> loginPage(req, Map.of(), null, 200)));
        r.post("/login").handler(web.passwordWork(this::loginForm));
        r.get("/login/mfa").handler(web.open(req -> mfaLoginPage(req, Map.of(), 200)));
        r.post("/login/mfa").handler(web.passwordWork(this::mfaLoginForm));
        r.post("/logout").handler(web.open(this::logoutForm));
        r.get("/password/forgot").handler(web.open(req -> forgotPage(req, Map.of(), null, 200)));
        r.post("/password/forgot").handler(web.open(this::forgotForm));
        r.get("/password/reset").handler(web.open(req -> resetPage(req, Map.of(), 200)));
        r.post("/password/reset").handler(web.passwordWork(this::resetForm));
        r.get("/app").handler(web.user(this::workspacesPage));
        r.get("/account").handler(web.user(req -> accountPage(req, Map.of(), null, 200)));
        r.post("/account/password").handler(web.userPasswordWork(this::passwordForm));
        r.post("/account/email").handler(web.user(this::emailForm));
        r.get("/account/email/confirm").handler(web.open(this::emailConfirmPage));
        r.post("/account/email/confirm").handler(web.open(this::emailConfirmForm));
        r.get("/account/sessions").handler(web.user(this::sessionsPage));
        r.post("/account/sessions/revoke-others").handler(web.user(req -> {
            accounts.revokeOthers(req.user(), req);
            return Reply.redirect("/account/sessions");
        }));
        r.post("/account/sessions/:id/revoke").handler(web.user(req -> {
            accounts.revokeSession(req.user(), req.param("id"), req);
            return Reply.redirect("/account/sessions");
        }));
        r.get("/account/mfa").handler(web.user(this::mfaPage));
        r.post("/account/mfa/start").handler(web.user(this::mfaStartForm));
        r.get("/account/mfa/qr.svg").handler(web.user(this::qr));
        r.post("/account/mfa/confirm").handler(web.user(this::mfaConfirmForm));
        r.post("/account/mfa/disable").handler(web.user(req -> reauthGate(req, "/account/mfa", () -> {
            accounts.mfaDisable(req.user(), req);
            return Reply.redirect("/account/mfa");
        })));
        r.post("/account/mfa/keys/:id/remove").handler(web.user(req -> reauthGate(req, "/account/mfa", () -> {
            accounts.securityKeyRemove(req.user(), req.param("id"), req);
            return Reply.redirect("/account/mfa");
        })));
        r.get("/static/account/webauthn.js").handler(rc -> rc.response().putHeader("Content-Type", "text/javascript; charset=utf-8")
                .putHeader("Cache-Control", "public, max-age=3600").end(WEBAUTHN_JS));
        r.get("/reauth").handler(web.user(req -> reauthPage(req, Map.of(), 200)));
        r.post("/reauth").handler(web.userPasswordWork(this::reauthForm));

        // JSON API
        r.get("/api/v1/csrf").handler(web.open(req -> Reply.json(new JsonObject().put("token", req.csrfToken))));
        r.post("/api/v1/signup").handler(web.passwordWork(req -> {
            accounts.signup(req.field("name"), req.field("email"), req.raw("password"), req.field("business"), PrivacyNotice.accepted(req), req);
            return Reply.json(202, new JsonObject().put("status", "check_your_inbox"));
        }));
        r.post("/api/v1/verify-email").handler(web.open(req -> {
            accounts.verifyEmail(req.field("u"), req.field("t"), req);
            return Reply.json(new JsonObject().put("status", "verified"));
        }));
        r.post("/api/v1/verify-email/resend").handler(web.open(req -> {
            accounts.resendVerification(req.field("email"), req);
            return Reply.json(202, new JsonObject().put("status", "sent_if_unverified"));
        }));
        r.post("/api/v1/login").handler(web.passwordWork(req -> {
            AccountService.LoginOutcome o = accounts.login(req.field("email"), req.raw("password"), req);
            return loggedIn(req, o, Reply.json(new JsonObject().put("status", o.session() != null ? "signed_in" : "mfa_required")));
        }));
        r.post("/api/v1/login/mfa").handler(web.passwordWork(req -> {
            String tok = req.cookies.getOrDefault(MFA_COOKIE, "");
            AccountService.LoginOutcome o = accounts.loginMfa(tok, req.field("code"), req);
            return loggedIn(req, o, Reply.json(new JsonObject().put("status", "signed_in")));
        }));
        // Security key as the login's second factor (WebAuthn). Finish is counted and locked out like /api/v1/login/mfa.
        r.post("/api/v1/login/mfa/webauthn/start").handler(web.passwordWork(req ->
                Reply.json(new JsonObject(accounts.loginSecurityKeyStart(req.cookies.getOrDefault(MFA_COOKIE, ""))))));
        r.post("/api/v1/login/mfa/webauthn/finish").handler(web.passwordWork(req -> {
            AccountService.LoginOutcome o = accounts.loginSecurityKey(req.cookies.getOrDefault(MFA_COOKIE, ""), req.raw("credential"), req);
            return loggedIn(req, o, Reply.json(new JsonObject().put("status", "signed_in")));
        }));
        r.post("/api/v1/logout").handler(web.user(req -> {
            accounts.logout(req);
            return Reply.json(new JsonObject().put("status", "signed_out")).cookie(web.expired(Web.SESSION_COOKIE));
        }));
        r.post("/api/v1/password/forgot").handler(web.open(req -> {
            accounts.forgot(req.field("email"), req);
            return Reply.json(202, new JsonObject().put("status", "sent_if_known"));
        }));
        r.post("/api/v1/password/reset").handler(web.passwordWork(req -> {
            accounts.reset(req.field("u"), req.field("t"), req.raw("password"), req);
            return Reply.json(new JsonObject().put("status", "password_reset"));
        }));
        r.get("/api/v1/account").handler(web.user(req -> {
            JsonObject o = account(req.user());
            s.users().privacyConsent(req.user().userId()).ifPresent(c -> o.put("privacyNotice",
                    new JsonObject().put("version", c.noticeVersion()).put("acceptedAt", c.acceptedAt().toString())));
            return Reply.json(o);
        }));
        r.post("/api/v1/account/password").handler(web.userPasswordWork(req -> {
            accounts.changePassword(req.user(), req.raw("current"), req.raw("password"), req);
            return Reply.json(new JsonObject().put("status", "password_changed"));
        }));
        r.post("/api/v1/account/email").handler(web.user(req -> {
            accounts.requestEmailChange(req.user(), req.field("email"), req);
            return Reply.json(202, new JsonObject().put("status", "confirmation_sent"));
        }));
        r.post("/api/v1/account/email/confirm").handler(web.open(req -> {
            accounts.confirmEmailChange(req.field("u"), req.field("t"), req);
            return Reply.json(new JsonObject().put("status", "email_changed"));
        }));
        r.post("/api/v1/reauth").handler(web.userPasswordWork(req -> {
            accounts.reauth(req.user(), req.raw("password"), req.field("code"), req);
            return Reply.json(new JsonObject().put("status", "reauthenticated"));
        }));
        r.get("/api/v1/account/sessions").handler(web.user(req -> {
            JsonArray a = new JsonArray();
            for (SessionInfo i : accounts.sessions(req.user())) a.add(session(i, req.user()));
            return Reply.json(a);
        }));
        r.delete("/api/v1/account/sessions/:id").handler(web.user(req -> {
            accounts.revokeSession(req.user(), req.param("id"), req);
            return Reply.noContent();
        }));
        r.post("/api/v1/account/sessions/revoke-others").handler(web.user(req ->
                Reply.json(new JsonObject().put("revoked", accounts.revokeOthers(req.user(), req)))));
        r.post("/api/v1/account/mfa/start").handler(web.user(req -> {
            AccountService.Enrolment e = accounts.mfaStart(req.user(), req);
            return Reply.json(new JsonObject().put("secret", e.secretBase32()).put("otpauthUri", e.uri()));
        }));
        r.post("/api/v1/account/mfa/confirm").handler(web.user(req ->
                Reply.json(new JsonObject().put("recoveryCodes", new JsonArray(accounts.mfaConfirm(req.user(), req.field("code"), req))))));
        r.post("/api/v1/account/mfa/disable").handler(web.user(req -> {
            accounts.mfaDisable(req.user(), req);
            return Reply.json(new JsonObject().put("status", "mfa_disabled"));
        }));
        r.get("/api/v1/account/mfa/webauthn/keys").handler(web.user(req -> {
            JsonArray a = new JsonArray();
            for (WebAuthnCredential k : accounts.securityKeys(req.user())) a.add(securityKey(k));
            return Reply.json(a);
        }));
        r.post("/api/v1/account/mfa/webauthn/register/start").handler(web.user(req ->
                Reply.json(new JsonObject(accounts.securityKeyRegistrationStart(req.user())))));
        r.post("/api/v1/account/mfa/webauthn/register/finish").handler(web.user(req ->
                Reply.json(201, securityKey(accounts.securityKeyRegistrationFinish(req.user(), req.field("name"), req.raw("credential"), req)))));
        r.delete("/api/v1/account/mfa/webauthn/keys/:id").handler(web.user(req -> {
            accounts.securityKeyRemove(req.user(), req.param("id"), req);
            return Reply.noContent();
        }));
        r.get("/api/v1/workspaces").handler(web.user(req -> {
            JsonArray a = new JsonArray();
            for (Membership m : s.tenancy().workspacesOf(req.user().userId())) {
                a.add(new JsonObject().put("id", m.workspaceId()).put("role", m.role().name().toLowerCase()));
            }
            return Reply.json(a);
        }));
    }

    private JsonObject account(Principal p) {
        return new JsonObject().put("id", p.userId()).put("email", p.email()).put("name", p.name())
                .put("emailVerified", p.emailVerified()).put("mfaEnabled", p.mfaEnabled());
    }

    private static JsonObject securityKey(WebAuthnCredential k) {
        return new JsonObject().put("id", k.credentialId()).put("name", k.name()).put("createdAt", k.createdAt().toString())
                .put("lastUsedAt", k.lastUsedAt() == null ? null : k.lastUsedAt().toString());
    }

    private static JsonObject session(SessionInfo i, Principal p) {
        return new JsonObject().put("id", i.sessionId()).put("current", i.sessionId().equals(p.sessionId()))
                .put("ip", i.ipAddress()).put("device", i.userAgent()).put("createdAt", i.createdAt().toString())
                .put("lastSeenAt", i.lastSeenAt().toString()).put("expiresAt", i.expiresAt().toString());
    }

    private Reply loggedIn(Req req, AccountService.LoginOutcome o, Reply reply) {
        if (o.deviceCookie() != null) {
            reply.cookie(Cookie.cookie(DEVICE_COOKIE, o.deviceCookie()).setPath("/").setSecure(true).setHttpOnly(true)
                    .setSameSite(CookieSameSite.LAX).setMaxAge(Duration.ofDays(180).toSeconds()));
        }
        if (o.mfaToken() != null) {
            reply.cookie(Cookie.cookie(MFA_COOKIE, o.mfaToken()).setPath("/").setSecure(true).setHttpOnly(true)
                    .setSameSite(CookieSameSite.STRICT).setMaxAge(300));
        }
        if (o.session() != null) {
            reply.cookie(web.sessionCookie(o.session().token(), s.config().sessionAbsoluteLifetime));
            reply.cookie(web.expired(MFA_COOKIE));
        }
        return reply;
    }

    // ------------------------------------------------------------------ pages

    private Reply home(Req req) {
        if (req.principal() != null) return Reply.redirect("/app");
        return Reply.html(Html.page("Welcome", req, "<h1>Bulwark</h1><p>Scheduling, customers and invoices for service businesses, "
                + "with security built in.</p><p><a class=\"button\" href=\"/signup\">Create a workspace</a> "
                + "<a class=\"button secondary\" href=\"/login\">Sign in</a></p>"
                + (s.mailer().usesOutbox() ? "<p class=\"notice\">No SMTP server is configured: e-mails are written to the outbox in "
                + "the data directory (" + Html.esc(s.config().dataDir.resolve("outbox")) + ") and shown to workspace owners.</p>" : "")));
    }

    private Reply signupPage(Req req, Map<String, String> errors, String message, int status) {
        String policy = s.policy().describe();
        return Reply.html(status, Html.page("Create a workspace", req, "<h1>Create your workspace</h1>" + Html.errorBox(message)
                + "<form method=\"post\" action=\"/signup\" id=\"signup-form\">" + Html.csrf(req)
                + Html.input("Your name", "name", "text", req.field("name"), errors, "autocomplete=\"name\" required maxlength=\"200\"")
                + Html.input("E-mail", "email", "email", req.field("email"), errors, "autocomplete=\"email\" required")
                + Html.input("Business name", "business", "text", req.field("business"), errors, "required maxlength=\"200\"")
                + Html.input("Password", "password", "password", "", errors, "autocomplete=\"new-password\" required")
                + "<p class=\"hint\">" + Html.esc(policy) + "</p>"
                + PrivacyNotice.checkbox(req, errors)
                + "<button type=\"submit\">Create workspace</button></form>"));
    }

    private Reply signupForm(Req req) {
        try {
            accounts.signup(req.field("name"), req.field("email"), req.raw("password"), req.field("business"), PrivacyNotice.accepted(req), req);
        } catch (AppError e) {
            if (e.status() == 400) return signupPage(req, e.fields(), e.getMessage(), 400);
            throw e;
        }
        return Reply.html(Html.page("Check your inbox", req, "<h1>Check your inbox</h1><p id=\"signup-done\">We sent a confirmation link to "
                + Html.esc(req.field("email")) + ". Open it to activate your account, then sign in.</p>"
                + (s.mailer().usesOutbox() ? "<p class=\"notice\">This server has no SMTP configured: the mail is in the outbox folder "
                + Html.esc(s.config().dataDir.resolve("outbox")) + ".</p>" : "")));
    }

    private Reply verifyPage(Req req) {
        return Reply.html(Html.page("Confirm your address", req, "<h1>Confirm your e-mail address</h1>"
                + "<form method=\"post\" action=\"/verify-email\">" + Html.csrf(req)
                + "<input type=\"hidden\" name=\"u\" value=\"" + Html.esc(req.queryParam("u")) + "\">"
                + "<input type=\"hidden\" name=\"t\" value=\"" + Html.esc(req.queryParam("t")) + "\">"
                + "<button type=\"submit\" id=\"confirm-email\">Confirm my address</button></form>"));
    }

    private Reply verifyForm(Req req) {
        accounts.verifyEmail(req.field("u"), req.field("t"), req);
        return Reply.html(Html.page("Address confirmed", req, "<h1>Address confirmed</h1><p id=\"verified\">Thank you. "
                + "<a href=\"/login\">Sign in</a></p>"));
    }

    private Reply loginPage(Req req, Map<String, String> errors, String message, int status) {
        return Reply.html(status, Html.page("Sign in", req, "<h1>Sign in</h1>" + Html.errorBox(message)
                + "<form method=\"post\" action=\"/login\" id=\"login-form\">" + Html.csrf(req)
                + Html.input("E-mail", "email", "email", req.field("email"), errors, "autocomplete=\"username\" required")
                + Html.input("Password", "password", "password", "", errors, "autocomplete=\"current-password\" required")
                + "<button type=\"submit\">Sign in</button></form><p><a href=\"/password/forgot\">Forgot your password?</a></p>"
                + "<p><a href=\"/sso\" id=\"sign-in-sso\">Sign in with SSO</a></p>"));
    }

    private Reply loginForm(Req req) {
        AccountService.LoginOutcome o;
        try {
            o = accounts.login(req.field("email"), req.raw("password"), req);
        } catch (AppError e) {
            if (e.status() == 400 || e.status() == 401 || e.status() == 403 || e.status() == 429) {
                Reply r = loginPage(req, e.fields(), e.getMessage(), e.status());
                if (e.retryAfterSeconds() > 0) r.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
                return r;
            }
            throw e;
        }
        return loggedIn(req, o, Reply.redirect(o.session() != null ? "/app" : "/login/mfa"));
    }

    private Reply mfaLoginPage(Req req, Map<String, String> errors, int status) {
        String key = !accounts.mfaStepHasSecurityKey(req.cookies.get(MFA_COOKIE)) ? ""
                : "<form id=\"key-login-form\" data-start=\"/api/v1/login/mfa/webauthn/start\" data-finish=\"/api/v1/login/mfa/webauthn/finish\""
                + " data-csrf=\"" + Html.esc(req.csrfToken) + "\" data-done=\"/app\"><p>Or:</p>"
                + "<button type=\"submit\" id=\"mfa-key\">Use security key</button><p id=\"key-status\" role=\"status\"></p></form>"
                + "<script src=\"/static/account/webauthn.js\"></script>";
        return Reply.html(status, Html.page("Two-factor code", req, "<h1>Enter your code</h1>"
                + "<form method=\"post\" action=\"/login/mfa\" id=\"mfa-form\">" + Html.csrf(req)
                + Html.input("6-digit code or recovery code", "code", "text", "", errors, "autocomplete=\"one-time-code\" inputmode=\"numeric\" required")
                + "<button type=\"submit\">Verify</button></form>" + key));
    }

    private Reply mfaLoginForm(Req req) {
        AccountService.LoginOutcome o;
        try {
            o = accounts.loginMfa(req.cookies.getOrDefault(MFA_COOKIE, ""), req.field("code"), req);
        } catch (AppError e) {
            if (e.status() == 400) return mfaLoginPage(req, e.fields(), 400);
            if (e.status() == 401) return Reply.redirect("/login");
            throw e;
        }
        return loggedIn(req, o, Reply.redirect("/app"));
    }

    private Reply logoutForm(Req req) {
        if (req.principal() != null) accounts.logout(req);
        return Reply.redirect("/login").cookie(web.expired(Web.SESSION_COOKIE));
    }

    private Reply forgotPage(Req req, Map<String, String> errors, String message, int status) {
        return Reply.html(status, Html.page("Reset your password", req, "<h1>Reset your password</h1>" + Html.errorBox(message)
                + "<form method=\"post\" action=\"/password/forgot\">" + Html.csrf(req)
                + Html.input("E-mail", "email", "email", req.field("email"), errors, "required")
                + "<button type=\"submit\">Send reset link</button></form>"));
    }

    private Reply forgotForm(Req req) {
        try {
            accounts.forgot(req.field("email"), req);
        } catch (AppError e) {
            if (e.status() == 400 || e.status() == 429) {
                Reply r = forgotPage(req, e.fields(), e.getMessage(), e.status());
                if (e.retryAfterSeconds() > 0) r.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
                return r;
            }
            throw e;
        }
        return Reply.html(Html.page("Check your inbox", req, "<h1>Check your inbox</h1><p>If an account uses that address, "
                + "we sent it a link to reset the password.</p>"));
    }

    private Reply resetPage(Req req, Map<String, String> errors, int status) {
        String u = req.fields.containsKey("u") ? req.field("u") : req.queryParam("u");
        String t = req.fields.containsKey("t") ? req.field("t") : req.queryParam("t");
        return Reply.html(status, Html.page("Choose a new password", req, "<h1>Choose a new password</h1>"
                + "<form method=\"post\" action=\"/password/reset\">" + Html.csrf(req)
                + "<input type=\"hidden\" name=\"u\" value=\"" + Html.esc(u) + "\"><input type=\"hidden\" name=\"t\" value=\"" + Html.esc(t) + "\">"
                + Html.input("New password", "password", "password", "", errors, "autocomplete=\"new-password\" required")
                + "<p class=\"hint\">" + Html.esc(s.policy().describe()) + "</p><button type=\"submit\">Save password</button></form>"));
    }

    private Reply resetForm(Req req) {
        try {
            accounts.reset(req.field("u"), req.field("t"), req.raw("password"), req);
        } catch (AppError e) {
            if (e.status() == 400 && !e.fields().isEmpty()) return resetPage(req, e.fields(), 400);
            throw e;
        }
        return Reply.html(Html.page("Password saved", req, "<h1>Password saved</h1><p>Every session was signed out. <a href=\"/login\">Sign in</a></p>"));
    }

    private Reply workspacesPage(Req req) {
        StringBuilder b = new StringBuilder("<h1>Your workspaces</h1><ul class=\"list\">");
        for (Membership m : s.tenancy().workspacesOf(req.user().userId())) {
            String name = s.tenancy().workspace(s.tenancy().enter(req.user().userId(), m.workspaceId())).map(w -> w.name()).orElse(m.workspaceId());
            b.append("<li><a href=\"/w/").append(Html.esc(m.workspaceId())).append("\">").append(Html.esc(name)).append("</a> <span class=\"badge\">")
                    .append(Html.esc(m.role().name().toLowerCase())).append("</span></li>");
        }
        b.append("</ul>");
        if (!req.user().mfaEnabled()) b.append("<p class=\"notice\">Protect your account: <a href=\"/account/mfa\">turn on two-factor authentication</a>.</p>");
        return Reply.html(Html.page("Workspaces", req, b.toString()));
    }

    private Reply accountPage(Req req, Map<String, String> errors, String message, int status) {
        Principal p = req.user();
        return Reply.html(status, Html.page("Account", req, "<h1>Your account</h1>" + Html.notice(message)
                + "<p>" + Html.esc(p.name()) + " · <span id=\"account-email\">" + Html.esc(p.email()) + "</span></p>"
                + "<p><a href=\"/account/sessions\">Your sessions</a> · <a href=\"/account/mfa\">Two-factor authentication ("
                + (p.mfaEnabled() ? "on" : "off") + ")</a></p>"
                + "<h2>Change password</h2><form method=\"post\" action=\"/account/password\">" + Html.csrf(req)
                + Html.input("Current password", "current", "password", "", errors, "autocomplete=\"current-password\" required")
                + Html.input("New password", "password", "password", "", errors, "autocomplete=\"new-password\" required")
                + "<button type=\"submit\">Change password</button></form>"
                + "<h2>Change e-mail address</h2><form method=\"post\" action=\"/account/email\">" + Html.csrf(req)
                + Html.input("New e-mail address", "email", "email", "", errors, "required")
                + "<button type=\"submit\">Send confirmation</button></form>"));
    }

    private Reply passwordForm(Req req) {
        try {
            accounts.changePassword(req.user(), req.raw("current"), req.raw("password"), req);
        } catch (AppError e) {
            if (e.status() == 400) return accountPage(req, e.fields(), null, 400);
            throw e;
        }
        return accountPage(req, Map.of(), "Password changed; your other sessions were signed out.", 200);
    }

    private Reply emailForm(Req req) throws Exception {
        return reauthGate(req, "/account", () -> {
            try {
                accounts.requestEmailChange(req.user(), req.field("email"), req);
            } catch (AppError e) {
                if (e.status() == 400) return accountPage(req, e.fields(), null, 400);
                throw e;
            }
            return accountPage(req, Map.of(), "We sent a confirmation link to the new address.", 200);
        });
    }

    private Reply emailConfirmPage(Req req) {
        return Reply.html(Html.page("Confirm your new address", req, "<h1>Confirm your new e-mail address</h1>"
                + "<form method=\"post\" action=\"/account/email/confirm\">" + Html.csrf(req)
                + "<input type=\"hidden\" name=\"u\" value=\"" + Html.esc(req.queryParam("u")) + "\">"
                + "<input type=\"hidden\" name=\"t\" value=\"" + Html.esc(req.queryParam("t")) + "\">"
                + "<button type=\"submit\">Confirm</button></form>"));
    }

    private Reply emailConfirmForm(Req req) {
        accounts.confirmEmailChange(req.field("u"), req.field("t"), req);
        return Reply.html(Html.page("Address changed", req, "<h1>Address changed</h1><p><a href=\"/account\">Back to your account</a></p>"));
    }

    private Reply sessionsPage(Req req) {
        StringBuilder b = new StringBuilder("<h1>Your sessions</h1><table><thead><tr><th>Device</th><th>IP address</th><th>Last seen</th>"
                + "<th>Started</th><th></th></tr></thead><tbody>");
        for (SessionInfo i : accounts.sessions(req.user())) {
            boolean current = i.sessionId().equals(req.user().sessionId());
            b.append("<tr><td>").append(Html.esc(i.userAgent())).append("</td><td>").append(Html.esc(i.ipAddress())).append("</td><td>")
                    .append(Html.esc(i.lastSeenAt())).append("</td><td>").append(Html.esc(i.createdAt())).append("</td><td>")
                    .append(current ? "this session" : Html.postButton(req, "/account/sessions/" + i.sessionId() + "/revoke", "Revoke", "danger"))
                    .append("</td></tr>");
        }
        b.append("</tbody></table>").append(Html.postButton(req, "/account/sessions/revoke-others", "Sign out everywhere else", "danger"))
                .append(Html.postButton(req, "/logout", "Sign out here", "secondary"));
        return Reply.html(Html.page("Sessions", req, b.toString()));
    }

    private Reply mfaPage(Req req) {
        Principal p = req.user();
        String body;
        if (p.mfaEnabled()) {
            body = "<h1>Two-factor authentication</h1><p id=\"mfa-status\">On. Sign-in asks for a code from your authenticator app.</p>"
                    + Html.postButton(req, "/account/mfa/disable", "Turn off", "danger") + securityKeysSection(req);
        } else {
            body = "<h1>Two-factor authentication</h1>"
                    + ("1".equals(req.queryParam("required")) ? Html.errorBox("Your workspace requires two-factor authentication. Turn it on to continue.") : "")
                    + "<p id=\"mfa-status\">Off.</p><form method=\"post\" action=\"/account/mfa/start\">" + Html.csrf(req)
                    + "<button type=\"submit\" id=\"mfa-start\">Set up an authenticator app</button></form>";
        }
        return Reply.html(Html.page("Two-factor authentication", req, body));
    }

    /** Security keys: list with remove buttons, and the add form driven by /static/account/webauthn.js. */
    private String securityKeysSection(Req req) {
        StringBuilder b = new StringBuilder("<h2>Security keys</h2><p>Sign in with a hardware security key (FIDO2 / WebAuthn) "
                + "instead of a code. Your authenticator app and recovery codes keep working.</p>");
        List<WebAuthnCredential> keys = accounts.securityKeys(req.user());
        if (keys.isEmpty()) {
            b.append("<p id=\"security-keys-none\">No security key yet.</p>");
        } else {
            b.append("<table id=\"security-keys\"><thead><tr><th>Name</th><th>Added</th><th>Last used</th><th></th></tr></thead><tbody>");
            for (WebAuthnCredential k : keys) {
                b.append("<tr><td class=\"key-name\">").append(Html.esc(k.name())).append("</td><td>").append(Html.esc(k.createdAt()))
                        .append("</td><td>").append(k.lastUsedAt() == null ? "never" : Html.esc(k.lastUsedAt())).append("</td><td>")
                        .append(Html.postButton(req, "/account/mfa/keys/" + k.credentialId() + "/remove", "Remove", "danger"))
                        .append("</td></tr>");
            }
            b.append("</tbody></table>");
        }
        return b.append("<form id=\"key-add-form\" data-start=\"/api/v1/account/mfa/webauthn/register/start\"")
                .append(" data-finish=\"/api/v1/account/mfa/webauthn/register/finish\" data-csrf=\"").append(Html.esc(req.csrfToken))
                .append("\" data-done=\"/account/mfa\">")
                .append(Html.input("Key name", "name", "text", "", Map.of(), "maxlength=\"64\" required"))
                .append("<button type=\"submit\" id=\"key-add\">Add security key</button><p id=\"key-status\" role=\"status\"></p></form>")
                .append("<script src=\"/static/account/webauthn.js\"></script>").toString();
    }

    private Reply mfaStartForm(Req req) throws Exception {
        return reauthGate(req, "/account/mfa", () -> {
            AccountService.Enrolment e = accounts.mfaStart(req.user(), req);
            return mfaEnrolPage(req, e.secretBase32(), Map.of(), 200);
        });
    }

    private Reply mfaEnrolPage(Req req, String secret, Map<String, String> errors, int status) {
        return Reply.html(status, Html.page("Set up two-factor authentication", req, "<h1>Scan this code</h1>"
                + "<p>Scan it with your authenticator app, then enter the 6-digit code it shows.</p>"
                + "<img src=\"/account/mfa/qr.svg\" alt=\"QR code for your authenticator app\" width=\"240\" height=\"240\" id=\"mfa-qr\">"
                + (secret == null ? "" : "<p>Or type this key: <code id=\"mfa-secret\">" + Html.esc(secret) + "</code></p>")
                + "<form method=\"post\" action=\"/account/mfa/confirm\" id=\"mfa-confirm-form\">" + Html.csrf(req)
                + Html.input("Code", "code", "text", "", errors, "autocomplete=\"one-time-code\" inputmode=\"numeric\" required")
                + "<button type=\"submit\">Turn on</button></form>"));
    }

    private Reply qr(Req req) {
        String uri = accounts.enrolmentUri(req.user()).orElseThrow(AppError::notFound);
        return Reply.text(200, "image/svg+xml", QrCodes.svg(uri)).header("Cache-Control", "no-store");
    }

    private Reply mfaConfirmForm(Req req) throws Exception {
        return reauthGate(req, "/account/mfa", () -> {
            List<String> codes;
            try {
                codes = accounts.mfaConfirm(req.user(), req.field("code"), req);
            } catch (AppError e) {
                if (e.status() == 400) return mfaEnrolPage(req, null, e.fields(), 400);
                throw e;
            }
            StringBuilder b = new StringBuilder("<h1>Two-factor authentication is on</h1><p>Keep these recovery codes somewhere safe. "
                    + "Each works once if you lose your phone. They are shown only now.</p><ul class=\"codes\" id=\"recovery-codes\">");
            for (String c : codes) b.append("<li><code>").append(Html.esc(c)).append("</code></li>");
            b.append("</ul><p><a href=\"/app\">Continue</a></p>");
            return Reply.html(Html.page("Recovery codes", req, b.toString()));
        });
    }

    private Reply reauthPage(Req req, Map<String, String> errors, int status) {
        String next = safeNext(req.fields.containsKey("next") ? req.field("next") : req.queryParam("next"));
        return Reply.html(status, Html.page("Confirm it is you", req, "<h1>Confirm it is you</h1>"
                + "<p>This change needs a recent sign-in. Enter your password" + (req.user().mfaEnabled() ? " or a two-factor code" : "") + ".</p>"
                + "<form method=\"post\" action=\"/reauth\" id=\"reauth-form\">" + Html.csrf(req)
                + "<input type=\"hidden\" name=\"next\" value=\"" + Html.esc(next) + "\">"
                + Html.input("Password", "password", "password", "", errors, "autocomplete=\"current-password\"")
                + (req.user().mfaEnabled() ? Html.input("or two-factor code", "code", "text", "", errors, "autocomplete=\"one-time-code\"") : "")
                + "<button type=\"submit\">Confirm</button></form>"));
    }

    private Reply reauthForm(Req req) {
        try {
            accounts.reauth(req.user(), req.raw("password"), req.field("code"), req);
        } catch (AppError e) {
            if (e.status() == 400) return reauthPage(req, e.fields(), 400);
            throw e;
        }
        return Reply.redirect(safeNext(req.field("next")));
    }

    private static String resource(String path) {
        try (java.io.InputStream in = AccountRoutes.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing resource " + path);
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\") || next.contains("\r") || next.contains("\n")) return "/account";
        return next;
    }

    /** Runs a sensitive page action, or sends the user to /reauth first when the last proof is older than the window. */
    public static Reply reauthGate(Req req, String back, java.util.concurrent.Callable<Reply> action) throws Exception {
        try {
            return action.call();
        } catch (AppError e) {
            if ("reauthentication_required".equals(e.code())) return Reply.redirect("/reauth?next=" + java.net.URLEncoder.encode(back, java.nio.charset.StandardCharsets.UTF_8));
            throw e;
        }
    }
}
