package dev.bulwark.auth.sso;

import dev.bulwark.testkit.MutableClock;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The whole OIDC code flow against a real (in-test) HTTPS provider: the happy path and each rejection. */
class OidcSignInTest {
    static final String WS = "ws_acme";
    final MutableClock clock = new MutableClock(Instant.now());
    TestOidcProvider op;
    TestMembers members;
    OidcProviderConfig config;
    OidcSignIn sso;

    @BeforeEach
    void start() throws Exception {
        op = new TestOidcProvider(clock);
        members = new TestMembers().add(WS, "alice@example.com", "m_alice", "staff");
        config = op.config(WS).build();
        sso = signIn(new InMemoryLoginAttemptStore());
    }

    @AfterEach
    void stop() {
        op.close();
    }

    OidcSignIn signIn(LoginAttemptStore store) {
        return OidcSignIn.builder()
                .configurations(ws -> ws.equals(config.workspaceId()) ? Optional.of(config) : Optional.empty())
                .clientSecrets((ws, clientId) -> SecretValue.of(TestOidcProvider.CLIENT_SECRET))
                .members(members).attempts(store).clock(clock)
                .tlsSocketFactory(op.tls.client.getSocketFactory())
                .build();
    }

    /** Starts a sign-in, lets the "browser" visit the provider, and completes with the same browser's cookie. */
    SsoIdentity login() throws Exception {
        SsoLoginStart start = sso.begin(WS);
        return sso.complete(op.browse(start.authorizationUri()), start.browserBinding());
    }

    static void assertRejected(Executable call, SsoRejected.Reason reason) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(SsoRejected.class,
                r -> assertThat(r.reason()).isEqualTo(reason));
    }

    @Test
    void existingMemberSignsInThroughCodeFlowWithPkce() throws Exception {
        SsoIdentity who = login();
        assertThat(who.workspaceId()).isEqualTo(WS);
        assertThat(who.memberId()).isEqualTo("m_alice");
        assertThat(who.role()).isEqualTo("staff");
        assertThat(who.email()).isEqualTo("alice@example.com");
        assertThat(who.issuer()).isEqualTo(op.issuer);
        assertThat(who.subject()).isEqualTo("sub-alice");
        assertThat(who.provisioned()).isFalse();
        Map<String, String> req = op.authorizeRequests.get(0);
        assertThat(req.get("code_challenge_method")).isEqualTo("S256");
        assertThat(req.get("state")).hasSizeGreaterThanOrEqualTo(43);
        assertThat(req.get("nonce")).hasSizeGreaterThanOrEqualTo(43);
        assertThat(req.get("scope")).contains("openid").contains("email");
        // The provider checked the PKCE verifier against the challenge before it issued the token.
        assertThat(op.issuedIdTokens).hasSize(1);
    }

    @Test
    void eachSignInUsesFreshStateNonceAndVerifier() throws Exception {
        login();
        login();
        Map<String, String> a = op.authorizeRequests.get(0);
        Map<String, String> b = op.authorizeRequests.get(1);
        assertThat(a.get("state")).isNotEqualTo(b.get("state"));
        assertThat(a.get("nonce")).isNotEqualTo(b.get("nonce"));
        assertThat(a.get("code_challenge")).isNotEqualTo(b.get("code_challenge"));
    }

    @Test
    void justInTimeMembershipCreatesMemberWithDefaultRole() throws Exception {
        config = op.config(WS).justInTimeMembership("staff").build();
        op.email = "Newcomer@Example.COM";
        op.subject = "sub-new";
        SsoIdentity who = login();
        assertThat(who.provisioned()).isTrue();
        assertThat(who.email()).isEqualTo("newcomer@example.com");
        assertThat(who.role()).isEqualTo("staff");
        assertThat(members.provisioned.get()).isEqualTo(1);
        assertThat(login().provisioned()).isFalse();
    }

    @Test
    void unknownAddressWithoutJustInTimeMembershipIsRefused() {
        op.email = "mallory@example.com";
        assertRejected(this::login, SsoRejected.Reason.NOT_A_MEMBER);
        assertThat(members.provisioned.get()).isZero();
    }

    @Test
    void addressFromDomainNotAllowedIsRefusedEvenWithJustInTime() {
        config = op.config(WS).justInTimeMembership("staff").build();
        op.email = "alice@example.com.evil.test";
        assertRejected(this::login, SsoRejected.Reason.EMAIL_DOMAIN_NOT_ALLOWED);
        op.email = "alice@sub.example.com";
        assertRejected(this::login, SsoRejected.Reason.EMAIL_DOMAIN_NOT_ALLOWED);
        assertThat(members.provisioned.get()).isZero();
    }

    @Test
    void unverifiedEmailIsRefused() {
        op.claims = b -> b.claim("email_verified", false);
        assertRejected(this::login, SsoRejected.Reason.EMAIL_NOT_VERIFIED);
        op.claims = b -> b.claim("email_verified", "true");
        assertRejected(this::login, SsoRejected.Reason.EMAIL_NOT_VERIFIED);
        op.claims = b -> b.claim("email_verified", null);
        assertRejected(this::login, SsoRejected.Reason.EMAIL_NOT_VERIFIED);
    }

    @Test
    void missingOrInvalidEmailIsRefused() {
        op.claims = b -> b.claim("email", null);
        assertRejected(this::login, SsoRejected.Reason.EMAIL_MISSING);
        op.claims = b -> b.claim("email", "alice@example.com@example.com");
        assertRejected(this::login, SsoRejected.Reason.EMAIL_INVALID);
        op.claims = b -> b.claim("email", 42);
        assertRejected(this::login, SsoRejected.Reason.EMAIL_INVALID);
    }

    @Test
    void tokenFromWrongIssuerIsRejected() {
        op.claims = b -> b.issuer("https://evil.example");
        assertRejected(this::login, SsoRejected.Reason.WRONG_ISSUER);
    }

    @Test
    void tokenForAnotherAudienceIsRejected() {
        op.claims = b -> b.audience("another-client");
        assertRejected(this::login, SsoRejected.Reason.WRONG_AUDIENCE);
        // Several audiences without an azp naming us is refused too (OIDC Core 3.1.3.7 items 4-5).
        op.claims = b -> b.audience(List.of(TestOidcProvider.CLIENT_ID, "another-client"));
        assertRejected(this::login, SsoRejected.Reason.WRONG_AUDIENCE);
        op.claims = b -> b.audience(List.of(TestOidcProvider.CLIENT_ID, "another-client")).claim("azp", "another-client");
        assertRejected(this::login, SsoRejected.Reason.WRONG_AUDIENCE);
    }

    @Test
    void severalAudiencesWithOurAzpAreAccepted() throws Exception {
        op.claims = b -> b.audience(List.of(TestOidcProvider.CLIENT_ID, "api")).claim("azp", TestOidcProvider.CLIENT_ID);
        assertThat(login().memberId()).isEqualTo("m_alice");
    }

    @Test
    void expiredTokenIsRejectedButSmallSkewIsTolerated() throws Exception {
        op.claims = b -> b.expirationTime(Date.from(clock.instant().minusSeconds(30)));
        assertThat(login().memberId()).isEqualTo("m_alice"); // within the 60 s skew
        op.claims = b -> b.expirationTime(Date.from(clock.instant().minusSeconds(120)));
        assertRejected(this::login, SsoRejected.Reason.EXPIRED);
    }

    @Test
    void tokenIssuedInTheFutureIsRejected() {
        op.claims = b -> b.issueTime(Date.from(clock.instant().plusSeconds(600)))
                .expirationTime(Date.from(clock.instant().plusSeconds(900)));
        assertRejected(this::login, SsoRejected.Reason.NOT_YET_VALID);
    }

    @Test
    void tokenSignedWithAnotherKeyUnderAKnownKidHasBadSignature() throws Exception {
        op.signingKey = TestOidcProvider.newKey("k1");
        assertRejected(this::login, SsoRejected.Reason.BAD_SIGNATURE);
    }

    @Test
    void unsignedMacSignedAndUnlistedAlgorithmsAreRejected() {
        op.idTokenOverride = t -> new PlainJWT(new PlainHeader(), claimsOf(t)).serialize();
        assertRejected(this::login, SsoRejected.Reason.ALGORITHM_NOT_ALLOWED);
        // HS256 keyed with the client secret is allowed by OIDC but refused here: the secret is not a signing key.
        op.idTokenOverride = t -> {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claimsOf(t));
                jwt.sign(new MACSigner((TestOidcProvider.CLIENT_SECRET + TestOidcProvider.CLIENT_SECRET).getBytes()));
                return jwt.serialize();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertRejected(this::login, SsoRejected.Reason.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void replayedIdTokenFromEarlierSignInFailsTheNonceCheck() throws Exception {
        login();
        String earlier = op.issuedIdTokens.get(0);
        op.idTokenOverride = t -> earlier;
        assertRejected(this::login, SsoRejected.Reason.NONCE_MISMATCH);
        op.idTokenOverride = t -> {
            try {
                JWTClaimsSet c = new JWTClaimsSet.Builder(claimsOf(t)).claim("nonce", null).build();
                return TestOidcProvider.sign(c, op.signingKey, "k1");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertRejected(this::login, SsoRejected.Reason.NONCE_MISMATCH);
    }

    @Test
    void replayedCallbackIsRejectedBecauseStateIsSingleUse() throws Exception {
        SsoLoginStart start = sso.begin(WS);
        Map<String, List<String>> callback = op.browse(start.authorizationUri());
        sso.complete(callback, start.browserBinding());
        assertRejected(() -> sso.complete(callback, start.browserBinding()), SsoRejected.Reason.STATE_MISMATCH);
        assertThat(op.tokenRequests.get()).isEqualTo(1);
    }

    @Test
    void mismatchedStateIsRejected() throws Exception {
        SsoLoginStart mine = sso.begin(WS);
        SsoLoginStart other = sso.begin(WS);
        Map<String, List<String>> callback = op.browse(other.authorizationUri());

        // An unknown state, even with a valid code and binding, is refused before the code is used.
        Map<String, List<String>> forged = new HashMap<>(callback);
        forged.put("state", List.of("not-a-state-we-issued"));
        assertRejected(() -> sso.complete(forged, other.browserBinding()), SsoRejected.Reason.STATE_MISMATCH);
        // Login CSRF: someone else's callback completed in my browser (my binding cookie) is refused.
        assertRejected(() -> sso.complete(callback, mine.browserBinding()), SsoRejected.Reason.STATE_MISMATCH);
        assertRejected(() -> sso.complete(callback, null), SsoRejected.Reason.STATE_MISMATCH);
        assertThat(op.tokenRequests.get()).isZero();
    }

    @Test
    void expiredAttemptIsRejected() throws Exception {
        SsoLoginStart start = sso.begin(WS);
        Map<String, List<String>> callback = op.browse(start.authorizationUri());
        clock.advance(Duration.ofMinutes(11));
        assertRejected(() -> sso.complete(callback, start.browserBinding()), SsoRejected.Reason.STATE_MISMATCH);
    }

    @Test
    void unknownKeyIdIsRejectedAndRefetchesAreRateLimited() throws Exception {
        login();
        assertThat(op.jwksRequests.get()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(61));
        RSAKey unpublished = TestOidcProvider.newKey("k9");
        op.signingKey = unpublished;
        assertRejected(this::login, SsoRejected.Reason.UNKNOWN_KEY);
        assertThat(op.jwksRequests.get()).isEqualTo(2); // one refetch to look for the new kid
        assertRejected(this::login, SsoRejected.Reason.UNKNOWN_KEY);
        assertThat(op.jwksRequests.get()).isEqualTo(2); // no second refetch within the interval
    }

    @Test
    void rotatedProviderKeyIsPickedUpByRefetchOnUnknownKid() throws Exception {
        login();
        RSAKey retired = op.signingKey;
        clock.advance(Duration.ofSeconds(61));
        op.rotateTo(TestOidcProvider.newKey("k2"), false);
        SsoIdentity who = login();
        assertThat(who.memberId()).isEqualTo("m_alice");
        assertThat(op.jwksRequests.get()).isEqualTo(2);
        // Tokens under the retired key are refused once the provider stopped publishing it.
        clock.advance(Duration.ofSeconds(61));
        op.signingKey = retired;
        assertRejected(this::login, SsoRejected.Reason.UNKNOWN_KEY);
    }

    @Test
    void callbackNamingAnotherIssuerIsRejected() throws Exception {
        SsoLoginStart start = sso.begin(WS);
        Map<String, List<String>> callback = new HashMap<>(op.browse(start.authorizationUri()));
        callback.put("iss", List.of("https://evil.example"));
        assertRejected(() -> sso.complete(callback, start.browserBinding()), SsoRejected.Reason.WRONG_ISSUER);
        assertThat(op.tokenRequests.get()).isZero();
    }

    @Test
    void providerErrorIsReportedWithItsCode() throws Exception {
        SsoLoginStart start = sso.begin(WS);
        String state = TestOidcProvider.query(start.authorizationUri()).get("state").get(0);
        Map<String, List<String>> callback = Map.of("state", List.of(state), "error", List.of("access_denied"));
        assertThatThrownBy(() -> sso.complete(callback, start.browserBinding()))
                .isInstanceOfSatisfying(SsoRejected.class, r -> {
                    assertThat(r.reason()).isEqualTo(SsoRejected.Reason.PROVIDER_ERROR);
                    assertThat(r.getMessage()).contains("access_denied");
                });
    }

    @Test
    void wrongClientSecretFailsTheExchangeAndIsNotLogged() throws Exception {
        sso = OidcSignIn.builder().configurations(ws -> Optional.of(config))
                .clientSecrets((ws, id) -> SecretValue.of("wrong-secret-value"))
                .members(members).clock(clock).tlsSocketFactory(op.tls.client.getSocketFactory()).build();
        assertThatThrownBy(this::login).isInstanceOfSatisfying(SsoRejected.class, r -> {
            assertThat(r.reason()).isEqualTo(SsoRejected.Reason.TOKEN_EXCHANGE_FAILED);
            assertThat(r.getMessage()).doesNotContain("wrong-secret-value").contains("invalid_client");
        });
    }

    @Test
    void discoveryDocumentForAnotherIssuerIsRefused() {
        op.discoveryIssuer = "https://127.0.0.1:1";
        assertRejected(() -> sso.begin(WS), SsoRejected.Reason.PROVIDER_UNAVAILABLE);
    }

    OidcSignIn signInAllowing(OutboundHosts hosts) {
        return OidcSignIn.builder()
                .configurations(ws -> ws.equals(config.workspaceId()) ? Optional.of(config) : Optional.empty())
                .clientSecrets((ws, clientId) -> SecretValue.of(TestOidcProvider.CLIENT_SECRET))
                .members(members).clock(clock).tlsSocketFactory(op.tls.client.getSocketFactory())
                .outboundHosts(hosts).build();
    }

    @Test
    void issuerOnAHostOffTheOutboundAllowListIsNeverContacted() {
        OidcSignIn restricted = signInAllowing(OutboundHosts.only("idp.example.com", "*.example.org"));
        assertRejected(() -> restricted.begin(WS), SsoRejected.Reason.HOST_NOT_ALLOWED);
        assertThat(op.discoveryRequests).hasValue(0);
    }

    @Test
    void keySetOnAnotherHostThanTheAllowedIssuerIsRefusedBeforeItIsFetched() throws Exception {
        // The same server under another name: allowed by IP, not by name.
        op.keySetBase = op.issuer.replace("127.0.0.1", "localhost");
        OidcSignIn restricted = signInAllowing(OutboundHosts.only("127.0.0.1"));
        assertRejected(() -> restricted.begin(WS), SsoRejected.Reason.HOST_NOT_ALLOWED);
        assertThat(op.discoveryRequests).hasValue(1);
        assertThat(op.jwksRequests).hasValue(0);
        // With the key set back on the allowed host, the same sign-in goes through.
        op.keySetBase = null;
        OidcSignIn fresh = signInAllowing(OutboundHosts.only("127.0.0.1"));
        SsoLoginStart start = fresh.begin(WS);
        assertThat(fresh.complete(op.browse(start.authorizationUri()), start.browserBinding()).email()).isEqualTo("alice@example.com");
    }

    @Test
    void providerWithUntrustedCertificateIsUnavailable() {
        OidcSignIn defaultTrust = OidcSignIn.builder().configurations(ws -> Optional.of(config))
                .clientSecrets((ws, id) -> SecretValue.of("x")).members(members).clock(clock).build();
        assertRejected(() -> defaultTrust.begin(WS), SsoRejected.Reason.PROVIDER_UNAVAILABLE);
    }

    @Test
    void workspaceWithoutSsoIsNotConfigured() {
        assertRejected(() -> sso.begin("ws_other"), SsoRejected.Reason.NOT_CONFIGURED);
    }

    @Test
    void authorizationUriGoesToTheDiscoveredEndpoint() throws Exception {
        URI uri = sso.begin(WS).authorizationUri();
        assertThat(uri.toString()).startsWith(op.issuer + "/authorize?");
        assertThat(TestOidcProvider.query(uri).get("redirect_uri")).containsExactly("https://app.example/sso/callback");
    }

    @Test
    void secretsAndBindingsNeverAppearInToString() throws Exception {
        SsoLoginStart start = sso.begin(WS);
        assertThat(start.toString()).doesNotContain(start.browserBinding());
        assertThat(SecretValue.of("hunter2-hunter2").toString()).doesNotContain("hunter2");
        PendingLogin p = new PendingLogin("h", WS, "b", "nonce-value-123", "verifier-value-456", "https://x", Instant.now());
        assertThat(p.toString()).doesNotContain("nonce-value-123").doesNotContain("verifier-value-456");
    }

    @Test
    void insecureConfigurationsAreRefusedAtBuildTime() {
        assertThatThrownBy(() -> op.config(WS).issuer("http://127.0.0.1:1").build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> OidcProviderConfig.builder().workspaceId(WS).issuer(op.issuer).clientId("c")
                .redirectUri("https://app.example/cb").build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> op.config(WS).justInTimeMembership("Owner")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> op.config(WS).redirectUri("http://app.example/cb").build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> OidcSignIn.builder().allowedAlgorithms(java.util.Set.of(JWSAlgorithm.HS256)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OidcSignIn.builder().clockSkew(Duration.ofMinutes(10))).isInstanceOf(IllegalArgumentException.class);
    }

    static JWTClaimsSet claimsOf(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
