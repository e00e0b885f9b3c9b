package dev.bulwark.app;

import dev.bulwark.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator for the reference app (not a test; run by hand, see BENCHMARKS.md). In one JVM: the real app on H2
 * (HTTPS, TLS 1.3) and a bare Vert.x HTTPS route. Closed-loop clients (keep-alive) measure requests/s and p99 of
 * (1) the bare route, (2) the authenticated GET of the appointment list (session + tenant scope + decryption of the
 * customers' names is not needed: the list holds ids; the JSON comes from the scoped query), and (3) the same GET while
 * a flood of wrong-password logins runs (Argon2 on its own bounded pool).
 * Args: [seconds per phase, default 15] [clients, default 16] [flooders, default 32]
 */
public final class ProductLoad {
    record Result(String name, long requests, double seconds, long p50, long p99, long errors, Map<Integer, Integer> statuses) {
        double rps() {
            return requests / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int flooders = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        Vertx vertx = Vertx.vertx();
        try (TestApp app = TestApp.start(TestDatabase.Kind.H2, Map.of("BULWARK_LOGIN_LIMIT_PER_IP", "100000", "BULWARK_LOGIN_LIMIT_PER_ACCOUNT", "100000"))) {
            // Owner, customer, service, 40 appointments this week.
            Http h = LoadKit.signedUpOwner(vertx, app, "Load Owner", "load-" + System.nanoTime() + "@example.com", "198.51.100.10");
            String ws = h.get("/api/v1/workspaces").bodyAsJsonArray().getJsonObject(0).getString("id");
            String me = h.get("/api/v1/account").bodyAsJsonObject().getString("id");
            String api = "/api/v1/workspaces/" + ws;
            h.put(api + "/profile", new JsonObject().put("timeZone", "UTC"));
            String svc = h.post(api + "/services", new JsonObject().put("name", "Cut").put("durationMinutes", 30).put("price", "30.00")).bodyAsJsonObject().getString("id");
            h.put(api + "/staff/" + me + "/hours", new JsonObject().put("hours", "mon 00:00-24:00\ntue 00:00-24:00\nwed 00:00-24:00\nthu 00:00-24:00\nfri 00:00-24:00\nsat 00:00-24:00\nsun 00:00-24:00"));
            String cust = h.post(api + "/customers", new JsonObject().put("name", "Load Customer").put("email", "lc@example.org").put("phone", "+49 1")).bodyAsJsonObject().getString("id");
            LocalDate d = LocalDate.now(ZoneId.of("UTC")).plusDays(1);
            for (int i = 0; i < 40; i++) {
                String start = d.plusDays(i / 10).atTime(8 + i % 10, 0).atZone(ZoneId.of("UTC")).toInstant().toString();
                int st = h.post(api + "/appointments", new JsonObject().put("serviceId", svc).put("staffMemberId", me).put("customerId", cust).put("start", start)).statusCode();
                if (st != 201) throw new IllegalStateException("seeding failed: " + st);
            }
            String listPath = api + "/appointments?from=" + d + "&to=" + d.plusDays(7);
            String cookie = "__Host-bw_session=" + h.cookies.get("__Host-bw_session");
            JsonArray check = h.get(listPath).bodyAsJsonArray();
            if (check.size() != 40) throw new IllegalStateException("expected 40 appointments, got " + check.size());

            SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
            Router bareRouter = Router.router(vertx);
            bareRouter.get("/bare").handler(rc -> rc.response().putHeader("Content-Type", "application/json").end("[]"));
            HttpServer bare = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(cert.keyCertOptions())
                    .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))).requestHandler(bareRouter).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

            WebClient wc = LoadKit.httpsClient(vertx, clients, true);
            // warm-up
            run(vertx, "warm-up bare", () -> wc.get(bare.actualPort(), "localhost", "/bare"), clients, 3);
            run(vertx, "warm-up app", () -> wc.get(app.httpsPort(), "localhost", listPath).putHeader("Cookie", cookie).putHeader("X-Forwarded-For", "198.51.100.10"), clients, 3);
            Result r1 = run(vertx, "bare Vert.x route (HTTPS)", () -> wc.get(bare.actualPort(), "localhost", "/bare"), clients, seconds);
            Result r2 = run(vertx, "GET appointments (session + tenancy + scoped query)", () -> wc.get(app.httpsPort(), "localhost", listPath)
                    .putHeader("Cookie", cookie).putHeader("X-Forwarded-For", "198.51.100.10"), clients, seconds);

            // Flood: wrong-password logins from many addresses, on their own client pool.
            WebClient flood = LoadKit.httpsClient(vertx, flooders, true);
            String csrfCookie = "__Host-bw_csrf=" + h.cookies.get("__Host-bw_csrf");
            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicLong floodDone = new AtomicLong();
            Map<Integer, Integer> floodStatuses = new java.util.concurrent.ConcurrentHashMap<>();
            AtomicInteger ip = new AtomicInteger();
            for (int i = 0; i < flooders; i++) {
                vertx.runOnContext(v -> floodLoop(flood, app, csrfCookie, h.csrf, flooding, floodDone, floodStatuses, ip));
            }
            Thread.sleep(2000);
            Result r3 = run(vertx, "GET appointments during login flood", () -> wc.get(app.httpsPort(), "localhost", listPath)
                    .putHeader("Cookie", cookie).putHeader("X-Forwarded-For", "198.51.100.10"), clients, seconds);
            flooding.set(false);
            Thread.sleep(1000);
            System.out.println();
            System.out.println("| scenario | requests/s | p50 ms | p99 ms | errors |");
            System.out.println("|---|---:|---:|---:|---:|");
            for (Result r : List.of(r1, r2, r3)) {
                System.out.printf(Locale.ROOT, "| %s | %.0f | %.1f | %.1f | %d |%n", r.name(), r.rps(), r.p50() / 1e6, r.p99() / 1e6, r.errors());
            }
            System.out.printf(Locale.ROOT, "%nratio app/bare throughput: %.1f %%%n", 100.0 * r2.rps() / r1.rps());
            System.out.printf(Locale.ROOT, "login flood: %d wrong-password attempts answered in %d s + warm-up (%s)%n", floodDone.get(), seconds, floodStatuses);
            System.out.println("statuses during flood GETs: " + r3.statuses());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    private static void floodLoop(WebClient flood, TestApp app, String csrfCookie, String csrf, AtomicBoolean on, AtomicLong done,
                                  Map<Integer, Integer> statuses, AtomicInteger ip) {
        if (!on.get()) return;
        int n = ip.incrementAndGet();
        LoadKit.loginRequest(flood, app, csrfCookie, csrf, "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255))
                .sendJsonObject(new JsonObject().put("email", "nobody" + (n % 500) + "@example.com").put("password", "wrong password " + n))
                .onComplete(ar -> {
                    done.incrementAndGet();
                    statuses.merge(ar.succeeded() ? ar.result().statusCode() : -1, 1, Integer::sum);
                    floodLoop(flood, app, csrfCookie, csrf, on, done, statuses, ip);
                });
    }

    private static Result run(Vertx vertx, String name, java.util.function.Supplier<HttpRequest<Buffer>> request, int clients, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        LoadKit.Latencies lat = new LoadKit.Latencies();
        AtomicLong errors = new AtomicLong();
        Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();
        List<Future<Void>> loops = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            Promise<Void> p = Promise.promise();
            loops.add(p.future());
            vertx.runOnContext(v -> loop(request, end, lat, errors, statuses, p));
        }
        Future.all(loops).toCompletionStage().toCompletableFuture().get(seconds + 60L, TimeUnit.SECONDS);
        double secs = (System.nanoTime() - t0) / 1e9;
        return new Result(name, lat.count(), secs, lat.percentile(0.50), lat.percentile(0.99), errors.get(), statuses);
    }

    private static void loop(java.util.function.Supplier<HttpRequest<Buffer>> request, long end, LoadKit.Latencies lat, AtomicLong errors,
                             Map<Integer, Integer> statuses, Promise<Void> done) {
        if (System.nanoTime() >= end) {
            done.complete();
            return;
        }
        long s = System.nanoTime();
        request.get().send().onComplete(ar -> {
            long took = System.nanoTime() - s;
            if (ar.succeeded()) {
                statuses.merge(ar.result().statusCode(), 1, Integer::sum);
                if (ar.result().statusCode() == 200) lat.add(took);
                else errors.incrementAndGet();
            } else {
                errors.incrementAndGet();
            }
            loop(request, end, lat, errors, statuses, done);
        });
    }
}
