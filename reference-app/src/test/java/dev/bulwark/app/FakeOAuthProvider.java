package dev.bulwark.app;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local OAuth 2.0 provider with a calendar API: /authorize (auto-consents and redirects with a code), /token
 * (authorization_code with PKCE S256 checked against the challenge, and refresh_token), /api/events (Bearer token).
 */
final class FakeOAuthProvider implements AutoCloseable {
    static final String CLIENT_ID = "bulwark-test-client";
    static final String CLIENT_SECRET = "fake-client-secret-123";
    final Map<String, String[]> codes = new ConcurrentHashMap<>();      // code -> {challenge, redirect}
    final Map<String, String> refreshTokens = new ConcurrentHashMap<>(); // refresh -> "ok"
    final List<String> validAccessTokens = new CopyOnWriteArrayList<>();
    final List<JsonObject> events = new CopyOnWriteArrayList<>();
    final List<String> grants = new CopyOnWriteArrayList<>();
    volatile long expiresIn = 30;
    private final AtomicInteger seq = new AtomicInteger();
    private final HttpServer server;

    FakeOAuthProvider(Vertx vertx) throws Exception {
        Router r = Router.router(vertx);
        r.route().handler(BodyHandler.create());
        r.get("/authorize").handler(rc -> {
            var q = rc.queryParams();
            if (!CLIENT_ID.equals(q.get("client_id")) || !"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null) {
                rc.response().setStatusCode(400).end("bad request");
                return;
            }
            String code = "code-" + seq.incrementAndGet();
            codes.put(code, new String[] {q.get("code_challenge"), q.get("redirect_uri")});
            rc.response().setStatusCode(302).putHeader("Location", q.get("redirect_uri") + "?code=" + code + "&state="
                    + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8)).end();
        });
        r.post("/token").handler(rc -> {
            String basic = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
            if (!basic.equals(rc.request().getHeader("Authorization"))) {
                rc.response().setStatusCode(401).end(new JsonObject().put("error", "invalid_client").encode());
                return;
            }
            var f = rc.request().formAttributes();
            String grant = f.get("grant_type");
            grants.add(grant);
            if ("authorization_code".equals(grant)) {
                String[] c = codes.remove(f.get("code") == null ? "" : f.get("code"));
                if (c == null || !c[0].equals(s256(f.get("code_verifier"))) || !c[1].equals(f.get("redirect_uri"))) {
                    rc.response().setStatusCode(400).end(new JsonObject().put("error", "invalid_grant").encode());
                    return;
                }
            } else if ("refresh_token".equals(grant)) {
                if (refreshTokens.remove(f.get("refresh_token") == null ? "" : f.get("refresh_token")) == null) {
                    rc.response().setStatusCode(400).end(new JsonObject().put("error", "invalid_grant").encode());
                    return;
                }
            } else {
                rc.response().setStatusCode(400).end(new JsonObject().put("error", "unsupported_grant_type").encode());
                return;
            }
            String at = "at-PLAINTEXT-" + seq.incrementAndGet();
            String rt = "rt-PLAINTEXT-" + seq.incrementAndGet();
            validAccessTokens.add(at);
            refreshTokens.put(rt, "ok");
            rc.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("access_token", at).put("refresh_token", rt)
                    .put("token_type", "Bearer").put("expires_in", expiresIn).put("scope", "calendar.events").encode());
        });
        r.post("/api/events").handler(rc -> {
            String a = rc.request().getHeader("Authorization");
            if (a == null || !a.startsWith("Bearer ") || !validAccessTokens.contains(a.substring(7))) {
                rc.response().setStatusCode(401).end();
                return;
            }
            JsonObject ev = rc.body().asJsonObject().put("token", a.substring(7));
            events.add(ev);
            rc.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(new JsonObject().put("id", "ev-" + seq.incrementAndGet()).encode());
        });
        server = vertx.createHttpServer().requestHandler(r).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String config() {
        String b = "http://127.0.0.1:" + server.actualPort();
        return "name=Fake Calendar;authorize=" + b + "/authorize;token=" + b + "/token;api=" + b + "/api;client_id=" + CLIENT_ID
                + ";client_secret=" + CLIENT_SECRET + ";scope=calendar.events";
    }

    static String s256(String verifier) {
        if (verifier == null) return "";
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
