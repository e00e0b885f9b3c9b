package dev.bulwark.auth.sso;

import com.nimbusds.jose.JOSEObjectType;
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

import javax.net.ssl.HttpsURLConnection;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A small OpenID Provider inside the test, on 127.0.0.1 over HTTPS (self-signed certificate): discovery, JWKS,
 * authorize (checks client, redirect URI, state, nonce and an S256 PKCE challenge) and token (checks client
 * secret, code, redirect URI and the PKCE verifier) endpoints, signing ID tokens with Nimbus JOSE RS256.
 * Knobs let a test make it misbehave in exactly one way.
 */
final class TestOidcProvider implements AutoCloseable {
    static final String CLIENT_ID = "bulwark-app";
    static final String CLIENT_SECRET = "client-secret-for-tests-only";

    final TestTls tls = TestTls.loopback();
    final HttpsServer server;
    final String issuer;
    final Clock clock;
    final AtomicInteger jwksRequests = new AtomicInteger();
    final AtomicInteger tokenRequests = new AtomicInteger();
    final List<String> issuedIdTokens = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> authorizeRequests = new CopyOnWriteArrayList<>();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();

    /** Keys published at the JWKS endpoint. */
    volatile List<RSAKey> published = new ArrayList<>();
    /** Key that signs ID tokens (may be one that is not published). */
    volatile RSAKey signingKey;
    /** Kid put in the ID token header (defaults to the signing key's). */
    volatile String headerKid;
    /** The issuer the discovery document reports. */
    volatile String discoveryIssuer;
    /** Where the discovery document says the key set is (defaults to this provider). */
    volatile String keySetBase;
    /** Discovery documents served. */
    final AtomicInteger discoveryRequests = new AtomicInteger();
    /** Changes the ID token's claims before signing. */
    volatile Consumer<JWTClaimsSet.Builder> claims = b -> { };
    /** Replaces the whole ID token string (e.g. a replayed or unsigned token); gets the normally minted token. */
    volatile Function<String, String> idTokenOverride = Function.identity();
    volatile String email = "alice@example.com";
    volatile String subject = "sub-alice";

    private record Grant(String clientId, String redirectUri, String nonce, String challenge) { }

    TestOidcProvider(Clock clock) throws Exception {
        this.clock = clock;
        this.server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.server));
        this.issuer = "https://127.0.0.1:" + server.getAddress().getPort();
        this.discoveryIssuer = issuer;
        RSAKey k1 = newKey("k1");
        published.add(k1);
        signingKey = k1;
        server.createContext("/.well-known/openid-configuration", this::discovery);
        server.createContext("/jwks", this::jwks);
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.start();
    }

    static RSAKey newKey(String kid) throws Exception {
        return new RSAKeyGenerator(2048).keyID(kid).generate();
    }

    void rotateTo(RSAKey key, boolean keepOld) {
        List<RSAKey> next = keepOld ? new ArrayList<>(published) : new ArrayList<>();
        next.add(key);
        published = next;
        signingKey = key;
        headerKid = null;
    }

    OidcProviderConfig.Builder config(String workspaceId) {
        return OidcProviderConfig.builder().workspaceId(workspaceId).issuer(issuer).clientId(CLIENT_ID)
                .redirectUri("https://app.example/sso/callback").allowEmailDomain("example.com");
    }

    /** What a browser does: follow the authorization URL and return the redirect's query parameters. */
    Map<String, List<String>> browse(URI authorizationUri) throws IOException {
        HttpsURLConnection c = (HttpsURLConnection) authorizationUri.toURL().openConnection();
        c.setSSLSocketFactory(tls.client.getSocketFactory());
        c.setInstanceFollowRedirects(false);
        int status = c.getResponseCode();
        if (status != 302) throw new IOException("authorize answered " + status);
        return query(URI.create(c.getHeaderField("Location")));
    }

    static Map<String, List<String>> query(URI uri) {
        return uri.getRawQuery() == null ? new LinkedHashMap<>() : parse(uri.getRawQuery());
    }

    static Map<String, List<String>> parse(String form) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private void discovery(HttpExchange ex) throws IOException {
        discoveryRequests.incrementAndGet();
        String json = "{\"issuer\":\"" + discoveryIssuer + "\",\"authorization_endpoint\":\"" + issuer + "/authorize\","
                + "\"token_endpoint\":\"" + issuer + "/token\",\"jwks_uri\":\"" + (keySetBase == null ? issuer : keySetBase) + "/jwks\","
                + "\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],"
                + "\"id_token_signing_alg_values_supported\":[\"RS256\"],\"code_challenge_methods_supported\":[\"S256\"],"
                + "\"token_endpoint_auth_methods_supported\":[\"client_secret_basic\"]}";
        send(ex, 200, "application/json", json);
    }

    private void jwks(HttpExchange ex) throws IOException {
        jwksRequests.incrementAndGet();
        List<com.nimbusds.jose.jwk.JWK> pub = new ArrayList<>();
        for (RSAKey k : published) pub.add(k.toPublicJWK());
        send(ex, 200, "application/json", new JWKSet(pub).toString());
    }

    private void authorize(HttpExchange ex) throws IOException {
        Map<String, String> q = new LinkedHashMap<>();
        query(ex.getRequestURI()).forEach((k, v) -> q.put(k, v.get(0)));
        authorizeRequests.add(q);
        if (!"code".equals(q.get("response_type")) || !CLIENT_ID.equals(q.get("client_id"))
                || q.get("scope") == null || !q.get("scope").contains("openid") || q.get("state") == null
                || q.get("nonce") == null || !"S256".equals(q.get("code_challenge_method"))
                || q.get("code_challenge") == null || q.get("redirect_uri") == null) {
            send(ex, 400, "text/plain", "bad authorization request");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(q.get("client_id"), q.get("redirect_uri"), q.get("nonce"), q.get("code_challenge")));
        String location = q.get("redirect_uri") + "?code=" + enc(code) + "&state=" + enc(q.get("state")) + "&iss=" + enc(issuer);
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private void token(HttpExchange ex) throws IOException {
        tokenRequests.incrementAndGet();
        String expectedAuth = "Basic " + Base64.getEncoder().encodeToString(
                (enc(CLIENT_ID) + ":" + enc(CLIENT_SECRET)).getBytes(StandardCharsets.UTF_8));
        if (!"POST".equals(ex.getRequestMethod()) || !expectedAuth.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            send(ex, 401, "application/json", "{\"error\":\"invalid_client\"}");
            return;
        }
        Map<String, String> form = new LinkedHashMap<>();
        parse(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                .forEach((k, v) -> form.put(k, v.get(0)));
        Grant g = codes.remove(String.valueOf(form.get("code")));
        if (!"authorization_code".equals(form.get("grant_type")) || g == null
                || !g.redirectUri().equals(form.get("redirect_uri")) || form.get("code_verifier") == null
                || !g.challenge().equals(s256(form.get("code_verifier")))) {
            send(ex, 400, "application/json", "{\"error\":\"invalid_grant\"}");
            return;
        }
        try {
            String idToken = idTokenOverride.apply(mint(g.nonce()));
            issuedIdTokens.add(idToken);
            send(ex, 200, "application/json", "{\"access_token\":\"at-" + UUID.randomUUID() + "\",\"token_type\":\"Bearer\","
                    + "\"expires_in\":300,\"id_token\":\"" + idToken + "\"}");
        } catch (Exception e) {
            send(ex, 500, "application/json", "{\"error\":\"server_error\"}");
        }
    }

    String mint(String nonce) throws Exception {
        Date now = Date.from(clock.instant());
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience(CLIENT_ID)
                .issueTime(now).expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(5))))
                .claim("nonce", nonce).claim("email", email).claim("email_verified", true);
        claims.accept(b);
        return sign(b.build(), signingKey, headerKid == null ? signingKey.getKeyID() : headerKid);
    }

    static String sign(JWTClaimsSet claims, RSAKey key, String kid) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String s256(String verifier) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
