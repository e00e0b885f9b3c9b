package dev.bulwark.app.platform;

import dev.bulwark.app.account.AccountRoutes;
import dev.bulwark.app.account.AccountService;
import dev.bulwark.app.account.UserRepository;
import dev.bulwark.app.admin.AuditRoutes;
import dev.bulwark.app.apikeys.ApiKeyRoutes;
import dev.bulwark.app.ops.OpsRoutes;
import dev.bulwark.app.settings.SettingsRepository;
import dev.bulwark.app.settings.SettingsRoutes;
import dev.bulwark.app.team.TeamRoutes;
import dev.bulwark.audit.AuditLog;
import dev.bulwark.audit.JdbcAuditStore;
import dev.bulwark.auth.apikey.ApiKeys;
import dev.bulwark.auth.apikey.JdbcApiKeyStore;
import dev.bulwark.auth.event.Slf4jSecurityEventListener;
import dev.bulwark.auth.login.JdbcLoginStateStore;
import dev.bulwark.auth.login.LockoutPolicy;
import dev.bulwark.auth.login.LoginGuard;
import dev.bulwark.auth.password.PasswordHasher;
import dev.bulwark.auth.password.PasswordPolicy;
import dev.bulwark.auth.session.JdbcSessionStore;
import dev.bulwark.auth.session.SessionManager;
import dev.bulwark.auth.totp.JdbcMfaStore;
import dev.bulwark.auth.totp.TotpAuthenticator;
import dev.bulwark.links.JdbcUsedLinkStore;
import dev.bulwark.links.LinkSigner;
import dev.bulwark.links.LinkVerifier;
import dev.bulwark.tenancy.JdbcTenancyStore;
import dev.bulwark.tenancy.Tenancy;
import dev.bulwark.tenancy.TenantScopedJdbc;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Assembles the modules into the running app: database, keyring, services, routes, HTTPS and the HTTP refusal port. */
public final class App implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(App.class);
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; connect-src 'self'";

    private final Vertx vertx;
    private final Services services;
    private final HttpServer https;
    private final HttpServer http;
    private final PasswordHasher hasher;
    private final RateLimits limiter;
    private Router router;

    private App(Vertx vertx, Services services, HttpServer https, HttpServer http, PasswordHasher hasher, RateLimits limiter) {
        this.vertx = vertx;
        this.services = services;
        this.https = https;
        this.http = http;
        this.hasher = hasher;
        this.limiter = limiter;
    }

    public static App start(Config config) {
        Database db = Database.open(config);
        Vertx vertx = null;
        RateLimits limits = null;
        try {
            Keys keys = Keys.open(config, db.dataSource());
            var ds = db.dataSource();
            Tenancy tenancy = Tenancy.builder().store(new JdbcTenancyStore(ds)).keyring(keys.keyring()).build();
            tenancy.resumeShredding();
            // Peppered (ASVS 2.4.5): the key lives in the password-pepper keyset, wrapped by the master key, never in clear in the database.
            PasswordHasher hasher = PasswordHasher.builder().threads(config.argon2Threads).queueLimit(config.argon2Queue)
                    .peppers(keys.passwordPeppers()).build();
            SecurityEvents events = new SecurityEvents();
            var listener = events.andThen(new Slf4jSecurityEventListener());
            // Every limit on the configured store (BULWARK_RATE_LIMIT_STORE): shared by all nodes on postgresql/redis.
            limits = RateLimits.open(config, db);
            LoginGuard loginGuard = LoginGuard.builder().hasher(hasher).store(new JdbcLoginStateStore(ds)).rateLimiter(limits.limiter())
                    .lockout(LockoutPolicy.defaults().withThreshold(config.lockoutThreshold)).events(listener)
                    .deviceCookieKey(keys.derived("device-cookie")).build();
            SessionManager sessions = SessionManager.builder().store(new JdbcSessionStore(ds)).idleTimeout(config.sessionIdleTimeout)
                    .absoluteLifetime(config.sessionAbsoluteLifetime).build();
            TotpAuthenticator totp = TotpAuthenticator.builder().issuer("Bulwark").store(new JdbcMfaStore(ds)).build();
            ApiKeys apiKeys = ApiKeys.builder().prefix("bw").store(new JdbcApiKeyStore(ds)).events(listener).build();
            LinkSigner signer = LinkSigner.builder().keys(keys.linkKeys()).audience(config.origin()).build();
            LinkVerifier verifier = LinkVerifier.builder().keys(keys.linkKeys()).audience(config.origin()).usedLinks(new JdbcUsedLinkStore(ds)).build();
            Audit audit = new Audit(AuditLog.builder().store(new JdbcAuditStore(ds)).macKey(keys.auditKey()).build());
            Services s = new Services(config, db, keys, tenancy, new UserRepository(ds),
                    new SettingsRepository(TenantScopedJdbc.builder().dataSource(ds).build()), hasher, PasswordPolicy.nist(false), loginGuard,
                    sessions, totp, apiKeys, signer, verifier, audit, new Mailer(config), limits);
            events.bind(s);
            AppGuard guard = new AppGuard();
            guard.bind(s);

            vertx = Vertx.vertx();
            WorkerExecutor workers = vertx.createSharedWorkerExecutor("bulwark-blocking", config.workerThreads, 60, TimeUnit.SECONDS);
            WorkerExecutor authWorkers = vertx.createSharedWorkerExecutor("bulwark-passwords", config.argon2Threads + 2, 60, TimeUnit.SECONDS);
            Web web = new Web(config, workers, authWorkers, keys.derived("csrf"), guard);
            Router router = router(vertx, s, web);
            Tls.Pem pem = Tls.certificate(config);
            // OCSP stapling (ASVS 9.2.4) is JSSE's: set before the server's SSLContext exists, on the JDK engine (never OpenSSL),
            // whose handshake work runs on a worker thread, so a slow OCSP responder (up to jdk.tls.stapling.responseTimeout,
            // 5 s) holds up that handshake only, not the event loop.
            boolean stapling = Tls.enableOcspStapling();
            Tls.logStapling(pem, stapling);
            HttpServerOptions tls = new HttpServerOptions().setHost(config.bindAddress).setPort(config.httpsPort).setSsl(true)
                    .setSslEngineOptions(new JdkSSLEngineOptions().setUseWorkerThread(true))
                    .setKeyCertOptions(new PemKeyCertOptions().setCertPath(pem.certFile().toString()).setKeyPath(pem.keyFile().toString()))
                    .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
                    .setMaxFormAttributeSize(config.maxBodyBytes);
            HttpServer https = await(vertx.createHttpServer(tls).requestHandler(router).listen());
            HttpServer http = null;
            if (config.httpPort >= 0) {
                http = await(vertx.createHttpServer(new HttpServerOptions().setHost(config.bindAddress).setPort(config.httpPort))
                        .requestHandler(plainHttp(config, web, router)).listen());
            }
            App app = new App(vertx, s, https, http, hasher, limits);
            dev.bulwark.app.backup.OpsScheduler.start(s, vertx);
            app.router = router;
            Housekeeping.schedule(vertx, workers, s, Duration.ofHours(1));
            log.info("Bulwark is running at {} (HTTPS port {}, TLS 1.3 only{}); data in {}", config.publicUrl, https.actualPort(),
                    http == null ? "" : "; plain HTTP port " + http.actualPort() + " only redirects", config.dataDir);
            return app;
        } catch (RuntimeException e) {
            if (vertx != null) vertx.close();
            if (limits != null) limits.close();
            db.close();
            throw e;
        }
    }

    private static <T> T await(io.vertx.core.Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new ConfigException("cannot start the HTTP server: " + c.getMessage());
        }
    }

    static Router router(Vertx vertx, Services s, Web web) {
        Router r = Router.router(vertx);
        r.route().handler(App::securityHeaders);
        r.route().handler(BodyHandler.create(false).setBodyLimit(s.config().maxBodyBytes));
        AccountService accounts = new AccountService(s);
        new OpsRoutes(s, web).register(r);
        new AccountRoutes(s, accounts, web).register(r);
        new dev.bulwark.app.privacy.PrivacyRoutes(s, web).register(r);
        new TeamRoutes(s, accounts, web).register(r);
        new ApiKeyRoutes(s, accounts, web).register(r);
        new SettingsRoutes(s, accounts, web).register(r);
        new AuditRoutes(s, web).register(r);
        new dev.bulwark.app.sso.SsoRoutes(s, web).register(r);
        new dev.bulwark.app.backup.OpsAdminRoutes(s, web).register(r);
        new dev.bulwark.app.keys.WorkspaceDeletionRoutes(s, accounts, web).register(r);
        dev.bulwark.app.product.Product.start(vertx, s, web).register(r);
        r.route().last().handler(web.open(req -> {
            throw AppError.notFound();
        }));
        r.errorHandler(413, rc -> Web.write(rc, web.errorReply(Web.isApi(rc), new AppError(413, "body_too_large",
                "The request body is larger than " + s.config().maxBodyBytes + " bytes.")), null));
        r.errorHandler(400, rc -> Web.write(rc, web.errorReply(Web.isApi(rc), new AppError(400, "bad_request", "The request could not be read.")), null));
        r.errorHandler(500, rc -> {
            log.error("unhandled failure: {}", rc.failure() == null ? "?" : rc.failure().toString());
            Web.write(rc, web.errorReply(Web.isApi(rc), new AppError(500, "internal_error", "Something went wrong on our side.")), null);
        });
        return r;
    }

    static void securityHeaders(RoutingContext rc) {
        var h = rc.response().headers();
        h.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "same-origin");
        h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
        h.set("Cross-Origin-Opener-Policy", "same-origin");
        h.set("Cross-Origin-Resource-Policy", "same-origin");
        h.set("Cache-Control", "no-store");
        rc.next();
    }

    /**
     * Port 8080: a request relayed by a trusted TLS-terminating proxy (X-Forwarded-Proto: https from a configured
     * proxy address) is served; otherwise GET/HEAD redirect to the HTTPS URL and anything else is refused with 403.
     */
    static Handler<HttpServerRequest> plainHttp(Config config, Web web, Router router) {
        return req -> {
            String peer = req.remoteAddress().hostAddress();
            if ("https".equalsIgnoreCase(req.getHeader("X-Forwarded-Proto")) && web.fromTrustedProxy(peer)) {
                router.handle(req);
                return;
            }
            var res = req.response();
            res.putHeader("X-Content-Type-Options", "nosniff").putHeader("Cache-Control", "no-store");
            if (req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD) {
                String uri = req.uri() == null || !req.uri().startsWith("/") ? "/" : req.uri();
                res.setStatusCode(301).putHeader("Location", config.origin() + uri).end();
            } else {
                res.setStatusCode(403).putHeader("Content-Type", "application/json")
                        .end("{\"error\":\"https_required\",\"message\":\"This server only accepts HTTPS: use " + config.origin() + "\"}");
            }
        };
    }

    /** Every registered route as "METHOD /path/{param}" (the OpenAPI test compares them with /api/openapi.yaml). */
    public java.util.List<String> routes() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (var route : router.getRoutes()) {
            if (route.getPath() == null || route.methods() == null) continue;
            String path = route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
            for (HttpMethod m : route.methods()) out.add(m.name() + " " + path);
        }
        return out;
    }

    public int httpsPort() {
        return https.actualPort();
    }

    public int httpPort() {
        return http == null ? -1 : http.actualPort();
    }

    public Services services() {
        return services;
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Vert.x did not stop cleanly: {}", e.toString());
        }
        hasher.close();
        limiter.close();
        services.db().close();
    }
}
