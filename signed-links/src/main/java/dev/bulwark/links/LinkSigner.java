package dev.bulwark.links;

import com.nimbusds.jose.util.JSONObjectUtils;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Issues signed link tokens: compact HS256 JWS, header {@code {"alg":"HS256","kid":...}}, claims
 * {@code aud} (this application), {@code pur} (purpose), {@code wid} (workspace), {@code sub} (resource),
 * {@code jti} (128-bit random id), {@code iat}, {@code exp} and, with a revocation store, {@code ver}.
 * About 250-300 URL-safe characters.
 *
 * <pre>{@code
 * LinkSigner signer = LinkSigner.builder().keys(keyset).audience("https://app.example").build();
 * String token = signer.issue(LinkPurpose.INVOICE_VIEW, workspaceId, "inv_42");
 * }</pre>
 */
public final class LinkSigner {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final LinkKeySource keys;
    private final String audience;
    private final Clock clock;
    private final LinkRevocationStore revocations;

    private LinkSigner(Builder b) {
        this.keys = b.keys;
        this.audience = b.audience;
        this.clock = b.clock;
        this.revocations = b.revocations;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A link that lives as long as its purpose allows. */
    public String issue(LinkPurpose purpose, String workspaceId, String resourceId) {
        Objects.requireNonNull(purpose, "purpose");
        return issue(purpose, workspaceId, resourceId, purpose.maxLifetime());
    }

    /**
     * A link with a shorter lifetime than its purpose's cap.
     *
     * @throws IllegalArgumentException if the lifetime is not positive or exceeds the purpose's cap
     */
    public String issue(LinkPurpose purpose, String workspaceId, String resourceId, Duration lifetime) {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(lifetime, "lifetime");
        Ids.check("workspaceId", workspaceId);
        Ids.check("resourceId", resourceId);
        if (lifetime.isNegative() || lifetime.getSeconds() < 1) {
            throw new IllegalArgumentException("lifetime must be at least one second");
        }
        if (lifetime.compareTo(purpose.maxLifetime()) > 0) {
            throw new IllegalArgumentException("a " + purpose.name() + " link may live at most "
                    + purpose.maxLifetime() + ", asked for " + lifetime);
        }
        long now = clock.instant().getEpochSecond();
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);

        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put(LinkVerifier.AUD, audience);
        claims.put(LinkVerifier.PUR, purpose.name());
        claims.put(LinkVerifier.WID, workspaceId);
        claims.put(LinkVerifier.SUB, resourceId);
        claims.put(LinkVerifier.JTI, B64.encodeToString(id));
        claims.put(LinkVerifier.IAT, now);
        claims.put(LinkVerifier.EXP, now + lifetime.getSeconds());
        if (revocations != null) {
            claims.put(LinkVerifier.VER, revocations.currentVersion(workspaceId, resourceId));
        }
        LinkKey key = keys.current().primary();
        return CompactHs256.sign(key, JSONObjectUtils.toJSONString(claims).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "LinkSigner[audience=" + audience + "]";
    }

    public static final class Builder {
        private LinkKeySource keys;
        private String audience;
        private Clock clock = Clock.systemUTC();
        private LinkRevocationStore revocations;

        private Builder() {}

        /** Required: the keys (a {@link LinkKeyset}, or a source that can rotate). The primary signs. */
        public Builder keys(LinkKeySource keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /** Required: who the links are for, e.g. the application's origin. Verifiers require the same value. */
        public Builder audience(String audience) {
            this.audience = Ids.check("audience", audience);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Embed each resource's revocation version, so {@link LinkRevocationStore#revokeAll} can void links. */
        public Builder revocations(LinkRevocationStore revocations) {
            this.revocations = Objects.requireNonNull(revocations, "revocations");
            return this;
        }

        public LinkSigner build() {
            if (keys == null) throw new IllegalStateException("LinkSigner needs keys(...)");
            if (audience == null) throw new IllegalStateException("LinkSigner needs audience(...)");
            return new LinkSigner(this);
        }
    }
}
