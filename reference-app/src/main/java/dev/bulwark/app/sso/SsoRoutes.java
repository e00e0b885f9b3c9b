package dev.bulwark.app.sso;

import dev.bulwark.app.account.AccountRoutes;
import dev.bulwark.app.account.User;
import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Audit;
import dev.bulwark.app.platform.Html;
import dev.bulwark.app.platform.Principal;
import dev.bulwark.app.platform.Reply;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Services;
import dev.bulwark.app.platform.Web;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.Outcome;
import dev.bulwark.auth.session.NewSession;
import dev.bulwark.auth.session.SessionInfo;
import dev.bulwark.auth.sso.LoginMethod;
import dev.bulwark.auth.sso.SsoLoginStart;
import dev.bulwark.auth.sso.SsoPolicy;
import dev.bulwark.tenancy.Membership;
import dev.bulwark.tenancy.Permission;
import dev.bulwark.tenancy.Role;
import dev.bulwark.tenancy.TenantContext;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Single sign-on pages and API: the workspace sign-in page ("Sign in with SSO" and the LDAP form), the OIDC begin and
 * callback, LDAP login, and the workspace's SSO settings (owner/admin, recent re-authentication, audited).
 */
public final class SsoRoutes {
    /** Binds a started OIDC sign-in to this browser (login CSRF); set on begin, sent back on the callback. */
    public static final String BINDING_COOKIE = "__Host-bw_sso";
    private static final Set<String> ROLES = Set.of("admin", "staff", "accountant", "viewer");

    private final Services s;
    private final Web web;
    private final SsoService sso;
    private final SsoRepository repo;

    public SsoRoutes(Services s, Web web) {
        this.s = s;
        this.web = web;
        this.sso = new SsoService(s);
        this.repo = sso.repository();
    }

    public void register(Router r) {
        r.get("/sso").handler(web.open(this::choosePage));
        r.get("/sso/go").handler(web.open(req -> {
            String ws = req.queryParam("workspace").strip();
            return Reply.redirect(ws.matches("[A-Za-z0-9_-]{1,64}") ? "/sso/" + ws : "/sso");
        }));
        r.get("/sso/:ws").handler(web.open(req -> signInPage(req, Map.of(), null, 200)));
        r.post("/sso/:ws/oidc").handler(web.open(this::begin));
        r.get("/sso/:ws/callback").handler(web.open(this::callback));
        r.post("/sso/:ws/ldap").handler(web.passwordWork(this::ldapForm));
        r.get("/w/:ws/settings/sso").handler(web.workspace(Permission.WORKSPACE_SETTINGS_MANAGE, req -> settingsPage(req, repo.get(req.tenant()), Map.of(), null, 200)));
        r.post("/w/:ws/settings/sso").handler(web.workspace(Permission.WORKSPACE_SETTINGS_MANAGE, req ->
                AccountRoutes.reauthGate(req, "/w/" + req.param("ws") + "/settings/sso", () -> {
                    try {
                        return settingsPage(req, update(req), Map.of(), "Saved.", 200);
                    } catch (AppError e) {
                        if (e.status() == 400) return settingsPage(req, repo.get(req.tenant()), e.fields(), null, 400);
                        throw e;
                    }
                })));

        // JSON API
        r.post("/api/v1/sso/:ws/ldap").handler(web.passwordWork(req -> {
            NewSession ns = sso.ldapLogin(req.param("ws"), req.field("username"), req.raw("password"), req);
            return Reply.json(new JsonObject().put("status", "signed_in").put("workspace", req.param("ws")))
                    .cookie(web.sessionCookie(ns.token(), s.config().sessionAbsoluteLifetime));
        }));
        r.get("/api/v1/workspaces/:ws/settings/sso").handler(web.workspace(Permission.WORKSPACE_SETTINGS_MANAGE,
                req -> Reply.json(json(req.tenant().workspaceId(), repo.get(req.tenant())))));
        r.put("/api/v1/workspaces/:ws/settings/sso").handler(web.workspace(Permission.WORKSPACE_SETTINGS_MANAGE,
                req -> Reply.json(json(req.tenant().workspaceId(), update(req)))));
    }

    // ------------------------------------------------------------------ sign-in

    private Reply begin(Req req) {
        String ws = req.param("ws");
        SsoLoginStart start;
        try {
            start = sso.beginOidc(ws, req);
        } catch (AppError e) {
            if (e.status() == 401 || e.status() == 429) return signInPage(req, Map.of(), e.getMessage(), e.status());
            throw e;
        }
        long maxAge = Math.max(1, Duration.between(Instant.now(), start.expiresAt()).toSeconds());
        return Reply.text(303, "text/plain; charset=utf-8", "")
                .header("Location", start.authorizationUri().toString())
                .cookie(Cookie.cookie(BINDING_COOKIE, start.browserBinding()).setPath("/").setSecure(true).setHttpOnly(true)
                        .setSameSite(CookieSameSite.LAX).setMaxAge(maxAge));
    }

    private Reply callback(Req req) {
        String ws = req.param("ws");
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String name : req.query.names()) params.put(name, req.query.getAll(name));
        NewSession ns;
        try {
            ns = sso.completeOidc(ws, params, req.cookies.get(BINDING_COOKIE), req);
        } catch (AppError e) {
            if (e.status() == 401 || e.status() == 429) {
                return signInPage(req, Map.of(), e.getMessage(), e.status()).cookie(web.expired(BINDING_COOKIE));
            }
            throw e;
        }
        return Reply.redirect("/w/" + ws).cookie(web.expired(BINDING_COOKIE))
                .cookie(web.sessionCookie(ns.token(), s.config().sessionAbsoluteLifetime));
    }

    private Reply ldapForm(Req req) {
        String ws = req.param("ws");
        NewSession ns;
        try {
            ns = sso.ldapLogin(ws, req.field("username"), req.raw("password"), req);
        } catch (AppError e) {
            if (e.status() == 400 || e.status() == 401 || e.status() == 429) {
                Reply r = signInPage(req, e.fields(), e.getMessage(), e.status());
                if (e.retryAfterSeconds() > 0) r.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
                return r;
            }
            throw e;
        }
        return Reply.redirect("/w/" + ws).cookie(web.sessionCookie(ns.token(), s.config().sessionAbsoluteLifetime));
    }

    private Reply choosePage(Req req) {
        return Reply.html(Html.page("Sign in with SSO", req, "<h1>Sign in with single sign-on</h1>"
                + "<p>Enter your workspace's sign-in id (your administrator finds it on the workspace's single sign-on settings page).</p>"
                + "<form method=\"get\" action=\"/sso/go\" id=\"sso-choose\">"
                + Html.input("Workspace id", "workspace", "text", "", Map.of(), "required maxlength=\"64\" autocomplete=\"organization\"")
                + "<button type=\"submit\">Continue</button></form><p><a href=\"/login\">Sign in with a password instead</a></p>"));
    }

    private Reply signInPage(Req req, Map<String, String> errors, String message, int status) {
        String ws = req.param("ws");
        SsoSettings st = sso.forSignIn(ws);
        if (!st.configured()) throw AppError.notFound(); // same answer as a workspace that does not exist
        StringBuilder b = new StringBuilder("<h1>Sign in with single sign-on</h1>").append(Html.errorBox(message));
        if (st.oidc().isPresent()) {
            b.append("<form method=\"post\" action=\"/sso/").append(Html.esc(ws)).append("/oidc\" id=\"sso-oidc-form\">").append(Html.csrf(req))
                    .append("<button type=\"submit\" id=\"sso-oidc\">Sign in with your organisation's identity provider</button></form>");
        }
        if (st.ldap().isPresent()) {
            b.append("<h2>Directory sign-in</h2><form method=\"post\" action=\"/sso/").append(Html.esc(ws)).append("/ldap\" id=\"sso-ldap-form\">")
                    .append(Html.csrf(req))
                    .append(Html.input("Directory user name", "username", "text", req.field("username"), errors, "autocomplete=\"username\" required"))
                    .append(Html.input("Password", "password", "password", "", errors, "autocomplete=\"current-password\" required"))
                    .append("<button type=\"submit\">Sign in</button></form>");
        }
        b.append("<p><a href=\"/login\">Sign in with a password</a> (workspace owners: break-glass sign-in with two-factor authentication)</p>");
        return Reply.html(status, Html.page("Sign in with SSO", req, b.toString()));
    }

    // ------------------------------------------------------------------ settings

    /** Like other security settings: a password/TOTP proof within the re-auth window, or an SSO sign-in to this workspace within it. */
    private void requireRecentAuth(Req req) {
        Principal p = req.principal();
        if (p.viaApiKey()) throw new AppError(403, "forbidden", "API keys cannot change single sign-on settings.");
        Instant since = Instant.now().minus(s.config().reauthWindow);
        if (s.users().reauthAt(p.sessionId()).isAfter(since)) return;
        Optional<SsoRepository.Binding> b = repo.binding(p.sessionId());
        if (b.isPresent() && b.get().workspaceId().equals(req.tenant().workspaceId()) && b.get().createdAt().isAfter(since)) return;
        throw new AppError(403, "reauthentication_required", "Confirm it is you: enter your password or a two-factor code again"
                + (b.isPresent() ? ", or sign in with single sign-on again." : "."));
    }

    private SsoSettings update(Req req) {
        requireRecentAuth(req);
        TenantContext ctx = req.tenant();
        String ws = ctx.workspaceId();
        SsoSettings old = repo.get(ctx);
        Map<String, String> errors = new LinkedHashMap<>();

        Optional<SsoSettings.Oidc> oo = old.oidc();
        Optional<SsoSettings.Ldap> ol = old.ldap();
        Optional<String> ca = Optional.of(value(req, "tlsCaPem", old.tlsCaPem().orElse(""))).filter(x -> !x.isEmpty());
        if (ca.isPresent()) {
            try {
                SsoTls.parse(ca.get());
            } catch (CertificateException e) {
                errors.put("tlsCaPem", "Not a PEM CA certificate: " + e.getMessage());
            }
        }

        Optional<SsoSettings.Oidc> oidc = Optional.empty();
        boolean oidcSecretChanged = false;
        String issuer = value(req, "oidcIssuer", oo.map(SsoSettings.Oidc::issuer).orElse(""));
        if (!issuer.isEmpty()) {
            String clientId = value(req, "oidcClientId", oo.map(SsoSettings.Oidc::clientId).orElse(""));
            String secret = req.raw("oidcClientSecret");
            List<String> domains = Arrays.stream(value(req, "oidcAllowedDomains", oo.map(o -> String.join(",", o.allowedDomains())).orElse(""))
                            .toLowerCase(Locale.ROOT).split("[,\\s]+"))
                    .map(String::strip).filter(x -> !x.isEmpty()).distinct().toList();
            Optional<String> jit = role(value(req, "oidcJitRole", oo.flatMap(SsoSettings.Oidc::jitRole).orElse("")), "oidcJitRole", errors);
            String enc = null;
            Optional<SsoSettings.Oidc> was = old.oidc();
            if (!secret.isEmpty()) {
                if (secret.length() > 1024) errors.put("oidcClientSecret", "The client secret is longer than 1024 characters.");
                else {
                    enc = sso.encrypt(ws, secret, "oidc_client_secret");
                    oidcSecretChanged = true;
                }
            } else if (was.isPresent() && was.get().issuer().equals(issuer) && was.get().clientId().equals(clientId)) {
                enc = was.get().clientSecretEnc();
            } else {
                errors.put("oidcClientSecret", "Enter the client secret (it is needed again when the issuer or client id changes).");
            }
            SsoSettings.Oidc o = new SsoSettings.Oidc(issuer, clientId, enc, domains, jit);
            try {
                sso.oidcConfig(ws, o);
            } catch (IllegalStateException | IllegalArgumentException e) {
                errors.put(e.getMessage() != null && e.getMessage().contains("domain") ? "oidcAllowedDomains" : "oidcIssuer", e.getMessage());
            }
            oidc = Optional.of(o);
        }

        Optional<SsoSettings.Ldap> ldap = Optional.empty();
        boolean ldapPasswordChanged = false;
        String host = value(req, "ldapHost", ol.map(SsoSettings.Ldap::host).orElse(""));
        if (!host.isEmpty()) {
            String transport = value(req, "ldapTransport", ol.map(SsoSettings.Ldap::transport).orElse("")).toLowerCase(Locale.ROOT);
            if (!transport.equals("ldaps") && !transport.equals("starttls")) {
                errors.put("ldapTransport", "Choose ldaps or starttls: a directory is never used without TLS.");
            }
            int port = 0;
            String portText = value(req, "ldapPort", ol.filter(x -> x.port() > 0).map(x -> String.valueOf(x.port())).orElse(""));
            if (!portText.isEmpty()) {
                try {
                    port = Integer.parseInt(portText);
                    if (port < 1 || port > 65535) errors.put("ldapPort", "Enter a port between 1 and 65535.");
                } catch (NumberFormatException e) {
                    errors.put("ldapPort", "Enter a port number.");
                }
            }
            String bindDn = value(req, "ldapBindDn", ol.map(SsoSettings.Ldap::bindDn).orElse(""));
            String password = req.raw("ldapServicePassword");
            String enc = null;
            Optional<SsoSettings.Ldap> was = old.ldap();
            if (!password.isEmpty()) {
                if (password.length() > 1024) errors.put("ldapServicePassword", "The password is longer than 1024 characters.");
                else {
                    enc = sso.encrypt(ws, password, "ldap_service_password");
                    ldapPasswordChanged = true;
                }
            } else if (was.isPresent() && was.get().host().equals(host) && was.get().bindDn().equals(bindDn)) {
                enc = was.get().servicePasswordEnc();
            } else {
                errors.put("ldapServicePassword", "Enter the service account's password (needed again when the host or bind DN changes).");
            }
            List<SsoSettings.GroupRole> groups = new ArrayList<>();
            String oldGroups = String.join("\n", ol.map(x -> x.groupRoles().stream().map(g -> g.role() + ": " + g.groupDn()).toList()).orElse(List.of()));
            for (String line : value(req, "ldapGroupRoles", oldGroups).split("\n")) {
                String l = line.strip();
                if (l.isEmpty()) continue;
                int colon = l.indexOf(':');
                if (colon < 1) {
                    errors.put("ldapGroupRoles", "Write one mapping per line as \"role: group DN\", e.g. staff: cn=staff,ou=groups,dc=example,dc=com");
                    break;
                }
                role(l.substring(0, colon), "ldapGroupRoles", errors).ifPresent(r -> groups.add(new SsoSettings.GroupRole(r, l.substring(colon + 1).strip())));
            }
            Optional<String> defaultRole = role(value(req, "ldapDefaultRole", ol.flatMap(SsoSettings.Ldap::defaultRole).orElse("")),
                    "ldapDefaultRole", errors);
            SsoSettings.Ldap l = new SsoSettings.Ldap(host, port, transport, bindDn, enc, value(req, "ldapUserBase", ol.map(SsoSettings.Ldap::userBase).orElse("")),
                    value(req, "ldapUserFilter", ol.map(SsoSettings.Ldap::userFilter).orElse("")), List.copyOf(groups), defaultRole);
            if (!errors.containsKey("ldapTransport") && !errors.containsKey("tlsCaPem")) {
                try {
                    sso.ldapDirectory(ws, l, ca);
                } catch (IllegalStateException | IllegalArgumentException e) {
                    errors.put("ldapHost", e.getMessage());
                }
            }
            ldap = Optional.of(l);
        }

        boolean requireSso = bool(req, "requireSso", old.requireSso());
        boolean breakGlass = bool(req, "ownerBreakGlass", old.ownerBreakGlass());
        if (requireSso && oidc.isEmpty() && ldap.isEmpty()) {
            errors.put("requireSso", "Configure an identity provider or a directory first.");
        }
        Principal me = req.principal();
        SsoPolicy next = SsoPolicy.builder().requireSso(requireSso).ownerBreakGlass(breakGlass).build();
        Optional<SsoRepository.Binding> mine = repo.binding(me.sessionId());
        boolean viaSso = mine.isPresent() && mine.get().workspaceId().equals(ws);
        if (!viaSso && !next.decide(new SsoPolicy.Member(me.userId(), ctx.role() == Role.OWNER), LoginMethod.PASSWORD, me.mfaEnabled()).allowsSession()) {
            errors.put("requireSso", "Saving this would lock you out of the workspace: sign in with single sign-on first"
                    + (ctx.role() == Role.OWNER ? " (or turn on two-factor authentication and keep owner break-glass on)." : "."));
        }
        if (!errors.isEmpty()) throw AppError.invalid(errors);

        SsoSettings n = new SsoSettings(requireSso, breakGlass, oidc, ldap, ca, Math.max(System.currentTimeMillis(), old.updatedAtMs() + 1));
        repo.put(ctx, n);
        sso.forget(ws);
        if (old.oidc().isPresent() && (oidc.isEmpty() || !old.oidc().get().issuer().equals(oidc.get().issuer()))) repo.unpinAll(ctx, SsoService.OIDC);
        if (old.ldap().isPresent() && (ldap.isEmpty() || !old.ldap().get().host().equals(ldap.get().host()))) repo.unpinAll(ctx, SsoService.LDAP);
        int ended = 0;
        if (requireSso) ended = endPasswordSessions(ctx, next, me.userId());
        s.audit().workspace(ws, Audit.actor(me), "sso.settings_changed", "workspace", ws, Outcome.SUCCESS, req, Details.builder()
                .put("require_sso", requireSso).put("owner_break_glass", breakGlass).put("oidc", oidc.isPresent()).put("ldap", ldap.isPresent())
                .put("oidc_secret_changed", oidcSecretChanged).put("ldap_password_changed", ldapPasswordChanged)
                .put("tls_ca", ca.isPresent()).put("sessions_ended", ended).build(), requireSso != old.requireSso());
        return n;
    }

    /** With SSO required, members' password sessions that may no longer enter the workspace are signed out at once. */
    private int endPasswordSessions(TenantContext ctx, SsoPolicy policy, String except) {
        int ended = 0;
        for (Membership m : s.tenancy().members(ctx)) {
            if (m.memberId().equals(except)) continue;
            boolean mfa = s.users().byId(m.memberId()).map(User::mfaEnabled).orElse(false);
            if (policy.decide(new SsoPolicy.Member(m.memberId(), m.role() == Role.OWNER), LoginMethod.PASSWORD, mfa).allowsSession()) continue;
            for (SessionInfo i : s.sessions().list(m.memberId())) {
                Optional<SsoRepository.Binding> b = repo.binding(i.sessionId());
                if (b.isPresent() && b.get().workspaceId().equals(ctx.workspaceId())) continue;
                if (s.sessions().revokeSession(m.memberId(), i.sessionId())) ended++;
            }
        }
        return ended;
    }

    private static Optional<String> role(String value, String field, Map<String, String> errors) {
        String r = value.strip().toLowerCase(Locale.ROOT);
        if (r.isEmpty() || r.equals("none") || r.equals("off")) return Optional.empty();
        if (!ROLES.contains(r)) {
            errors.put(field, "Roles are admin, staff, accountant or viewer (single sign-on never grants owner).");
            return Optional.empty();
        }
        return Optional.of(r);
    }

    /** The form sends every field; a JSON body keeps the stored value of a field it leaves out ("" clears it). */
    private static String value(Req req, String name, String old) {
        if (req.api && !req.fields.containsKey(name)) return old == null ? "" : old;
        return req.field(name);
    }

    /** A form checkbox is absent when unticked; an API body keeps the stored value for an absent field. */
    private static boolean bool(Req req, String name, boolean old) {
        String v = req.field(name);
        if (v.isEmpty()) return req.api ? old : false;
        return "true".equalsIgnoreCase(v) || "on".equalsIgnoreCase(v);
    }

    private JsonObject json(String ws, SsoSettings st) {
        JsonObject o = new JsonObject().put("requireSso", st.requireSso()).put("ownerBreakGlass", st.ownerBreakGlass())
                .put("signInUrl", s.url("/sso/" + ws)).put("tlsCaConfigured", st.tlsCaPem().isPresent());
        st.oidc().ifPresentOrElse(x -> o.put("oidc", new JsonObject().put("issuer", x.issuer()).put("clientId", x.clientId())
                .put("clientSecretSet", x.clientSecretEnc() != null).put("allowedDomains", new JsonArray(x.allowedDomains()))
                .put("jitRole", x.jitRole().orElse(null)).put("redirectUri", sso.redirectUri(ws))), () -> o.putNull("oidc"));
        st.ldap().ifPresentOrElse(x -> {
            JsonArray groups = new JsonArray();
            for (SsoSettings.GroupRole g : x.groupRoles()) groups.add(new JsonObject().put("role", g.role()).put("group", g.groupDn()));
            o.put("ldap", new JsonObject().put("host", x.host()).put("port", x.port()).put("transport", x.transport())
                    .put("bindDn", x.bindDn()).put("servicePasswordSet", x.servicePasswordEnc() != null).put("userBase", x.userBase())
                    .put("userFilter", x.userFilter()).put("groupRoles", groups).put("defaultRole", x.defaultRole().orElse(null)));
        }, () -> o.putNull("ldap"));
        return o;
    }

    private Reply settingsPage(Req req, SsoSettings st, Map<String, String> errors, String message, int status) {
        String ws = req.tenant().workspaceId();
        SsoSettings.Oidc o = st.oidc().orElse(null);
        SsoSettings.Ldap l = st.ldap().orElse(null);
        StringBuilder groups = new StringBuilder();
        if (l != null) for (SsoSettings.GroupRole g : l.groupRoles()) groups.append(g.role()).append(": ").append(g.groupDn()).append('\n');
        String b = "<h1>Single sign-on</h1>" + Html.notice(message)
                + (errors.isEmpty() ? "" : Html.errorBox("Some fields are not valid."))
                + "<p>Members sign in at <code id=\"sso-sign-in-url\">" + Html.esc(s.url("/sso/" + ws)) + "</code>. "
                + "Redirect URI to register with your identity provider: <code id=\"sso-redirect-uri\">" + Html.esc(sso.redirectUri(ws)) + "</code></p>"
                + "<form method=\"post\" action=\"/w/" + Html.esc(ws) + "/settings/sso\" id=\"sso-settings-form\">" + Html.csrf(req)
                + "<h2>OpenID Connect</h2>"
                + Html.input("Issuer (https URL; empty = off)", "oidcIssuer", "url", o == null ? "" : o.issuer(), errors, null)
                + Html.input("Client id", "oidcClientId", "text", o == null ? "" : o.clientId(), errors, null)
                + Html.input("Client secret" + (o != null && o.clientSecretEnc() != null ? " (stored; leave empty to keep it)" : ""),
                "oidcClientSecret", "password", "", errors, "autocomplete=\"off\"")
                + Html.input("Allowed e-mail domains (comma-separated)", "oidcAllowedDomains", "text", o == null ? "" : String.join(", ", o.allowedDomains()), errors, null)
                + Html.input("Just-in-time membership role (empty = off; admin, staff, accountant, viewer)", "oidcJitRole", "text",
                o == null ? "" : o.jitRole().orElse(""), errors, null)
                + "<h2>LDAP directory</h2>"
                + Html.input("Host (empty = off)", "ldapHost", "text", l == null ? "" : l.host(), errors, null)
                + Html.input("Port (empty = 636 for ldaps, 389 for starttls)", "ldapPort", "number", l == null || l.port() == 0 ? "" : String.valueOf(l.port()), errors, "min=\"1\" max=\"65535\"")
                + "<label for=\"ldapTransport\">Transport</label><select id=\"ldapTransport\" name=\"ldapTransport\">"
                + "<option value=\"ldaps\"" + (l != null && "ldaps".equals(l.transport()) ? " selected" : "") + ">LDAPS</option>"
                + "<option value=\"starttls\"" + (l != null && "starttls".equals(l.transport()) ? " selected" : "") + ">StartTLS</option></select>"
                + (errors.containsKey("ldapTransport") ? Html.errorBox(errors.get("ldapTransport")) : "")
                + Html.input("Service account bind DN", "ldapBindDn", "text", l == null ? "" : l.bindDn(), errors, null)
                + Html.input("Service account password" + (l != null && l.servicePasswordEnc() != null ? " (stored; leave empty to keep it)" : ""),
                "ldapServicePassword", "password", "", errors, "autocomplete=\"off\"")
                + Html.input("User search base", "ldapUserBase", "text", l == null ? "" : l.userBase(), errors, null)
                + Html.input("User filter (with {username}; empty = (&(objectClass=person)(uid={username})))", "ldapUserFilter", "text",
                l == null || l.userFilter() == null ? "" : l.userFilter(), errors, null)
                + "<label for=\"ldapGroupRoles\">Group → role, one per line (\"staff: cn=staff,ou=groups,dc=example,dc=com\")</label>"
                + "<textarea id=\"ldapGroupRoles\" name=\"ldapGroupRoles\" rows=\"4\">" + Html.esc(groups) + "</textarea>"
                + (errors.containsKey("ldapGroupRoles") ? Html.errorBox(errors.get("ldapGroupRoles")) : "")
                + Html.input("Role for users in no mapped group (empty = refuse them)", "ldapDefaultRole", "text",
                l == null ? "" : l.defaultRole().orElse(""), errors, null)
                + "<h2>Trust</h2><label for=\"tlsCaPem\">CA certificate of the provider / directory (PEM; empty = public CAs)</label>"
                + "<textarea id=\"tlsCaPem\" name=\"tlsCaPem\" rows=\"4\">" + Html.esc(st.tlsCaPem().orElse("")) + "</textarea>"
                + (errors.containsKey("tlsCaPem") ? Html.errorBox(errors.get("tlsCaPem")) : "")
                + "<h2>Enforcement</h2>"
                + "<label class=\"check\"><input type=\"checkbox\" name=\"requireSso\" value=\"true\"" + (st.requireSso() ? " checked" : "")
                + "> Require single sign-on: members cannot sign in with a password</label>"
                + (errors.containsKey("requireSso") ? Html.errorBox(errors.get("requireSso")) : "")
                + "<label class=\"check\"><input type=\"checkbox\" name=\"ownerBreakGlass\" value=\"true\"" + (st.ownerBreakGlass() ? " checked" : "")
                + "> Owners may still sign in with password + two-factor authentication (break-glass, audited)</label>"
                + "<button type=\"submit\">Save</button></form>";
        return Reply.html(status, Html.page("Single sign-on", req, b));
    }
}
