package dev.bulwark.app.connections;

import dev.bulwark.app.booking.Appointment;
import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Audit;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Services;
import dev.bulwark.app.product.ProductConfig;
import dev.bulwark.app.product.RandomIds;
import dev.bulwark.audit.Actor;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.Outcome;
import dev.bulwark.crypto.DecryptionException;
import dev.bulwark.crypto.FieldCipher;
import dev.bulwark.crypto.FieldContext;
import dev.bulwark.links.LinkPurpose;
import dev.bulwark.links.LinkRejected;
import dev.bulwark.links.LinkSigner;
import dev.bulwark.links.LinkVerifier;
import dev.bulwark.tenancy.TenantContext;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * OAuth 2.0 authorization code flow with PKCE (S256) for connected services (calendar, e-mail, video). The state is a
 * signed single-use link token (10 minutes) naming a pending authorisation whose PKCE verifier is stored encrypted;
 * access and refresh tokens are stored encrypted under the connection-credentials keyset (separate from customer
 * data), refreshed when expired, and deleted on disconnect. A booked appointment is added to the staff member's
 * connected calendar through the provider's API.
 */
public final class ConnectionService {
    private static final Logger log = LoggerFactory.getLogger(ConnectionService.class);
    public static final LinkPurpose OAUTH_STATE = LinkPurpose.of("oauth-state", Duration.ofMinutes(10), true);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TABLE = "prod_connections";

    public record Connection(String id, String kind, String providerName, Instant expiresAt, String scope) {}

    private final Services s;
    private final ProductConfig config;
    private final ConnectionRepository repo;
    private final LinkSigner signer;
    private final LinkVerifier verifier;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();

    public ConnectionService(Services s, ProductConfig config, ConnectionRepository repo, LinkSigner signer, LinkVerifier verifier) {
        this.s = s;
        this.config = config;
        this.repo = repo;
        this.signer = signer;
        this.verifier = verifier;
    }

    public Map<String, ProductConfig.OAuthProvider> providers() {
        return config.oauth;
    }

    private FieldCipher cipher() {
        return s.keys().keyring().connectionCredentials();
    }

    public String redirectUri() {
        return s.url("/connections/callback");
    }

    /** The provider's authorisation URL for the calling member, with a fresh state and PKCE challenge. */
    public String start(Req req, TenantContext ctx, String kind) {
        ProductConfig.OAuthProvider p = provider(kind);
        String pendingId = RandomIds.next("oas");
        byte[] v = new byte[32];
        RANDOM.nextBytes(v);
        String verifierText = Base64.getUrlEncoder().withoutPadding().encodeToString(v);
        repo.insertPending(ctx, pendingId, kind, cipher().encrypt(verifierText, FieldContext.of(ctx.workspaceId(), "prod_oauth_pending", "verifier", pendingId)));
        String state = ctx.workspaceId() + "~" + signer.issue(OAUTH_STATE, ctx.workspaceId(), pendingId);
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", p.clientId());
        q.put("redirect_uri", redirectUri());
        if (!p.scope().isEmpty()) q.put("scope", p.scope());
        q.put("state", state);
        q.put("code_challenge", challenge(verifierText));
        q.put("code_challenge_method", "S256");
        s.audit().workspace(ctx.workspaceId(), Audit.actor(req.principal()), "connection.start", "connection", kind, Outcome.SUCCESS, req, null, false);
        String base = p.authorizeUrl().toString();
        return base + (base.contains("?") ? "&" : "?") + form(q);
    }

    /** The provider redirected back: verify the state (single use, bound to the workspace), then exchange the code. */
    public Connection callback(Req req, String code, String state, String error) {
        int sep = state.indexOf('~');
        if (sep < 1) throw new AppError(400, "bad_state", "The sign-in with the provider could not be matched to a request from you.");
        String ws = state.substring(0, sep);
        String pendingId;
        try {
            pendingId = verifier.verify(state.substring(sep + 1), OAUTH_STATE, ws).resourceId();
        } catch (LinkRejected | IllegalArgumentException e) {
            throw new AppError(400, "bad_state", "The sign-in with the provider expired or was already used; start again.");
        }
        TenantContext ctx = s.tenancy().enter(req.user().userId(), ws);
        String[] pending = repo.takePending(ctx, pendingId).orElseThrow(() -> new AppError(400, "bad_state", "This authorisation is not yours or was already used."));
        String kind = pending[0];
        if (!error.isEmpty() || code.isEmpty()) {
            s.audit().workspace(ws, Audit.actor(req.principal()), "connection.connect", "connection", kind, Outcome.FAILURE, req, Details.of("error", "denied"), false);
            throw new AppError(400, "provider_denied", "The provider did not grant access.");
        }
        String verifierText = decrypt(pending[1], FieldContext.of(ws, "prod_oauth_pending", "verifier", pendingId));
        ProductConfig.OAuthProvider p = provider(kind);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", redirectUri());
        body.put("code_verifier", verifierText);
        JsonObject tok = tokenRequest(p, body);
        String id = RandomIds.next("con");
        long expires = System.currentTimeMillis() + tok.getLong("expires_in", 3600L) * 1000L;
        repo.upsert(ctx, new ConnectionRepository.Row(id, ctx.memberId(), kind, enc(ws, "access_token", id, tok.getString("access_token")),
                tok.getString("refresh_token") == null ? null : enc(ws, "refresh_token", id, tok.getString("refresh_token")), expires,
                tok.getString("scope", p.scope()), System.currentTimeMillis()));
        s.audit().workspace(ws, Audit.actor(req.principal()), "connection.connect", "connection", id, Outcome.SUCCESS, req, Details.of("kind", kind), false);
        return new Connection(id, kind, p.name(), Instant.ofEpochMilli(expires), tok.getString("scope", p.scope()));
    }

    public List<Connection> mine(TenantContext ctx) {
        return repo.mine(ctx).stream().map(r -> new Connection(r.id(), r.kind(),
                Optional.ofNullable(config.oauth.get(r.kind())).map(ProductConfig.OAuthProvider::name).orElse(r.kind()),
                Instant.ofEpochMilli(r.expiresAtMs()), r.scope())).toList();
    }

    /** Disconnect: the encrypted tokens are deleted. */
    public void disconnect(Req req, TenantContext ctx, String id) {
        if (!RandomIds.looksLike("con", id) || !repo.delete(ctx, id)) throw AppError.notFound();
        s.audit().workspace(ctx.workspaceId(), Audit.actor(req.principal()), "connection.disconnect", "connection", id, Outcome.SUCCESS, req, null, false);
    }

    /** A usable access token for the member's connection, refreshed first when it is (about to be) expired. */
    String accessToken(TenantContext ctx, ConnectionRepository.Row r) {
        String ws = ctx.workspaceId();
        if (r.expiresAtMs() - 60_000 > System.currentTimeMillis()) return decrypt(r.accessTokenEnc(), FieldContext.of(ws, TABLE, "access_token", r.id()));
        if (r.refreshTokenEnc() == null) throw new AppError(409, "connection_expired", "The connection expired; connect again.");
        ProductConfig.OAuthProvider p = provider(r.kind());
        String refresh = decrypt(r.refreshTokenEnc(), FieldContext.of(ws, TABLE, "refresh_token", r.id()));
        JsonObject tok = tokenRequest(p, Map.of("grant_type", "refresh_token", "refresh_token", refresh));
        String access = tok.getString("access_token");
        String newRefresh = tok.getString("refresh_token", refresh);
        long expires = System.currentTimeMillis() + tok.getLong("expires_in", 3600L) * 1000L;
        repo.updateTokens(ctx, r.id(), enc(ws, "access_token", r.id(), access), enc(ws, "refresh_token", r.id(), newRefresh), expires);
        s.audit().workspace(ws, Actor.system("connections"), "connection.refresh", "connection", r.id(), Outcome.SUCCESS, null, null, false);
        return access;
    }

    /** Adds a booked appointment to the staff member's connected calendar (best effort: a failure never fails the booking). */
    public void pushAppointment(TenantContext ctx, Appointment a, String title) {
        ProductConfig.OAuthProvider p = config.oauth.get("calendar");
        if (p == null) return;
        try {
            Optional<ConnectionRepository.Row> c = repo.of(ctx, a.staffMemberId(), "calendar");
            if (c.isEmpty() || repo.pushed(ctx, a.id(), c.get().id())) return;
            String token = accessToken(ctx, c.get());
            JsonObject ev = new JsonObject().put("summary", title).put("start", Instant.ofEpochMilli(a.startsAtMs()).toString())
                    .put("end", Instant.ofEpochMilli(a.endsAtMs()).toString()).put("externalId", a.id());
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(p.apiUrl() + "/events")).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ev.encode())).build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() / 100 != 2) throw new IOException("calendar API answered " + res.statusCode());
            String eventId = new JsonObject(res.body()).getString("id", "?");
            repo.recordPushed(ctx, a.id(), c.get().id(), a.staffMemberId(), eventId);
            s.audit().workspace(ctx.workspaceId(), Actor.system("connections"), "calendar.event.create", "appointment", a.id(), Outcome.SUCCESS, null, null, false);
        } catch (IOException | RuntimeException e) {
            log.warn("could not add appointment {} to the connected calendar: {}", a.id(), e instanceof AppError x ? x.code() : e.getClass().getSimpleName());
            s.audit().workspace(ctx.workspaceId(), Actor.system("connections"), "calendar.event.create", "appointment", a.id(), Outcome.FAILURE, null, null, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private JsonObject tokenRequest(ProductConfig.OAuthProvider p, Map<String, String> body) {
        String basic = Base64.getEncoder().encodeToString((enc(p.clientId()) + ":" + enc(p.clientSecret())).getBytes(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(p.tokenUrl()).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(form(body))).build(), HttpResponse.BodyHandlers.ofString());
            JsonObject o = new JsonObject(res.body());
            if (res.statusCode() != 200 || o.getString("access_token") == null) {
                throw new AppError(502, "provider_token_error", "The provider refused the token request (" + o.getString("error", "HTTP " + res.statusCode()) + ").");
            }
            return o;
        } catch (IOException | DecodeException | ClassCastException e) {
            throw new AppError(502, "provider_unreachable", "The provider could not be reached or answered something unexpected.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AppError(503, "interrupted", "Interrupted.");
        }
    }

    private ProductConfig.OAuthProvider provider(String kind) {
        ProductConfig.OAuthProvider p = config.oauth.get(kind);
        if (p == null) throw AppError.notFound();
        return p;
    }

    private String enc(String ws, String column, String id, String value) {
        return cipher().encrypt(value, FieldContext.of(ws, TABLE, column, id));
    }

    private String decrypt(String stored, FieldContext ctx) {
        try {
            return cipher().decrypt(stored, ctx);
        } catch (DecryptionException e) {
            throw new IllegalStateException("connection credential cannot be decrypted (" + e.reason() + ")");
        }
    }

    static String challenge(String verifier) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String form(Map<String, String> m) {
        return m.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    }
}
