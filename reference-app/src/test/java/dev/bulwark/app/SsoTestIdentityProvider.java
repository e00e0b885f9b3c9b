package dev.bulwark.app;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small OpenID Provider inside the test, over HTTPS on 127.0.0.1 (issuer https://localhost:port, certificate made
 * by {@link SsoTestTls}): discovery, JWKS, authorize (checks client, redirect URI, state, nonce and S256 PKCE; signs
 * in {@link #user} without a login page) and token (checks client secret, code, redirect URI and PKCE verifier),
 * signing RS256 ID tokens with Nimbus JOSE. {@link #tamper} makes exactly one thing wrong in the next ID tokens.
 */
final class SsoTestIdentityProvider implements AutoCloseable {
    static final String CLIENT_ID = "bulwark-reference-app";
    static final String CLIENT_SECRET = "sso-client-secret-for-tests-only";

    enum Tamper { NONE, WRONG_AUDIENCE, BAD_SIGNATURE, EXPIRED }

    record User(String email, String subject) {}

    private record Grant(String clientId, String redirectUri, String nonce, String challenge, User user) {}

    final SsoTestTls tls = SsoTestTls.localhost();
    final HttpsServer server;
    final String issuer;
    final RSAKey key;
    final RSAKey foreignKey;
    volatile User user = new User("nobody@corp.example", "sub-nobody");
    volatile Tamper tamper = Tamper.NONE;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();

    SsoTestIdentityProvider() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        foreignKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.server));
        issuer = "https://localhost:" + server.getAddress().getPort();
        server.createContext("/.well-known/openid-configuration", ex -> json(ex, 200, new JsonObject()
                .put("issuer", issuer).put("authorization_endpoint", issuer + "/authorize").put("token_endpoint", issuer + "/token")
                .put("jwks_uri", issuer + "/jwks").put("response_types_supported", new JsonArray().add("code"))
                .put("subject_types_supported", new JsonArray().add("public"))
                .put("id_token_signing_alg_values_supported", new JsonArray().add("RS256"))
                .put("code_challenge_methods_supported", new JsonArray().add("S256"))
                .put("token_endpoint_auth_methods_supported", new JsonArray().add("client_secret_basic").add("client_secret_post"))));
        server.createContext("/jwks", ex -> send(ex, 200, "application/json", new JWKSet(key.toPublicJWK()).toString()));
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.start();
    }

    /** Follows the app's redirect to /authorize as a browser would and returns the callback URL the provider sends back. */
    URI authorize(String authorizationUrl) throws Exception {
        HttpClient c = HttpClient.newBuilder().sslContext(tls.client).followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(authorizationUrl)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 302) throw new AssertionError("authorize answered " + r.statusCode() + ": " + r.body());
        return URI.create(r.headers().firstValue("Location").orElseThrow());
    }

    private void authorize(HttpExchange ex) throws IOException {
        Map<String, String> q = form(ex.getRequestURI().getRawQuery());
        if (!CLIENT_ID.equals(q.get("client_id")) || !"code".equals(q.get("response_type")) || q.get("redirect_uri") == null
                || q.get("state") == null || q.get("nonce") == null || !"S256".equals(q.get("code_challenge_method"))
                || q.get("code_challenge") == null) {
            send(ex, 400, "text/plain", "bad authorization request");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(q.get("client_id"), q.get("redirect_uri"), q.get("nonce"), q.get("code_challenge"), user));
        String location = q.get("redirect_uri") + "?code=" + enc(code) + "&state=" + enc(q.get("state")) + "&iss=" + enc(issuer);
        ex.getResponseHeaders().add("Location", location);
        send(ex, 302, "text/plain", "");
    }

    private void token(HttpExchange ex) throws IOException {
        Map<String, String> f = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String clientId = f.get("client_id");
        String secret = f.get("client_secret");
        String basic = ex.getRequestHeaders().getFirst("Authorization");
        if (basic != null && basic.startsWith("Basic ")) {
            String[] cs = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8).split(":", 2);
            clientId = URLDecoder.decode(cs[0], StandardCharsets.UTF_8);
            secret = URLDecoder.decode(cs[1], StandardCharsets.UTF_8);
        }
        if (!CLIENT_ID.equals(clientId) || !CLIENT_SECRET.equals(secret)) {
            json(ex, 401, new JsonObject().put("error", "invalid_client"));
            return;
        }
        Grant g = codes.remove(f.getOrDefault("code", ""));
        if (g == null || !"authorization_code".equals(f.get("grant_type")) || !g.redirectUri().equals(f.get("redirect_uri"))
                || f.get("code_verifier") == null || !g.challenge().equals(s256(f.get("code_verifier")))) {
            json(ex, 400, new JsonObject().put("error", "invalid_grant"));
            return;
        }
        try {
            Instant now = Instant.now();
            Instant exp = tamper == Tamper.EXPIRED ? now.minus(Duration.ofMinutes(10)) : now.plus(Duration.ofMinutes(5));
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject(g.user().subject())
                    .audience(tamper == Tamper.WRONG_AUDIENCE ? "another-client" : CLIENT_ID)
                    .issueTime(Date.from(tamper == Tamper.EXPIRED ? now.minus(Duration.ofMinutes(20)) : now)).expirationTime(Date.from(exp))
                    .claim("nonce", g.nonce()).claim("email", g.user().email()).claim("email_verified", true).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims);
            jwt.sign(new RSASSASigner(tamper == Tamper.BAD_SIGNATURE ? foreignKey : key));
            json(ex, 200, new JsonObject().put("access_token", UUID.randomUUID().toString()).put("token_type", "Bearer")
                    .put("expires_in", 300).put("id_token", jwt.serialize()));
        } catch (Exception e) {
            json(ex, 500, new JsonObject().put("error", "server_error"));
        }
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String s) {
        Map<String, String> m = new HashMap<>();
        if (s == null || s.isEmpty()) return m;
        for (String p : s.split("&")) {
            int i = p.indexOf('=');
            if (i > 0) m.put(URLDecoder.decode(p.substring(0, i), StandardCharsets.UTF_8), URLDecoder.decode(p.substring(i + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void json(HttpExchange ex, int status, JsonObject o) throws IOException {
        send(ex, status, "application/json", o.encode());
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
