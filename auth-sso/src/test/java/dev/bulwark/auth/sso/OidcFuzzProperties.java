package dev.bulwark.auth.sso;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Hostile ID tokens and callback parameters get typed rejections, never unchecked exceptions. */
class OidcFuzzProperties {
    static final String ISSUER = "https://idp.example";
    static final String CLIENT = "bulwark-app";
    static final String NONCE = "n-0123456789";
    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    static final RSAKey KEY;
    static final String VALID;

    static {
        try {
            KEY = TestOidcProvider.newKey("k1");
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject("sub-1").audience(CLIENT)
                    .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(300))).claim("nonce", NONCE)
                    .claim("email", "alice@example.com").claim("email_verified", true).build();
            VALID = TestOidcProvider.sign(claims, KEY, "k1");
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final IdTokenVerifier verifier = new IdTokenVerifier(OidcSignIn.DEFAULT_ALGORITHMS, Duration.ofSeconds(60));
    final IdTokenVerifier.KeyLookup keys = new IdTokenVerifier.KeyLookup() {
        @Override
        public List<JWK> cached() {
            return List.of(KEY.toPublicJWK());
        }

        @Override
        public List<JWK> refreshed() {
            return cached();
        }
    };

    SsoRejected.Reason verify(String token) {
        try {
            verifier.verify(token, ISSUER, CLIENT, NONCE, NOW, keys);
            return null;
        } catch (SsoRejected r) {
            assertThat(r.getMessage()).doesNotContain(token.length() > 8 ? token : "\u0000\u0000");
            return r.reason();
        }
    }

    @Property(tries = 1)
    void theUnalteredTokenIsAccepted() {
        assertThat(verify(VALID)).isNull();
    }

    @Property(tries = 10000)
    void arbitraryStringsAreRejectedWithAReason(@ForAll @StringLength(max = 400) String garbage) {
        assertThat(verify(garbage)).isNotNull();
    }

    @Property(tries = 10000)
    void jwsShapedGarbageIsRejectedWithAReason(@ForAll("headers") String header, @ForAll("payloads") String payload,
                                               @ForAll byte[] signature) {
        String token = Base64URL.encode(header.getBytes(StandardCharsets.UTF_8)) + "."
                + Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8)) + "." + Base64URL.encode(signature);
        assertThat(verify(token)).isNotNull();
    }

    @Property(tries = 10000)
    void alteredTokenNeverYieldsDifferentContent(@ForAll @IntRange(min = 0, max = 100_000) int where,
                                                 @ForAll("base64urlChars") char replacement) {
        int i = where % VALID.length();
        if (VALID.charAt(i) == replacement || VALID.charAt(i) == '.') return;
        String altered = VALID.substring(0, i) + replacement + VALID.substring(i + 1);
        if (verify(altered) == null) {
            // Only a different spelling of the same bytes (unused low bits of a segment's last character) may pass.
            String[] a = altered.split("\\."), v = VALID.split("\\.");
            for (int s = 0; s < 3; s++) {
                assertThat(Arrays.equals(new Base64URL(a[s]).decode(), new Base64URL(v[s]).decode())).isTrue();
            }
        }
    }

    @Property(tries = 10000)
    void garbageCallbackParametersAreRejectedWithAReason(@ForAll("callbacks") Map<String, List<String>> params,
                                                         @ForAll("bindings") String binding) {
        InMemoryLoginAttemptStore store = new InMemoryLoginAttemptStore();
        store.save(new PendingLogin(OidcSignIn.sha256("known-state"), "ws", OidcSignIn.sha256("right-binding"), NONCE,
                "verifier-0123456789012345678901234567890123456789", "https://app.example/cb", NOW.plusSeconds(600)));
        AtomicBoolean providerLookedUp = new AtomicBoolean();
        OidcSignIn sso = OidcSignIn.builder()
                .configurations(ws -> { providerLookedUp.set(true); return Optional.empty(); })
                .clientSecrets((ws, id) -> { throw new AssertionError("no secret may be read without a provider"); })
                .members(new TestMembers()).attempts(store).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        try {
            sso.complete(params, binding);
            throw new AssertionError("a garbage callback was accepted");
        } catch (SsoRejected r) {
            assertThat(r.reason()).isIn(SsoRejected.Reason.MALFORMED_CALLBACK, SsoRejected.Reason.STATE_MISMATCH,
                    SsoRejected.Reason.PROVIDER_ERROR, SsoRejected.Reason.NOT_CONFIGURED);
        }
        // Only the genuine state presented with its own browser's binding gets as far as the provider configuration.
        boolean genuine = params != null && List.of("known-state").equals(params.get("state")) && "right-binding".equals(binding);
        if (providerLookedUp.get()) assertThat(genuine).isTrue();
    }

    @Provide
    Arbitrary<String> headers() {
        Arbitrary<String> alg = Arbitraries.of("RS256", "none", "None", "HS256", "ES256", "PS512", "RSA-OAEP", "", "RS256\u0000")
                .injectDuplicates(0.1);
        Arbitrary<String> kid = Arbitraries.oneOf(Arbitraries.just("k1"), Arbitraries.strings().ofMaxLength(20));
        Arbitrary<String> extra = Arbitraries.of("", ",\"crit\":[\"exp\"]", ",\"enc\":\"A256GCM\"", ",\"jwk\":{}", ",\"b64\":false",
                ",\"alg\":\"none\"", ",\"kid\":null", ",\"kid\":1");
        Arbitrary<String> structured = Combinators.combine(alg, kid, extra)
                .as((a, k, e) -> "{\"alg\":\"" + a + "\",\"kid\":\"" + k.replace("\"", "") + "\"" + e + "}");
        return Arbitraries.oneOf(structured, Arbitraries.strings().ofMaxLength(60),
                Arbitraries.of("{}", "[]", "null", "{\"alg\":\"RS256\"}", "{\"alg\":\"RS256\",\"kid\":\"k1\"}", "{\"alg\":[\"RS256\"]}"));
    }

    @Provide
    Arbitrary<String> payloads() {
        Arbitrary<String> claims = Arbitraries.of("\"iss\":\"" + ISSUER + "\"", "\"iss\":1", "\"aud\":[\"" + CLIENT + "\"]",
                "\"aud\":{}", "\"exp\":\"soon\"", "\"exp\":9999999999", "\"iat\":-1", "\"nonce\":\"" + NONCE + "\"",
                "\"nonce\":[]", "\"sub\":\"x\"", "\"email\":null").list().ofMaxSize(6)
                .map(l -> "{" + String.join(",", l) + "}");
        return Arbitraries.oneOf(claims, Arbitraries.strings().ofMaxLength(80), Arbitraries.of("", "{", "[[[[[[[[[[", "1e999999"));
    }

    @Provide
    Arbitrary<Character> base64urlChars() {
        return Arbitraries.of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".chars()
                .mapToObj(c -> (char) c).toArray(Character[]::new));
    }

    @Provide
    Arbitrary<Map<String, List<String>>> callbacks() {
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of("state", "code", "error", "iss", "session_state"),
                Arbitraries.strings().ofMaxLength(10));
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.of("known-state", "", "access_denied", "https://idp.example"),
                Arbitraries.strings().ofMaxLength(50), Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMaxLength(5),
                Arbitraries.just("x".repeat(OidcSignIn.MAX_PARAM_LENGTH + 1)));
        Arbitrary<List<String>> lists = Arbitraries.oneOf(values.list().ofMaxSize(3),
                values.map(v -> { List<String> l = new ArrayList<>(); l.add(null); return l; }));
        return Arbitraries.oneOf(Arbitraries.maps(names, lists).ofMaxSize(6).map(HashMap::new),
                Arbitraries.just((Map<String, List<String>>) null));
    }

    @Provide
    Arbitrary<String> bindings() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(60), Arbitraries.of("right-binding", ""),
                Arbitraries.just((String) null));
    }
}
