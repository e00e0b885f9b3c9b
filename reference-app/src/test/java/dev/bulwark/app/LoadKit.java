package dev.bulwark.app;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Shared pieces of the reference app's load generators ({@link ProductLoad}, {@link LoginFlood}). */
final class LoadKit {
    static final String PASSWORD = "correct horse battery staple 42";

    private LoadKit() {}

    /** A pooled HTTPS client for the app's (or any) self-signed TLS 1.3 server on localhost. */
    static WebClient httpsClient(Vertx vertx, int connections, boolean keepAlive) {
        return WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
                .setKeepAlive(keepAlive).setFollowRedirects(false).setDefaultHost("localhost"), new PoolOptions().setHttp1MaxSize(connections));
    }

    /**
     * A JSON login request as a browser behind the trusted loopback proxy sends it: the CSRF cookie and its token, the
     * app's origin, and {@code clientIp} in X-Forwarded-For.
     */
    static HttpRequest<Buffer> loginRequest(WebClient client, TestApp app, String csrfCookie, String csrfToken, String clientIp) {
        return client.post(app.httpsPort(), "localhost", "/api/v1/login").putHeader("Cookie", csrfCookie).putHeader("X-CSRF-Token", csrfToken)
                .putHeader("Origin", app.origin).putHeader("X-Forwarded-For", clientIp);
    }

    /** Sign-up, e-mail verification (link from the outbox) and login of a new owner with their own workspace. */
    static Http signedUpOwner(Vertx vertx, TestApp app, String name, String email, String clientIp) throws Exception {
        Http h = new Http(vertx, app, clientIp).withCsrf();
        expect(h.post("/api/v1/signup", new JsonObject().put("acceptPrivacy", true).put("name", name).put("email", email).put("password", PASSWORD)
                .put("business", name + " Studio")).statusCode(), 202, "sign-up of " + email);
        Map<String, String> q = TestApp.query(app.linkIn(email, "Confirm your e-mail"));
        expect(h.post("/api/v1/verify-email", new JsonObject().put("u", q.get("u")).put("t", q.get("t"))).statusCode(), 200, "verification of " + email);
        expect(h.post("/api/v1/login", new JsonObject().put("email", email).put("password", PASSWORD)).statusCode(), 200, "login of " + email);
        return h;
    }

    private static void expect(int status, int expected, String what) {
        if (status != expected) throw new IllegalStateException(what + " answered " + status + ", expected " + expected);
    }

    /** Latencies in nanoseconds, recorded from any thread; percentiles by the nearest-rank method. */
    static final class Latencies {
        private final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());

        void add(long n) {
            nanos.add(n);
        }

        int count() {
            return nanos.size();
        }

        /** The {@code q}-quantile (0 < q ≤ 1) in nanoseconds, 0 when empty. */
        long percentile(double q) {
            List<Long> sorted;
            synchronized (nanos) {
                sorted = new ArrayList<>(nanos);
            }
            if (sorted.isEmpty()) return 0;
            Collections.sort(sorted);
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * q) - 1)));
        }

        double millis(double q) {
            return percentile(q) / 1e6;
        }
    }
}
