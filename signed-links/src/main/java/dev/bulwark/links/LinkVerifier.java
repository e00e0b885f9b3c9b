package dev.bulwark.links;

import com.nimbusds.jose.util.JSONObjectUtils;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a link token into a {@link VerifiedLink}, or refuses it with a {@link LinkRejected} whose reason says why.
 *
 * <p>Order of checks: shape; header (HS256 and a known kid only: {@code alg: none}, other algorithms and headers
 * that carry their own key are refused); the MAC over the signing input, in constant time, before any claims
 * JSON is parsed; then audience, purpose, workspace, resource, lifetime cap, expiry and issue time (with a small
 * clock skew), revocation version, and for single-use purposes the first use, recorded atomically.
 *
 * <pre>{@code
 * LinkVerifier verifier = LinkVerifier.builder().keys(keyset).audience("https://app.example")
 *         .usedLinks(new JdbcUsedLinkStore(ds)).revocations(new JdbcLinkRevocationStore(ds)).build();
 * VerifiedLink link = verifier.verify(token, LinkPurpose.PASSWORD_RESET, workspaceId); // consumes it
 * }</pre>
 */
public final class LinkVerifier {
    static final String AUD = "aud";
    static final String PUR = "pur";
    static final String WID = "wid";
    static final String SUB = "sub";
    static final String JTI = "jti";
    static final String IAT = "iat";
    static final String EXP = "exp";
    static final String VER = "ver";

    /** The skew allowed when none is configured. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    /** The largest skew that may be configured. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    private static final Pattern TOKEN_ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");

    private final LinkKeySource keys;
    private final String audience;
    private final Clock clock;
    private final long skewSeconds;
    private final UsedLinkStore usedLinks;
    private final LinkRevocationStore revocations;

    private LinkVerifier(Builder b) {
        this.keys = b.keys;
        this.audience = b.audience;
        this.clock = b.clock;
        this.skewSeconds = b.skew.getSeconds();
        this.usedLinks = b.usedLinks;
        this.revocations = b.revocations;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies a token presented for a purpose in a workspace. For a single-use purpose a successful call also
     * records the token as used, so a second call is refused with {@link LinkRejected.Reason#ALREADY_USED}.
     */
    public VerifiedLink verify(String token, LinkPurpose purpose, String workspaceId) throws LinkRejected {
        return check(token, purpose, workspaceId, null, true);
    }

    /** As {@link #verify(String, LinkPurpose, String)}, and the token must also be for this resource. */
    public VerifiedLink verify(String token, LinkPurpose purpose, String workspaceId, String resourceId)
            throws LinkRejected {
        return check(token, purpose, workspaceId, Objects.requireNonNull(resourceId, "resourceId"), true);
    }

    /**
     * Whether {@link #verify} would accept the token now, without recording a single-use token as used
     * (e.g. to show the password-reset form before it is submitted). It returns no {@link VerifiedLink}: act only
     * on the result of {@code verify}.
     *
     * @return empty if the token would be accepted, otherwise the rejection
     */
    public Optional<LinkRejected> preview(String token, LinkPurpose purpose, String workspaceId) {
        try {
            check(token, purpose, workspaceId, null, false);
            return Optional.empty();
        } catch (LinkRejected r) {
            return Optional.of(r);
        }
    }

    private VerifiedLink check(String token, LinkPurpose purpose, String workspaceId, String resourceId,
                               boolean consume) throws LinkRejected {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(workspaceId, "workspaceId");
        LinkKeyset keyset = keys.current();
        CompactHs256.Verified v = CompactHs256.verify(token, keyset::byKid, keyset);

        Map<String, Object> claims;
        try {
            claims = JSONObjectUtils.parse(new String(v.payload(), StandardCharsets.UTF_8));
        } catch (ParseException | RuntimeException e) {
            throw new LinkRejected(LinkRejected.Reason.MALFORMED, "the token's claims are not a JSON object");
        }
        if (claims == null) { // the JSON text "null" parses to no object at all
            throw new LinkRejected(LinkRejected.Reason.MALFORMED, "the token's claims are not a JSON object");
        }
        String aud = string(claims, AUD);
        String pur = string(claims, PUR);
        String wid = string(claims, WID);
        String sub = string(claims, SUB);
        String jti = string(claims, JTI);
        long iat = number(claims, IAT);
        long exp = number(claims, EXP);
        long ver = claims.containsKey(VER) ? number(claims, VER) : 0L;
        if (!TOKEN_ID.matcher(jti).matches()) {
            throw new LinkRejected(LinkRejected.Reason.MALFORMED, "the token id has an unexpected form");
        }

        if (!audience.equals(aud)) throw new LinkRejected(LinkRejected.Reason.WRONG_AUDIENCE);
        if (!purpose.name().equals(pur)) {
            throw new LinkRejected(LinkRejected.Reason.WRONG_PURPOSE,
                    "the token was issued for another purpose than " + purpose.name());
        }
        if (!workspaceId.equals(wid)) throw new LinkRejected(LinkRejected.Reason.WRONG_WORKSPACE);
        if (resourceId != null && !resourceId.equals(sub)) throw new LinkRejected(LinkRejected.Reason.WRONG_RESOURCE);
        if (exp <= iat || exp - iat > purpose.maxLifetime().getSeconds()) {
            throw new LinkRejected(LinkRejected.Reason.LIFETIME_EXCEEDS_PURPOSE);
        }
        Instant nowInstant = clock.instant();
        long now = nowInstant.getEpochSecond();
        if (now > exp + skewSeconds) throw new LinkRejected(LinkRejected.Reason.EXPIRED);
        if (iat > now + skewSeconds) throw new LinkRejected(LinkRejected.Reason.NOT_YET_VALID);
        if (revocations != null && revocations.currentVersion(wid, sub) != ver) {
            throw new LinkRejected(LinkRejected.Reason.REVOKED);
        }
        if (purpose.singleUse()) {
            boolean used = consume
                    ? !usedLinks.markUsed(jti, Instant.ofEpochSecond(exp + skewSeconds))
                    : usedLinks.isUsed(jti, nowInstant);
            if (used) throw new LinkRejected(LinkRejected.Reason.ALREADY_USED);
        }
        return new VerifiedLink(purpose, wid, sub, jti, Instant.ofEpochSecond(iat), Instant.ofEpochSecond(exp),
                v.key().kid(), ver);
    }

    private static String string(Map<String, Object> claims, String name) throws LinkRejected {
        if (claims.get(name) instanceof String s) return s;
        throw new LinkRejected(LinkRejected.Reason.MALFORMED, "the token lacks a text claim '" + name + "'");
    }

    private static long number(Map<String, Object> claims, String name) throws LinkRejected {
        Object o = claims.get(name);
        // Nimbus's JSON parser yields whole numbers as Long only (Double for anything else).
        if (o instanceof Long l && l >= 0) return l;
        throw new LinkRejected(LinkRejected.Reason.MALFORMED, "the token lacks a whole-number claim '" + name + "'");
    }

    @Override
    public String toString() {
        return "LinkVerifier[audience=" + audience + ", skew=" + skewSeconds + "s]";
    }

    public static final class Builder {
        private LinkKeySource keys;
        private String audience;
        private Clock clock = Clock.systemUTC();
        private Duration skew = DEFAULT_CLOCK_SKEW;
        private UsedLinkStore usedLinks;
        private LinkRevocationStore revocations;

        private Builder() {}

        /** Required: the keys that may have signed a link (primary and older keys). */
        public Builder keys(LinkKeySource keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /** Required: the audience the signer wrote; tokens for another audience are refused. */
        public Builder audience(String audience) {
            this.audience = Ids.check("audience", audience);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Clock skew tolerated on expiry and issue time: 0 to 5 minutes, default 30 seconds. */
        public Builder clockSkew(Duration skew) {
            Objects.requireNonNull(skew, "skew");
            if (skew.isNegative() || skew.compareTo(MAX_CLOCK_SKEW) > 0) {
                throw new IllegalArgumentException("clock skew must be between 0 and " + MAX_CLOCK_SKEW);
            }
            this.skew = skew;
            return this;
        }

        /**
         * Where used single-use token ids are recorded. Default: an {@link InMemoryUsedLinkStore}, which is
         * right for one node only; with several app nodes use a {@link JdbcUsedLinkStore}.
         */
        public Builder usedLinks(UsedLinkStore store) {
            this.usedLinks = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Refuse links whose resource was revoked after they were issued (use the signer's store). */
        public Builder revocations(LinkRevocationStore revocations) {
            this.revocations = Objects.requireNonNull(revocations, "revocations");
            return this;
        }

        public LinkVerifier build() {
            if (keys == null) throw new IllegalStateException("LinkVerifier needs keys(...)");
            if (audience == null) throw new IllegalStateException("LinkVerifier needs audience(...)");
            if (usedLinks == null) usedLinks = new InMemoryUsedLinkStore();
            return new LinkVerifier(this);
        }
    }
}
