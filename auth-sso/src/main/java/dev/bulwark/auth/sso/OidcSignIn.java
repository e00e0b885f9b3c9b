package dev.bulwark.auth.sso;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocketFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Per-workspace OpenID Connect single sign-on: authorization code flow with PKCE (S256), {@code state} bound to the
 * browser, single-use {@code nonce}, and full ID-token validation; the verified e-mail address is mapped to a
 * workspace member (optionally created just in time). The one entry type of the OIDC half of this module.
 *
 * <pre>{@code
 * SsoLoginStart start = sso.begin(workspaceId);           // redirect to start.authorizationUri(), set the cookie
 * SsoIdentity who = sso.complete(callbackQueryParams, bindingCookie);  // on the redirect URI
 * }</pre>
 *
 * <p>Framework-neutral: the caller passes the callback's query parameters and the binding cookie, and turns the
 * result into a session after its own lockout, rate-limit and audit steps.
 */
public final class OidcSignIn {
    private static final Logger log = LoggerFactory.getLogger(OidcSignIn.class);
    /** Asymmetric JWS algorithms accepted by default; MAC algorithms and "none" are never accepted. */
    public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    static final int MAX_PARAM_LENGTH = 4096;
    static final int MAX_PARAMS = 64;
    private static final Pattern EMAIL_LOCAL = Pattern.compile("^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$");
    private static final Pattern EMAIL_DOMAIN =
            Pattern.compile("^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,62}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OidcConfigSource configs;
    private final ClientSecretSource secrets;
    private final MemberDirectory members;
    private final LoginAttemptStore attempts;
    private final Clock clock;
    private final Duration attemptLifetime;
    private final IdTokenVerifier verifier;
    private final ProviderClient providers;

    private OidcSignIn(Builder b) {
        this.configs = b.configs;
        this.secrets = b.secrets;
        this.members = b.members;
        this.attempts = b.attempts;
        this.clock = b.clock;
        this.attemptLifetime = b.attemptLifetime;
        this.verifier = new IdTokenVerifier(b.algorithms, b.clockSkew);
        this.providers = new ProviderClient(b.sslSocketFactory, b.connectTimeout, b.readTimeout, b.jwksMinRefetch, b.clock, b.outbound);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a sign-in with the workspace's provider: records a fresh state, nonce and PKCE verifier (single use,
     * expiring after the attempt lifetime) and returns the authorization URL plus the browser-binding cookie value.
     */
    public SsoLoginStart begin(String workspaceId) throws SsoRejected {
        OidcProviderConfig config = config(workspaceId);
        ProviderClient.Provider provider = providers.provider(config.issuer());
        State state = new State(32);
        Nonce nonce = new Nonce(32);
        CodeVerifier verifier = new CodeVerifier();
        String binding = random();
        Instant expires = clock.instant().plus(attemptLifetime);
        attempts.save(new PendingLogin(sha256(state.getValue()), config.workspaceId(), sha256(binding), nonce.getValue(),
                verifier.getValue(), config.redirectUri().toString(), expires));
        URI uri = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "email"),
                new ClientID(config.clientId()), config.redirectUri())
                .endpointURI(provider.metadata.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();
        return new SsoLoginStart(uri, binding, expires);
    }

    /**
     * Completes a sign-in from the redirect URI's query parameters and the browser-binding cookie. The attempt is
     * consumed before anything else is checked, so a callback can be used once whatever its outcome.
     *
     * @param callbackParameters the callback's query parameters (each name at most once)
     * @param browserBinding     the binding cookie's value from this request (may be null if absent)
     */
    public SsoIdentity complete(Map<String, List<String>> callbackParameters, String browserBinding) throws SsoRejected {
        try {
            return doComplete(callbackParameters, browserBinding);
        } catch (SsoRejected r) {
            log.debug("OIDC sign-in refused: {}", r.reason());
            throw r;
        }
    }

    private SsoIdentity doComplete(Map<String, List<String>> params, String browserBinding) throws SsoRejected {
        String state = single(params, "state");
        String error = single(params, "error");
        String code = single(params, "code");
        String iss = single(params, "iss");
        if (state == null) throw new SsoRejected(SsoRejected.Reason.MALFORMED_CALLBACK, "the callback carries no state");
        Instant now = clock.instant();
        Optional<PendingLogin> found = attempts.consume(sha256(state), now);
        if (found.isEmpty()) throw new SsoRejected(SsoRejected.Reason.STATE_MISMATCH);
        PendingLogin pending = found.get();
        if (browserBinding == null || browserBinding.isEmpty() || browserBinding.length() > MAX_PARAM_LENGTH
                || !MessageDigest.isEqual(sha256(browserBinding).getBytes(StandardCharsets.US_ASCII),
                pending.bindingHash().getBytes(StandardCharsets.US_ASCII))) {
            throw new SsoRejected(SsoRejected.Reason.STATE_MISMATCH,
                    "the sign-in attempt was started in another browser (binding cookie missing or different)");
        }
        if (error != null) {
            throw new SsoRejected(SsoRejected.Reason.PROVIDER_ERROR,
                    "the identity provider refused the sign-in (" + sanitize(error) + ")");
        }
        if (code == null || code.isEmpty()) {
            throw new SsoRejected(SsoRejected.Reason.MALFORMED_CALLBACK, "the callback carries no authorization code");
        }
        OidcProviderConfig config = config(pending.workspaceId());
        String issuer = config.issuer().toString();
        // RFC 9207: when the provider names itself in the callback, it must be the expected one (mix-up defence).
        if (iss != null && !iss.equals(issuer)) throw new SsoRejected(SsoRejected.Reason.WRONG_ISSUER);
        ProviderClient.Provider provider = providers.provider(config.issuer());
        SecretValue secret;
        try {
            secret = Objects.requireNonNull(secrets.clientSecret(config.workspaceId(), config.clientId()));
        } catch (RuntimeException e) {
            log.warn("no OIDC client secret for workspace {}: {}", config.workspaceId(), e.getClass().getSimpleName());
            throw new SsoRejected(SsoRejected.Reason.TOKEN_EXCHANGE_FAILED, "the client secret is not available");
        }
        String idToken = providers.exchange(provider, config.clientId(), secret, code, URI.create(pending.redirectUri()),
                pending.codeVerifier());
        JWTClaimsSet claims = verifier.verify(idToken, issuer, config.clientId(), pending.nonce(), clock.instant(),
                providers.keys(provider));
        String email = verifiedEmail(claims, config);
        Optional<SsoMember> member = members.findByEmail(config.workspaceId(), email);
        boolean provisioned = false;
        if (member.isEmpty()) {
            if (config.justInTimeRole().isEmpty()) throw new SsoRejected(SsoRejected.Reason.NOT_A_MEMBER);
            member = Optional.of(members.provision(config.workspaceId(), email, config.justInTimeRole().get(), issuer,
                    claims.getSubject()));
            provisioned = true;
        }
        return new SsoIdentity(config.workspaceId(), member.get(), email, issuer, claims.getSubject(), provisioned,
                clock.instant());
    }

    private static String verifiedEmail(JWTClaimsSet claims, OidcProviderConfig config) throws SsoRejected {
        String raw;
        try {
            raw = claims.getStringClaim("email");
        } catch (ParseException e) {
            throw new SsoRejected(SsoRejected.Reason.EMAIL_INVALID);
        }
        if (raw == null || raw.isEmpty()) throw new SsoRejected(SsoRejected.Reason.EMAIL_MISSING);
        // Only a JSON boolean true counts: "true" strings, 1, or absence are not a verification.
        if (!Boolean.TRUE.equals(claims.getClaim("email_verified"))) {
            throw new SsoRejected(SsoRejected.Reason.EMAIL_NOT_VERIFIED);
        }
        String email = raw.toLowerCase(Locale.ROOT);
        int at = email.indexOf('@');
        if (email.length() > 254 || at <= 0 || at != email.lastIndexOf('@')
                || !EMAIL_LOCAL.matcher(email.substring(0, at)).matches()
                || !EMAIL_DOMAIN.matcher(email.substring(at + 1)).matches()) {
            throw new SsoRejected(SsoRejected.Reason.EMAIL_INVALID);
        }
        if (!config.allowedEmailDomains().contains(email.substring(at + 1))) {
            throw new SsoRejected(SsoRejected.Reason.EMAIL_DOMAIN_NOT_ALLOWED);
        }
        return email;
    }

    private OidcProviderConfig config(String workspaceId) throws SsoRejected {
        if (workspaceId == null) throw new SsoRejected(SsoRejected.Reason.NOT_CONFIGURED);
        Optional<OidcProviderConfig> c = configs.forWorkspace(workspaceId);
        if (c == null || c.isEmpty()) throw new SsoRejected(SsoRejected.Reason.NOT_CONFIGURED);
        if (!c.get().workspaceId().equals(workspaceId)) {
            throw new SsoRejected(SsoRejected.Reason.NOT_CONFIGURED, "the configuration source returned another workspace's provider");
        }
        return c.get();
    }

    /** The single value of a parameter, null if absent; repeated, overlong or control-character values are refused. */
    private static String single(Map<String, List<String>> params, String name) throws SsoRejected {
        if (params == null || params.size() > MAX_PARAMS) {
            throw new SsoRejected(SsoRejected.Reason.MALFORMED_CALLBACK, "the callback parameters are missing or too many");
        }
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) return null;
        if (values.size() > 1) {
            throw new SsoRejected(SsoRejected.Reason.MALFORMED_CALLBACK, "the callback repeats the parameter " + name);
        }
        String v = values.get(0);
        if (v == null) return null;
        if (v.length() > MAX_PARAM_LENGTH) {
            throw new SsoRejected(SsoRejected.Reason.MALFORMED_CALLBACK, "the callback parameter " + name + " is too long");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new SsoRejected(SsoRejected.Reason.MALFORMED_CALLBACK,
                        "the callback parameter " + name + " contains control characters");
            }
        }
        return v;
    }

    private static String sanitize(String providerError) {
        String s = providerError.replaceAll("[^A-Za-z0-9_.-]", "?");
        return s.length() > 64 ? s.substring(0, 64) : s;
    }

    static String sha256(String value) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Builds an {@link OidcSignIn}. Configs, client secrets and the member directory are required. */
    public static final class Builder {
        private OidcConfigSource configs;
        private ClientSecretSource secrets;
        private MemberDirectory members;
        private LoginAttemptStore attempts;
        private Clock clock = Clock.systemUTC();
        private Duration attemptLifetime = Duration.ofMinutes(10);
        private Duration clockSkew = Duration.ofSeconds(60);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(10);
        private Duration jwksMinRefetch = Duration.ofSeconds(60);
        private Set<JWSAlgorithm> algorithms = DEFAULT_ALGORITHMS;
        private SSLSocketFactory sslSocketFactory;
        private OutboundHosts outbound = OutboundHosts.any();

        private Builder() {}

        public Builder configurations(OidcConfigSource configs) {
            this.configs = Objects.requireNonNull(configs, "configs");
            return this;
        }

        public Builder clientSecrets(ClientSecretSource secrets) {
            this.secrets = Objects.requireNonNull(secrets, "secrets");
            return this;
        }

        public Builder members(MemberDirectory members) {
            this.members = Objects.requireNonNull(members, "members");
            return this;
        }

        /** Where started sign-ins wait for their callback. Default: in memory (one node); use JDBC for several nodes. */
        public Builder attempts(LoginAttemptStore attempts) {
            this.attempts = Objects.requireNonNull(attempts, "attempts");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long a started sign-in may take. Default 10 minutes, at most 30. */
        public Builder attemptLifetime(Duration lifetime) {
            if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(Duration.ofMinutes(30)) > 0) {
                throw new IllegalArgumentException("the attempt lifetime must be between 0 and 30 minutes");
            }
            this.attemptLifetime = lifetime;
            return this;
        }

        /** Tolerated clock difference with the provider for exp / iat / nbf. Default 60 s, at most 5 minutes. */
        public Builder clockSkew(Duration skew) {
            if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("the clock skew must be between 0 and 5 minutes");
            }
            this.clockSkew = skew;
            return this;
        }

        public Builder timeouts(Duration connect, Duration read) {
            if (connect.isNegative() || connect.isZero() || read.isNegative() || read.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            this.connectTimeout = connect;
            this.readTimeout = read;
            return this;
        }

        /** Least time between two key-set refetches caused by unknown key ids. Default 60 s, at least 1 s. */
        public Builder jwksRefetchInterval(Duration interval) {
            if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("the refetch interval must be at least one second");
            }
            this.jwksMinRefetch = interval;
            return this;
        }

        /** Narrows the accepted ID-token algorithms; only asymmetric signature algorithms may be listed. */
        public Builder allowedAlgorithms(Set<JWSAlgorithm> algorithms) {
            Set<JWSAlgorithm> copy = new LinkedHashSet<>(algorithms);
            if (copy.isEmpty() || !DEFAULT_ALGORITHMS.containsAll(copy)) {
                throw new IllegalArgumentException("only RS*, PS* and ES* algorithms may be allowed for ID tokens");
            }
            this.algorithms = Set.copyOf(copy);
            return this;
        }

        /**
         * Trust material for talking to providers (for example a private CA). Host names are still verified.
         * Default: the JVM's default trust store.
         */
        public Builder tlsSocketFactory(SSLSocketFactory factory) {
            this.sslSocketFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Hosts the issuer, token endpoint and key set may be on (ASVS 12.6.1). Set it whenever issuers come from
         * workspace administrators rather than from the integrator's own configuration. Default: {@link OutboundHosts#any()}.
         */
        public Builder outboundHosts(OutboundHosts hosts) {
            this.outbound = Objects.requireNonNull(hosts, "hosts");
            return this;
        }

        public OidcSignIn build() {
            if (configs == null) throw new IllegalStateException("configurations(...) is required");
            if (secrets == null) throw new IllegalStateException("clientSecrets(...) is required");
            if (members == null) throw new IllegalStateException("members(...) is required");
            if (attempts == null) attempts = new InMemoryLoginAttemptStore();
            return new OidcSignIn(this);
        }
    }
}
