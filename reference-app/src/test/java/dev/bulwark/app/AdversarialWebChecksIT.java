package dev.bulwark.app;

import dev.bulwark.app.AdversarialRouteTable.Access;
import dev.bulwark.app.AdversarialRouteTable.Call;
import dev.bulwark.app.AdversarialRouteTable.Spec;
import dev.bulwark.tenancy.Role;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Browser-facing defences on every route the router holds (shared H2 app): every HTML page (as an anonymous visitor,
 * as every role of the owning workspace, as a foreign member) carries HSTS, a CSP with frame-ancestors 'none' and no
 * inline script, nosniff, and no inline script/handler/style in its markup; every POST form carries the CSRF token;
 * every cookie the app sets is __Host-, Secure, HttpOnly; and every state-changing route refuses a cross-origin
 * request, a request without Origin/Referer, and a same-origin request without the token (403, nothing done).
 */
class AdversarialWebChecksIT {
    private static final Pattern SCRIPT = Pattern.compile("<script\\b([^>]*)>(.*?)</script\\s*>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern HANDLER_ATTR = Pattern.compile("<[^>]+\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
    private static final Pattern JS_URL = Pattern.compile("(href|src|action|formaction)\\s*=\\s*[\"']?\\s*javascript:", Pattern.CASE_INSENSITIVE);
    private static final Pattern STYLE = Pattern.compile("<style\\b|\\sstyle\\s*=", Pattern.CASE_INSENSITIVE);
    private static final Pattern POST_FORM = Pattern.compile("<form\\b[^>]*method=\"post\"[^>]*>(.*?)</form>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    static AdversarialWorld world() throws Exception {
        return AdversarialShared.h2();
    }

    static List<Spec> registered(Set<String> keys) {
        List<Spec> out = new ArrayList<>();
        for (Spec s : AdversarialRouteTable.TABLE.values()) if (keys.contains(s.key())) out.add(s);
        return out;
    }

    static Set<String> routes(AdversarialWorld w) throws Exception {
        List<String> problems = new ArrayList<>();
        Set<String> r = AdversarialRouteMatrix.registeredRoutes(w.app.app, problems);
        assertThat(problems).isEmpty();
        return r;
    }

    /** Problems of one HTML response (empty when it passes). */
    static List<String> htmlProblems(String what, HttpResponse<Buffer> r) {
        List<String> p = new ArrayList<>();
        String hsts = r.getHeader("Strict-Transport-Security");
        Matcher age = hsts == null ? null : Pattern.compile("max-age=(\\d+)").matcher(hsts);
        if (age == null || !age.find() || Long.parseLong(age.group(1)) < 31_536_000L) p.add(what + ": HSTS missing or under a year: " + hsts);
        String csp = r.getHeader("Content-Security-Policy");
        if (csp == null) {
            p.add(what + ": no Content-Security-Policy");
        } else {
            if (!csp.contains("frame-ancestors 'none'")) p.add(what + ": CSP without frame-ancestors 'none': " + csp);
            if (csp.contains("unsafe-inline") || csp.contains("unsafe-eval")) p.add(what + ": CSP allows inline script/eval: " + csp);
            if (!csp.contains("script-src") && !csp.contains("default-src 'none'")) p.add(what + ": CSP does not restrict scripts: " + csp);
        }
        if (!"nosniff".equalsIgnoreCase(r.getHeader("X-Content-Type-Options"))) p.add(what + ": no X-Content-Type-Options: nosniff");
        if (!noStore(r)) p.add(what + ": an HTML page that caches may keep personal data: " + r.getHeader("Cache-Control"));
        String body = r.bodyAsString() == null ? "" : r.bodyAsString();
        Matcher s = SCRIPT.matcher(body);
        while (s.find()) {
            if (!s.group(1).toLowerCase(Locale.ROOT).contains("src=") || !s.group(2).isBlank()) p.add(what + ": inline script " + AdversarialRouteMatrix.abbreviate(s.group()));
        }
        if (HANDLER_ATTR.matcher(body).find()) p.add(what + ": inline event handler attribute");
        if (JS_URL.matcher(body).find()) p.add(what + ": javascript: URL");
        if (STYLE.matcher(body).find()) p.add(what + ": inline style");
        Matcher f = POST_FORM.matcher(body);
        while (f.find()) {
            if (!f.group(1).contains("name=\"_csrf\"")) p.add(what + ": POST form without the _csrf token: " + AdversarialRouteMatrix.abbreviate(f.group()));
        }
        return p;
    }

    static boolean noStore(HttpResponse<Buffer> r) {
        String c = r.getHeader("Cache-Control");
        return c != null && c.toLowerCase(Locale.ROOT).contains("no-store");
    }

    static List<String> cookieProblems(String what, HttpResponse<Buffer> r) {
        List<String> p = new ArrayList<>();
        for (String c : r.cookies()) {
            String lc = c.toLowerCase(Locale.ROOT);
            if (!c.startsWith("__Host-")) p.add(what + ": cookie without the __Host- prefix: " + c.substring(0, Math.min(c.length(), 40)));
            if (!lc.contains("; secure")) p.add(what + ": cookie without Secure: " + c.substring(0, c.indexOf('=')));
            if (!lc.contains("; httponly")) p.add(what + ": cookie without HttpOnly: " + c.substring(0, c.indexOf('=')));
            if (!lc.contains("; path=/")) p.add(what + ": cookie without Path=/: " + c.substring(0, c.indexOf('=')));
            if (lc.contains("; domain=")) p.add(what + ": __Host- cookie with a Domain: " + c.substring(0, c.indexOf('=')));
        }
        return p;
    }

    @Test
    void everyHtmlPageCarriesHstsCspFrameAncestorsNosniffNoStoreAndNoInlineScriptAndEveryPostFormHasTheCsrfToken() throws Exception {
        AdversarialWorld w = world();
        List<String> problems = new ArrayList<>();
        Set<String> pages = new LinkedHashSet<>();
        int responses = 0;
        for (Spec s : registered(routes(w))) {
            if (!s.key().startsWith("GET ") || s.access() == Access.STATIC) continue;
            List<Http> viewers = new ArrayList<>();
            viewers.add(w.client());
            for (Role r : Role.values()) viewers.add(w.a.users.get(r).http());
            viewers.add(w.b.owner.http());
            viewers.add(w.platformAdmin.http());
            for (Http h : viewers) {
                Call c = s.target().call(AdversarialFx.own(w.a, w.a.owner));
                HttpResponse<Buffer> r = h.get(c.path());
                responses++;
                String type = r.getHeader("Content-Type") == null ? "" : r.getHeader("Content-Type");
                problems.addAll(cookieProblems(s.key(), r));
                if (type.startsWith("text/html")) {
                    pages.add(s.key() + " " + r.statusCode());
                    problems.addAll(htmlProblems(s.key() + " (" + r.statusCode() + ")", r));
                } else if (r.getHeader("Strict-Transport-Security") == null || !"nosniff".equalsIgnoreCase(r.getHeader("X-Content-Type-Options"))
                        || (s.access() != Access.OPEN && !noStore(r))) {
                    problems.add(s.key() + ": a non-HTML response without HSTS/nosniff (or, behind sign-in, without Cache-Control: no-store)");
                }
            }
        }
        // Static resources: not HTML, still HSTS + nosniff.
        for (Spec s : registered(routes(w))) {
            if (s.access() != Access.STATIC) continue;
            HttpResponse<Buffer> r = w.client().get(s.key().substring(4));
            responses++;
            if (r.getHeader("Strict-Transport-Security") == null || !"nosniff".equalsIgnoreCase(r.getHeader("X-Content-Type-Options"))) {
                problems.add(s.key() + ": static resource without HSTS/nosniff");
            }
        }
        System.out.printf("[adversarial] web checks: %d GET responses, %d distinct HTML page/status pairs checked; problems %d%n", responses, pages.size(), problems.size());
        assertThat(pages.size()).as("HTML pages were actually reached").isGreaterThan(40);
        assertThat(problems).isEmpty();
    }

    @Test
    void everyCookieTheAppSetsIsHostPrefixedSecureAndHttpOnly() throws Exception {
        AdversarialWorld w = world();
        List<String> problems = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        Http h = new Http(w.vertx, w.app, "10.250.0.1");
        // CSRF cookie on first contact, session cookie on login, MFA step cookie for a user with TOTP on, expiry on logout.
        List<HttpResponse<Buffer>> seen = new ArrayList<>();
        seen.add(h.get("/"));
        AdversarialWorld.User u = w.signUp("cookies");
        JsonObject enrol = AdversarialWorld.ok(u.http().post("/api/v1/account/mfa/start", new JsonObject()), 200).bodyAsJsonObject();
        AdversarialWorld.ok(u.http().post("/api/v1/account/mfa/confirm", new JsonObject().put("code", Totp.code(enrol.getString("secret"), Totp.step()))), 200);
        Http again = w.client();
        HttpResponse<Buffer> login = again.post("/api/v1/login", new JsonObject().put("email", u.email()).put("password", AdversarialWorld.PASSWORD));
        assertThat(login.bodyAsJsonObject().getString("status")).isEqualTo("mfa_required");
        seen.add(login);
        seen.add(again.post("/api/v1/login/mfa", new JsonObject().put("code", Totp.code(enrol.getString("secret"), Totp.step() + 1))));
        seen.add(again.post("/api/v1/logout", new JsonObject()));
        Http form = w.client();
        seen.add(form.post("/login", new JsonObject().put("email", w.a.owner.email()).put("password", AdversarialWorld.PASSWORD)));
        seen.add(form.post("/logout", new JsonObject()));
        for (HttpResponse<Buffer> r : seen) {
            problems.addAll(cookieProblems("cookie", r));
            for (String c : r.cookies()) names.add(c.substring(0, c.indexOf('=')));
        }
        System.out.printf("[adversarial] cookies checked: %s; problems %d%n", names, problems.size());
        assertThat(names).containsExactlyInAnyOrderElementsOf(APP_COOKIES);
        assertThat(problems).isEmpty();
    }

    /**
     * ASVS 8.1.3 (requests carry a minimal number of parameters): the only hidden fields a page may send back are these,
     * each carrying what the next request cannot get otherwise. Anything else (a price, a role, a state the server
     * already knows) must not travel through the browser; a new hidden field fails this test until it is reviewed here.
     */
    static final java.util.Map<String, String> REVIEWED_HIDDEN_FIELDS = java.util.Map.of(
            "_csrf", "the CSRF token of a form post (double-submit with the cookie)",
            "t", "the signed, short-lived link token a public booking, invoice, invitation, verification or reset page was opened with",
            "u", "the user id the e-mail verification or password-reset link names (checked against the token)",
            "w", "the workspace an invitation belongs to (checked against the signed invitation token)",
            "i", "the invitation id (checked against the signed invitation token)",
            "next", "where re-authentication returns to (a same-site path, checked by SafeRedirect)",
            "back", "the page a file deletion returns to (a same-site path)",
            "serviceId", "the service picked on the previous public booking step (re-checked against the workspace)",
            "staffMemberId", "the staff member picked on the previous public booking step (re-checked against the workspace)");
    /** The app's cookies, all of them (see the privacy notice): CSRF, session, MFA step, known device. */
    static final Set<String> APP_COOKIES = Set.of("__Host-bw_csrf", "__Host-bw_session", "__Host-bw_mfa", "__Host-bw_device");
    private static final Pattern HIDDEN_INPUT = Pattern.compile("<input\\b[^>]*type=\"hidden\"[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME_ATTR = Pattern.compile("\\bname=\"([^\"]*)\"");

    @Test
    void pagesSendBackOnlyReviewedHiddenFieldsAndTheAppSetsOnlyItsFourCookies() throws Exception {
        AdversarialWorld w = world();
        List<String> problems = new ArrayList<>();
        java.util.Map<String, Set<String>> hiddenSeen = new java.util.TreeMap<>();
        Set<String> cookiesSeen = new java.util.TreeSet<>();
        int pages = 0;
        for (Spec s : registered(routes(w))) {
            if (!s.key().startsWith("GET ") || s.access() == Access.STATIC) continue;
            for (Http h : List.of(w.client(), w.a.owner.http())) {
                HttpResponse<Buffer> r = h.get(s.target().call(AdversarialFx.own(w.a, w.a.owner)).path());
                for (String c : r.cookies()) cookiesSeen.add(c.substring(0, c.indexOf('=')));
                String type = r.getHeader("Content-Type") == null ? "" : r.getHeader("Content-Type");
                if (!type.startsWith("text/html") || r.bodyAsString() == null) continue;
                pages++;
                Matcher in = HIDDEN_INPUT.matcher(r.bodyAsString());
                while (in.find()) {
                    Matcher n = NAME_ATTR.matcher(in.group());
                    String name = n.find() ? n.group(1) : "(no name)";
                    hiddenSeen.computeIfAbsent(name, k -> new java.util.TreeSet<>()).add(s.key());
                    if (!REVIEWED_HIDDEN_FIELDS.containsKey(name)) problems.add(s.key() + ": unreviewed hidden field '" + name + "'");
                }
            }
        }
        for (String c : cookiesSeen) if (!APP_COOKIES.contains(c)) problems.add("unreviewed cookie " + c);
        System.out.printf("[adversarial] parameter minimisation: %d HTML pages; hidden fields %s; cookies %s; problems %d%n",
                pages, hiddenSeen.keySet(), cookiesSeen, problems.size());
        assertThat(pages).as("HTML pages were actually reached").isGreaterThan(40);
        assertThat(hiddenSeen).as("the crawl reached forms").containsKeys("_csrf", "next");
        assertThat(problems).isEmpty();
    }

    /** Sends a state-changing request with the owner's cookies, choosing Origin and token. */
    static HttpResponse<Buffer> forged(Http h, Call c, String origin, String referer, String token) throws Exception {
        HttpRequest<Buffer> r = h.client.request(HttpMethod.valueOf(c.method()), c.path());
        r.putHeader("X-Forwarded-For", h.clientIp);
        StringBuilder b = new StringBuilder();
        h.cookies.forEach((k, v) -> b.append(b.length() == 0 ? "" : "; ").append(k).append('=').append(v));
        r.putHeader("Cookie", b.toString());
        if (origin != null) r.putHeader("Origin", origin);
        if (referer != null) r.putHeader("Referer", referer);
        if (token != null) r.putHeader("X-CSRF-Token", token);
        JsonObject body = c.body() == null ? new JsonObject() : c.body();
        return r.sendJsonObject(body).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void everyStateChangingRouteRefusesCrossOriginAndTokenlessRequestsWith403() throws Exception {
        AdversarialWorld w = world();
        Http owner = w.login(w.a.owner);
        List<String> problems = new ArrayList<>();
        int routes = 0;
        int requests = 0;
        List<String> exempt = new ArrayList<>();
        for (Spec s : registered(routes(w))) {
            if (s.key().startsWith("GET ") || s.key().startsWith("HEAD ")) continue;
            if (s.access() == Access.WEBHOOK) {
                // Stripe calls these server to server: no cookies, authenticated by the signature of the raw body.
                exempt.add(s.key());
                continue;
            }
            routes++;
            Call c = s.target().call(AdversarialFx.own(w.a, w.a.owner));
            String evil = "https://evil.example";
            record(problems, s, "cross-origin, no token", forged(owner, c, evil, null, null));
            record(problems, s, "cross-origin, with the token", forged(owner, c, evil, null, owner.csrf));
            record(problems, s, "no Origin or Referer, with the token", forged(owner, c, null, null, owner.csrf));
            record(problems, s, "cross-site Referer, with the token", forged(owner, c, null, evil + "/page", owner.csrf));
            record(problems, s, "same origin, no token", forged(owner, c, owner.origin, null, null));
            record(problems, s, "same origin, a token of another session", forged(owner, c, owner.origin, null, w.client().csrf));
            requests += 6;
        }
        // The owner's session survived all of it (nothing was acted on).
        AdversarialWorld.ok(owner.get("/api/v1/account"), 200);
        System.out.printf("[adversarial] CSRF: %d state-changing routes x 6 forged requests = %d, all 403 unless listed; exempt (signature-authenticated): %s; problems %d%n",
                routes, requests, exempt, problems.size());
        assertThat(routes).isGreaterThan(80);
        assertThat(problems).isEmpty();
    }

    private static void record(List<String> problems, Spec s, String how, HttpResponse<Buffer> r) {
        if (r.statusCode() != 403) {
            problems.add(s.key() + " (" + how + ") answered " + r.statusCode() + " " + AdversarialRouteMatrix.abbreviate(r.bodyAsString()));
        } else if (AdversarialRouteMatrix.isApi(s.key().substring(s.key().indexOf(' ') + 1))) {
            String e = r.bodyAsJsonObject().getString("error");
            if (!e.startsWith("csrf_")) problems.add(s.key() + " (" + how + ") refused for another reason: " + e);
        }
    }
}
