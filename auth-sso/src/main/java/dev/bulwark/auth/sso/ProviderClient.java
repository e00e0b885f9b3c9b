package dev.bulwark.auth.sso;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import net.minidev.json.JSONObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocketFactory;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Talks to identity providers over HTTPS: discovery (cached), the JWK set (cached, refetched on unknown kid at most
 * once per interval), and the token endpoint. Redirects are not followed; responses are size-capped.
 */
final class ProviderClient {
    private static final Logger log = LoggerFactory.getLogger(ProviderClient.class);
    static final int MAX_DOCUMENT_BYTES = 256 * 1024;
    static final Duration METADATA_TTL = Duration.ofHours(1);
    static final Duration JWKS_TTL = Duration.ofMinutes(15);

    private final SSLSocketFactory sslSocketFactory;
    private final int connectTimeoutMs;
    private final int readTimeoutMs;
    private final Duration jwksMinRefetch;
    private final Clock clock;
    private final OutboundHosts outbound;
    private final ConcurrentHashMap<String, Provider> providers = new ConcurrentHashMap<>();

    ProviderClient(SSLSocketFactory sslSocketFactory, Duration connectTimeout, Duration readTimeout,
                   Duration jwksMinRefetch, Clock clock, OutboundHosts outbound) {
        this.outbound = outbound;
        this.sslSocketFactory = sslSocketFactory;
        this.connectTimeoutMs = (int) connectTimeout.toMillis();
        this.readTimeoutMs = (int) readTimeout.toMillis();
        this.jwksMinRefetch = jwksMinRefetch;
        this.clock = clock;
    }

    /** The provider for an issuer, from cache or discovery. */
    Provider provider(URI issuer) throws SsoRejected {
        String key = issuer.toString();
        Provider p = providers.get(key);
        if (p != null && clock.instant().isBefore(p.fetchedAt.plus(METADATA_TTL))) return p;
        Provider fresh = discover(issuer);
        providers.put(key, fresh);
        return fresh;
    }

    private Provider discover(URI issuer) throws SsoRejected {
        requireAllowed(issuer, "issuer");
        String base = issuer.toString();
        if (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        String json = fetch(base + "/.well-known/openid-configuration", "discovery");
        OIDCProviderMetadata metadata;
        try {
            metadata = OIDCProviderMetadata.parse(json);
        } catch (com.nimbusds.oauth2.sdk.ParseException | RuntimeException e) {
            throw unavailable("the discovery document is not valid provider metadata");
        }
        // OIDC Discovery 4.3: the document's issuer must be exactly the configured one (stops issuer mix-ups).
        if (metadata.getIssuer() == null || !metadata.getIssuer().getValue().equals(issuer.toString())) {
            throw unavailable("the discovery document names another issuer");
        }
        requireHttps(metadata.getAuthorizationEndpointURI(), "authorization_endpoint");
        requireHttps(metadata.getTokenEndpointURI(), "token_endpoint");
        requireHttps(metadata.getJWKSetURI(), "jwks_uri");
        // The endpoints come from the provider's document, so they are checked too: an allowed issuer must not be
        // able to point the server's next requests at a host the operator did not allow.
        requireAllowed(metadata.getTokenEndpointURI(), "token_endpoint");
        requireAllowed(metadata.getJWKSetURI(), "jwks_uri");
        return new Provider(issuer.toString(), metadata, clock.instant());
    }

    private void requireAllowed(URI uri, String what) throws SsoRejected {
        if (!outbound.permits(uri)) {
            log.warn("OIDC {} host {} is not on the outbound allow list: not contacted", what, uri == null ? null : uri.getHost());
            throw new SsoRejected(SsoRejected.Reason.HOST_NOT_ALLOWED, "the provider's " + what + " host is not on this server's outbound allow list");
        }
    }

    private static void requireHttps(URI uri, String what) throws SsoRejected {
        if (uri == null || !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw unavailable("the provider's " + what + " is missing or not https");
        }
    }

    private String fetch(String url, String what) throws SsoRejected {
        try {
            DefaultResourceRetriever r = new DefaultResourceRetriever(connectTimeoutMs, readTimeoutMs,
                    MAX_DOCUMENT_BYTES, true, sslSocketFactory);
            return r.retrieveResource(new URL(url)).getContent();
        } catch (Exception e) {
            log.warn("OIDC {} fetch from {} failed: {}", what, url, e.getClass().getSimpleName());
            throw unavailable("the provider's " + what + " could not be fetched");
        }
    }

    /**
     * Exchanges an authorization code (with the PKCE verifier) at the token endpoint and returns the raw ID token.
     * The token response is read as JSON here rather than through the SDK's token parser so that an unsigned or
     * malformed ID token reaches {@link IdTokenVerifier} and is refused with its precise reason.
     */
    String exchange(Provider provider, String clientId, SecretValue secret, String code, URI redirectUri,
                    String codeVerifier) throws SsoRejected {
        try {
            ClientID id = new ClientID(clientId);
            Secret s = new Secret(secret.reveal());
            List<ClientAuthenticationMethod> methods = provider.metadata.getTokenEndpointAuthMethods();
            ClientAuthentication auth = methods != null && !methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    && methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                    ? new ClientSecretPost(id, s) : new ClientSecretBasic(id, s);
            TokenRequest request = new TokenRequest(provider.metadata.getTokenEndpointURI(), auth,
                    new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri, new CodeVerifier(codeVerifier)));
            HTTPRequest http = request.toHTTPRequest();
            http.setConnectTimeout(connectTimeoutMs);
            http.setReadTimeout(readTimeoutMs);
            http.setFollowRedirects(false);
            if (sslSocketFactory != null) http.setSSLSocketFactory(sslSocketFactory);
            HTTPResponse response = http.send();
            if (response.getStatusCode() != 200) {
                String error = "unknown";
                try {
                    TokenErrorResponse err = TokenErrorResponse.parse(response);
                    if (err.getErrorObject() != null && err.getErrorObject().getCode() != null) {
                        error = err.getErrorObject().getCode().replaceAll("[^A-Za-z0-9_.-]", "?");
                    }
                } catch (com.nimbusds.oauth2.sdk.ParseException | RuntimeException ignored) {
                    // keep "unknown"
                }
                throw new SsoRejected(SsoRejected.Reason.TOKEN_EXCHANGE_FAILED,
                        "the token endpoint refused the code (HTTP " + response.getStatusCode() + ", error " + error + ")");
            }
            String body = response.getBody();
            if (body == null || body.length() > MAX_DOCUMENT_BYTES) {
                throw new SsoRejected(SsoRejected.Reason.TOKEN_EXCHANGE_FAILED, "the token response is empty or too large");
            }
            JSONObject json = response.getBodyAsJSONObject();
            Object idToken = json.get("id_token");
            if (!(idToken instanceof String)) {
                throw new SsoRejected(SsoRejected.Reason.TOKEN_EXCHANGE_FAILED, "the token response carries no ID token");
            }
            return (String) idToken;
        } catch (SsoRejected r) {
            throw r;
        } catch (Exception e) {
            log.warn("OIDC token exchange with {} failed: {}", provider.issuer, e.getClass().getSimpleName());
            throw new SsoRejected(SsoRejected.Reason.TOKEN_EXCHANGE_FAILED);
        }
    }

    /** Verification keys of one provider. */
    IdTokenVerifier.KeyLookup keys(Provider provider) {
        return new IdTokenVerifier.KeyLookup() {
            @Override
            public List<JWK> cached() throws SsoRejected {
                return provider.keys(false);
            }

            @Override
            public List<JWK> refreshed() throws SsoRejected {
                return provider.keys(true);
            }
        };
    }

    private static SsoRejected unavailable(String message) {
        return new SsoRejected(SsoRejected.Reason.PROVIDER_UNAVAILABLE, message);
    }

    /** One provider's metadata and cached key set. */
    final class Provider {
        final String issuer;
        final OIDCProviderMetadata metadata;
        final Instant fetchedAt;
        private List<JWK> jwks;
        private Instant jwksFetchedAt;

        Provider(String issuer, OIDCProviderMetadata metadata, Instant fetchedAt) {
            this.issuer = issuer;
            this.metadata = metadata;
            this.fetchedAt = fetchedAt;
        }

        synchronized List<JWK> keys(boolean unknownKid) throws SsoRejected {
            Instant now = clock.instant();
            boolean stale = jwks == null || !now.isBefore(jwksFetchedAt.plus(JWKS_TTL));
            // An unknown kid triggers a refetch (key rotation), but at most once per interval so that tokens with
            // made-up kids cannot make us hammer the provider.
            boolean rotationCheck = unknownKid && jwks != null && !now.isBefore(jwksFetchedAt.plus(jwksMinRefetch));
            if (stale || rotationCheck) {
                String json = fetch(metadata.getJWKSetURI().toString(), "key set");
                try {
                    jwks = JWKSet.parse(json).toPublicJWKSet().getKeys();
                } catch (java.text.ParseException | RuntimeException e) {
                    throw unavailable("the provider's key set is not a valid JWK set");
                }
                jwksFetchedAt = now;
                if (rotationCheck) log.info("OIDC key set of {} refetched for an unknown key id", issuer);
            }
            return jwks;
        }
    }
}
