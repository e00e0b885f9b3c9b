package dev.bulwark.app.platform;

import dev.bulwark.auth.net.ClientAddressResolver;
import dev.bulwark.auth.net.InvalidAddressException;
import dev.bulwark.auth.net.IpAddresses;
import dev.bulwark.auth.net.IpAllowlist;
import dev.bulwark.auth.password.PasswordHashingException;
import dev.bulwark.crypto.ConstantTime;
import dev.bulwark.tenancy.AccessDenied;
import dev.bulwark.tenancy.Permission;
import dev.bulwark.tenancy.TenancyException;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns blocking handlers into Vert.x handlers: parses the request on the event loop, runs the handler on the worker
 * pool (JDBC, Argon2, crypto never block the event loop), then writes the {@link Reply}. Also: client address from
 * the trusted-proxy configuration only, CSRF (Origin check plus a token bound to a __Host- cookie) on every
 * state-changing request, session and API-key authentication, workspace entry through tenancy with the workspace's
 * IP allowlist and MFA requirement, and error rendering without stack traces.
 */
public final class Web {
    private static final Logger log = LoggerFactory.getLogger(Web.class);
    public static final String SESSION_COOKIE = "__Host-bw_session";
    public static final String CSRF_COOKIE = "__Host-bw_csrf";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @FunctionalInterface
    public interface Handle {
        Reply handle(Req req) throws Exception;
    }

    private final Config config;
    private final WorkerExecutor workers;
    private final WorkerExecutor authWorkers;
    private final int authQueueLimit;
    private final java.util.concurrent.atomic.AtomicInteger authInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final ClientAddressResolver addresses;
    private final byte[] csrfKey;
    private final Guard guard;
    private final String origin;

    public Web(Config config, WorkerExecutor workers, byte[] csrfKey, Guard guard) {
        this(config, workers, workers, csrfKey, guard);
    }

    /**
     * @param authWorkers a separate small pool for password work (sign-in, sign-up, re-auth): Argon2 calls block their
     *                    thread, so a login flood fills this pool and its bounded queue (503 beyond it), never the
     *                    pool that serves everything else
     */
    public Web(Config config, WorkerExecutor workers, WorkerExecutor authWorkers, byte[] csrfKey, Guard guard) {
        this.config = config;
        this.workers = workers;
        this.authWorkers = authWorkers;
        this.authQueueLimit = config.argon2Queue;
        this.csrfKey = csrfKey.clone();
        this.guard = guard;
        this.origin = config.origin();
        try {
            this.addresses = config.trustedProxies.isEmpty() ? ClientAddressResolver.direct()
                    : ClientAddressResolver.trustedProxies(config.trustedProxies);
        } catch (InvalidAddressException e) {
            throw new ConfigException("BULWARK_TRUSTED_PROXIES: " + e.getMessage());
        }
    }

    public Config config() {
        return config;
    }

    /** Anyone; the session user is attached when there is one. */
    public Handler<RoutingContext> open(Handle h) {
        return rc -> run(rc, req -> h.handle(req), false, false);
    }

    /** Like {@link #open}, for handlers that hash or verify passwords: runs on the password pool, 503 when it is full. */
    public Handler<RoutingContext> passwordWork(Handle h) {
        return rc -> run(rc, req -> h.handle(req), false, true);
    }

    /** Like {@link #user}, on the password pool. */
    public Handler<RoutingContext> userPasswordWork(Handle h) {
        return rc -> run(rc, req -> {
            if (req.principal == null || req.principal.viaApiKey()) {
                if (req.api) throw new AppError(401, "unauthenticated", "Sign in first.");
                return Reply.redirect("/login");
            }
            return h.handle(req);
        }, false, true);
    }

    /** A signed-in user (session cookie). Pages redirect to /login; the API answers 401. */
    public Handler<RoutingContext> user(Handle h) {
        return rc -> run(rc, req -> {
            if (req.principal == null || req.principal.viaApiKey()) {
                if (req.api) throw new AppError(401, "unauthenticated", "Sign in first.");
                return Reply.redirect("/login");
            }
            return h.handle(req);
        }, false, false);
    }

    /**
     * A signed-in platform administrator (BULWARK_PLATFORM_ADMINS) who has two-factor authentication on (ASVS 4.3.1).
     * Anyone else gets 404, as if the page did not exist; an administrator without two-factor authentication is sent
     * to turn it on (403 {@code mfa_required} from the API).
     */
    public Handler<RoutingContext> platformAdmin(Handle h) {
        return user(req -> {
            Principal p = req.principal;
            if (p.email() == null || !config.platformAdmins.contains(p.email().toLowerCase(java.util.Locale.ROOT))) throw AppError.notFound();
            if (!p.mfaEnabled()) {
                if (req.api) throw new AppError(403, "mfa_required", "Administration pages need two-factor authentication: turn it on first.");
                return Reply.redirect("/account/mfa?required=1");
            }
            return h.handle(req);
        });
    }

    /**
     * A member of the workspace named by the {@code ws} path parameter with {@code permission} (session or, under
     * /api, an API key of that workspace). A workspace the caller is not in answers 404, as if it did not exist.
     */
    public Handler<RoutingContext> workspace(Permission permission, Handle h) {
        return rc -> run(rc, req -> {
            Principal p = req.principal;
            if (p == null) {
                if (req.api) throw new AppError(401, "unauthenticated", "Sign in or send an API key.");
                return Reply.redirect("/login");
            }
            String ws = req.param("ws");
            if (p.viaApiKey() && !p.apiKeyWorkspace().equals(ws)) throw AppError.notFound();
            req.tenant = guard.enter(p, ws);
            req.settings = guard.settings(req.tenant);
            if (!req.settings.ipAllowlist().isEmpty()) {
                IpAllowlist allow = IpAllowlist.of(req.settings.ipAllowlist());
                if (!allow.permits(req.client)) {
                    throw new AppError(403, "ip_not_allowed", "This workspace only accepts requests from its allowed addresses.");
                }
            }
            if (req.settings.requireMfa() && !p.viaApiKey() && !p.mfaEnabled()) {
                if (req.api) throw new AppError(403, "mfa_required", "This workspace requires two-factor authentication: enable it first.");
                return Reply.redirect("/account/mfa?required=1");
            }
            req.tenant.require(permission);
            return h.handle(req);
        }, true, false);
    }

    private void run(RoutingContext rc, Handle h, boolean apiKeysAllowed, boolean passwordWork) {
        Req req;
        Cookie newCsrf = null;
        try {
            String csrfCookie = cookie(rc, CSRF_COOKIE);
            if (csrfCookie == null || csrfCookie.length() != 43) {
                byte[] b = new byte[32];
                RANDOM.nextBytes(b);
                csrfCookie = B64.encodeToString(b);
                newCsrf = Cookie.cookie(CSRF_COOKIE, csrfCookie).setPath("/").setSecure(true).setHttpOnly(true)
                        .setSameSite(CookieSameSite.LAX);
            }
            req = parse(rc, csrfToken(csrfCookie));
        } catch (AppError e) {
            write(rc, errorReply(isApi(rc), e), null);
            return;
        }
        String authz = rc.request().getHeader("Authorization");
        boolean bearer = authz != null;
        boolean stateChanging = !(rc.request().method() == HttpMethod.GET || rc.request().method() == HttpMethod.HEAD);
        if (stateChanging && !bearer) {
            AppError csrf = checkCsrf(rc, req, newCsrf == null);
            if (csrf != null) {
                write(rc, errorReply(req.api, csrf), newCsrf);
                return;
            }
        }
        final Cookie setCsrf = newCsrf;
        if (passwordWork && authInFlight.incrementAndGet() > authQueueLimit) {
            authInFlight.decrementAndGet();
            write(rc, errorReply(req.api, new AppError(503, "overloaded", "Too many sign-ins at once; try again in a moment.").retryAfter(2)), setCsrf);
            return;
        }
        (passwordWork ? authWorkers : workers).<Reply>executeBlocking(() -> {
            try {
                if (bearer) {
                    if (!req.api || !apiKeysAllowed) throw new AppError(401, "unauthenticated", "API keys are accepted on /api/v1/workspaces/... only.");
                    if (!authz.regionMatches(true, 0, "Bearer ", 0, 7)) {
                        throw new AppError(401, "invalid_token", "Send the API key as 'Authorization: Bearer <key>'.");
                    }
                    req.principal = guard.fromApiKey(authz.substring(7).strip(), stateChanging, req.clientIp);
                } else {
                    String token = req.cookies.get(SESSION_COOKIE);
                    if (token != null) {
                        req.principal = guard.fromSession(token);
                        if (req.principal != null) req.sessionToken = token;
                    }
                }
                return h.handle(req);
            } catch (AppError e) {
                return errorReply(req.api, e);
            } catch (AccessDenied e) {
                guard.denied(req, e);
                return errorReply(req.api, switch (e.reason()) {
                    case MISSING_PERMISSION, OWNER_ONLY -> new AppError(403, "forbidden", e.getMessage());
                    default -> AppError.notFound();
                });
            } catch (TenancyException e) {
                return errorReply(req.api, switch (e.reason()) {
                    case INVALID_INPUT, ALREADY_MEMBER, LAST_OWNER -> new AppError(400, e.reason().name().toLowerCase(), e.getMessage());
                    case NO_SUCH_MEMBER -> AppError.notFound();
                    default -> internal(e);
                });
            } catch (PasswordHashingException e) {
                if (e.reason() == PasswordHashingException.Reason.OVERLOADED) {
                    return errorReply(req.api, new AppError(503, "overloaded", "Too many sign-ins at once; try again in a moment.").retryAfter(2));
                }
                return errorReply(req.api, internal(e));
            } catch (InvalidAddressException e) {
                return errorReply(req.api, internal(e));
            } catch (Exception e) {
                return errorReply(req.api, internal(e));
            }
        }, false).onComplete(ar -> {
            if (passwordWork) authInFlight.decrementAndGet();
            if (ar.succeeded()) write(rc, ar.result(), setCsrf);
            else write(rc, errorReply(req.api, internal(ar.cause())), setCsrf);
        });
    }

    private static AppError internal(Throwable e) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        log.error("request failed (error id {}): {}", id, e.toString(), e);
        return new AppError(500, "internal_error", "Something went wrong on our side (error id " + id + ").");
    }

    public static boolean isApi(RoutingContext rc) {
        return rc.request().path() != null && rc.request().path().startsWith("/api/");
    }

    private Req parse(RoutingContext rc, String csrfToken) {
        boolean api = isApi(rc);
        Map<String, String> fields = new LinkedHashMap<>();
        HttpMethod m = rc.request().method();
        if (m != HttpMethod.GET && m != HttpMethod.HEAD && rc.body() != null && rc.body().length() > 0) {
            String ct = rc.request().getHeader("Content-Type");
            ct = ct == null ? "" : ct.toLowerCase(java.util.Locale.ROOT);
            if (ct.startsWith("application/json")) {
                JsonObject o;
                try {
                    o = rc.body().asJsonObject();
                } catch (DecodeException | ClassCastException e) {
                    throw new AppError(400, "malformed_json", "The body is not a JSON object.");
                }
                if (o == null) throw new AppError(400, "malformed_json", "The body is not a JSON object.");
                for (Map.Entry<String, Object> e : o) {
                    Object v = e.getValue();
                    if (v == null) continue;
                    if (v instanceof String || v instanceof Number || v instanceof Boolean) fields.put(e.getKey(), v.toString());
                    else if (v instanceof io.vertx.core.json.JsonArray a) fields.put(e.getKey(), String.join("\n", a.stream().map(String::valueOf).toList()));
                    else throw AppError.invalid(e.getKey(), "must be a string, number, boolean or list");
                }
            } else if (ct.startsWith("application/x-www-form-urlencoded") || ct.startsWith("multipart/form-data")) {
                rc.request().formAttributes().forEach(e -> fields.put(e.getKey(), e.getValue()));
            } else {
                throw new AppError(415, "unsupported_media_type", "Send application/json or a form.");
            }
        }
        Map<String, String> cookies = new HashMap<>();
        for (Cookie c : rc.request().cookies()) cookies.putIfAbsent(c.getName(), c.getValue());
        InetAddress client = clientAddress(rc);
        return new Req(m.name(), rc.request().path(), rc.request().uri(), api, new HashMap<>(rc.pathParams()),
                rc.queryParams(), fields, cookies, client, IpAddresses.format(client),
                truncate(rc.request().getHeader("User-Agent"), 512), csrfToken);
    }

    /** The client's address: the socket peer, or what a trusted proxy says (X-Forwarded-For), never the client's claim. */
    public InetAddress clientAddress(RoutingContext rc) {
        return clientAddress(rc.request().remoteAddress().hostAddress(), rc.request().headers().getAll("X-Forwarded-For"));
    }

    public InetAddress clientAddress(String peer, List<String> forwarded) {
        try {
            return addresses.resolve(IpAddresses.parse(peer), forwarded);
        } catch (InvalidAddressException e) {
            return InetAddress.getLoopbackAddress();
        }
    }

    public boolean fromTrustedProxy(String peer) {
        if (config.trustedProxies.isEmpty()) return false;
        try {
            return IpAllowlist.of(config.trustedProxies).permits(IpAddresses.parse(peer));
        } catch (InvalidAddressException e) {
            return false;
        }
    }

    private AppError checkCsrf(RoutingContext rc, Req req, boolean hadCookie) {
        String o = rc.request().getHeader("Origin");
        if (o == null) {
            String ref = rc.request().getHeader("Referer");
            if (ref != null) {
                try {
                    URI u = URI.create(ref);
                    o = u.getScheme() + "://" + u.getRawAuthority();
                } catch (IllegalArgumentException e) {
                    o = null;
                }
            }
        }
        if (o == null || !o.equals(origin)) {
            return new AppError(403, "csrf_origin", "Cross-site request refused (Origin does not match " + origin + ").");
        }
        String sent = req.fields.get("_csrf");
        if (sent == null) sent = rc.request().getHeader("X-CSRF-Token");
        if (!hadCookie || sent == null || !ConstantTime.equals(sent, req.csrfToken)) {
            return new AppError(403, "csrf_token", "The form expired or was not sent from this site; reload the page and try again.");
        }
        return null;
    }

    private String csrfToken(String cookieValue) {
        return B64.encodeToString(Keys.hmac(csrfKey, "csrf:" + cookieValue));
    }

    private static String cookie(RoutingContext rc, String name) {
        Cookie c = rc.request().getCookie(name);
        return c == null ? null : c.getValue();
    }

    public Reply errorReply(boolean api, AppError e) {
        Reply r;
        if (api) {
            JsonObject o = new JsonObject().put("error", e.code()).put("message", e.getMessage());
            if (!e.fields().isEmpty()) o.put("fields", new JsonObject(new LinkedHashMap<>(e.fields())));
            r = Reply.json(e.status(), o);
        } else if (e.status() == 401) {
            r = Reply.redirect("/login");
        } else {
            StringBuilder b = new StringBuilder("<h1>").append(Html.esc(title(e.status()))).append("</h1><p>")
                    .append(Html.esc(e.getMessage())).append("</p>");
            if (!e.fields().isEmpty()) {
                b.append("<ul class=\"errors\">");
                e.fields().forEach((k, v) -> b.append("<li>").append(Html.esc(k)).append(": ").append(Html.esc(v)).append("</li>"));
                b.append("</ul>");
            }
            b.append("<p><a href=\"/\">Back to the start page</a></p>");
            r = Reply.html(e.status(), Html.page(title(e.status()), null, b.toString()));
        }
        if (e.retryAfterSeconds() > 0) r.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
        if (e.status() == 401 && api) r.header("WWW-Authenticate", "Bearer realm=\"bulwark\"");
        return r;
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Please check the form";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 413 -> "Too large";
            case 429 -> "Too many attempts";
            case 503 -> "Busy";
            default -> "Error";
        };
    }

    static void write(RoutingContext rc, Reply reply, Cookie extraCookie) {
        HttpServerResponse res = rc.response();
        if (res.ended() || res.closed()) return;
        res.setStatusCode(reply.status);
        if (reply.contentType != null) res.putHeader("Content-Type", reply.contentType);
        for (String[] h : reply.headers) res.putHeader(h[0], h[1]);
        if (extraCookie != null) res.addCookie(extraCookie);
        for (Cookie c : reply.cookies) res.addCookie(c);
        res.end(reply.body);
    }

    /** The session cookie: __Host- prefix, Secure, HttpOnly, SameSite=Lax, Path=/. */
    public Cookie sessionCookie(String token, Duration maxAge) {
        return Cookie.cookie(SESSION_COOKIE, token).setPath("/").setSecure(true).setHttpOnly(true)
                .setSameSite(CookieSameSite.LAX).setMaxAge(maxAge.toSeconds());
    }

    public Cookie expired(String name) {
        return Cookie.cookie(name, "").setPath("/").setSecure(true).setHttpOnly(true).setSameSite(CookieSameSite.LAX).setMaxAge(0);
    }

    private static String truncate(String s, int n) {
        if (s == null) return "";
        return s.length() > n ? s.substring(0, n) : s;
    }

    public static Instant now() {
        return Instant.now();
    }
}
