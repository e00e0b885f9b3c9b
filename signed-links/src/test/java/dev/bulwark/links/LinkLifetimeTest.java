package dev.bulwark.links;

import dev.bulwark.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static dev.bulwark.links.LinkRejected.Reason.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Expiry, issue time, lifetime caps and single use at their exact boundaries, with a clock the test moves by hand.
 * Tokens with chosen {@code iat}/{@code exp} are signed with the test key (as only the key holder could).
 */
class LinkLifetimeTest {
    static final String AUD = "https://app.example";
    static final String HEADER = "{\"alg\":\"HS256\",\"kid\":\"k1\"}";
    static final byte[] KEY_BYTES = new byte[32];

    static {
        for (int i = 0; i < KEY_BYTES.length; i++) KEY_BYTES[i] = (byte) (i * 5 + 1);
    }

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    final LinkKeyset keyset = LinkKeyset.of(LinkKey.of("k1", KEY_BYTES));
    final LinkSigner signer = LinkSigner.builder().keys(keyset).audience(AUD).clock(clock).build();
    final long start = clock.instant().getEpochSecond();

    LinkVerifier verifier(Duration skew) {
        return LinkVerifier.builder().keys(keyset).audience(AUD).clock(clock).clockSkew(skew).build();
    }

    static String signed(String claimsJson) {
        String input = Tokens.b64(HEADER) + "." + Tokens.b64(claimsJson);
        return input + "." + Tokens.b64(Tokens.hmac("HmacSHA256", KEY_BYTES, input));
    }

    static String invoiceClaims(long iat, long exp) {
        return "{\"aud\":\"" + AUD + "\",\"pur\":\"invoice-view\",\"wid\":\"ws1\",\"sub\":\"inv_1\","
                + "\"jti\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"iat\":" + iat + ",\"exp\":" + exp + "}";
    }

    static LinkRejected.Reason reason(LinkVerifier v, String token, LinkPurpose purpose) {
        return v.preview(token, purpose, "ws1").map(LinkRejected::reason).orElse(null);
    }

    @Test
    void withoutSkewALinkIsAcceptedUpToItsExpirySecondAndExpiredOneSecondLater() {
        LinkVerifier strict = verifier(Duration.ZERO);
        String token = signer.issue(LinkPurpose.INVOICE_VIEW, "ws1", "inv_1", Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(10));
        assertThat(reason(strict, token, LinkPurpose.INVOICE_VIEW)).isNull();
        clock.advance(Duration.ofSeconds(1));
        assertThat(reason(strict, token, LinkPurpose.INVOICE_VIEW)).isEqualTo(EXPIRED);
    }

    @Test
    void configuredSkewExtendsExpiryByExactlyThatMuch() {
        LinkVerifier lenient = verifier(LinkVerifier.MAX_CLOCK_SKEW);
        String token = signer.issue(LinkPurpose.INVOICE_VIEW, "ws1", "inv_1", Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(15));
        assertThat(reason(lenient, token, LinkPurpose.INVOICE_VIEW)).isNull();
        clock.advance(Duration.ofSeconds(1));
        assertThat(reason(lenient, token, LinkPurpose.INVOICE_VIEW)).isEqualTo(EXPIRED);
    }

    @Test
    void issueTimeInTheFutureIsToleratedOnlyWithinTheSkew() {
        LinkVerifier v = verifier(Duration.ofSeconds(30));
        assertThat(reason(v, signed(invoiceClaims(start + 30, start + 600)), LinkPurpose.INVOICE_VIEW)).isNull();
        assertThat(reason(v, signed(invoiceClaims(start + 31, start + 600)), LinkPurpose.INVOICE_VIEW)).isEqualTo(NOT_YET_VALID);
        LinkVerifier strict = verifier(Duration.ZERO);
        assertThat(reason(strict, signed(invoiceClaims(start, start + 600)), LinkPurpose.INVOICE_VIEW)).isNull();
        assertThat(reason(strict, signed(invoiceClaims(start + 1, start + 600)), LinkPurpose.INVOICE_VIEW)).isEqualTo(NOT_YET_VALID);
    }

    @Test
    void lifetimeExactlyAtThePurposeCapIsAcceptedAndOneSecondMoreIsNot() {
        LinkVerifier v = verifier(LinkVerifier.DEFAULT_CLOCK_SKEW);
        long cap = LinkPurpose.INVOICE_VIEW.maxLifetime().getSeconds();
        assertThat(reason(v, signed(invoiceClaims(start, start + cap)), LinkPurpose.INVOICE_VIEW)).isNull();
        assertThat(reason(v, signed(invoiceClaims(start, start + cap + 1)), LinkPurpose.INVOICE_VIEW))
                .isEqualTo(LIFETIME_EXCEEDS_PURPOSE);
    }

    @Test
    void linkThatExpiresWhenOrBeforeItIsIssuedIsRefused() {
        LinkVerifier v = verifier(LinkVerifier.DEFAULT_CLOCK_SKEW);
        assertThat(reason(v, signed(invoiceClaims(start, start)), LinkPurpose.INVOICE_VIEW)).isEqualTo(LIFETIME_EXCEEDS_PURPOSE);
        assertThat(reason(v, signed(invoiceClaims(start, start - 1)), LinkPurpose.INVOICE_VIEW)).isEqualTo(LIFETIME_EXCEEDS_PURPOSE);
        assertThat(reason(v, signed(invoiceClaims(start, start + 1)), LinkPurpose.INVOICE_VIEW)).isNull();
    }

    @Test
    void signerIssuesLifetimesFromOneSecondUpToTheCapOnly() throws Exception {
        LinkVerifier v = verifier(Duration.ZERO);
        String oneSecond = signer.issue(LinkPurpose.PASSWORD_RESET, "ws1", "u1", Duration.ofSeconds(1));
        VerifiedLink link = v.verify(oneSecond, LinkPurpose.PASSWORD_RESET, "ws1");
        assertThat(link.issuedAt()).isEqualTo(clock.instant());
        assertThat(link.expiresAt()).isEqualTo(clock.instant().plusSeconds(1));
        String atCap = signer.issue(LinkPurpose.PASSWORD_RESET, "ws1", "u1", Duration.ofMinutes(30));
        assertThat(v.verify(atCap, LinkPurpose.PASSWORD_RESET, "ws1").expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMillis(999), Duration.ofSeconds(-5), Duration.ofMinutes(30).plusSeconds(1)}) {
            assertThatThrownBy(() -> signer.issue(LinkPurpose.PASSWORD_RESET, "ws1", "u1", bad))
                    .as("lifetime %s", bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void defaultLifetimeIsThePurposeCap() throws Exception {
        LinkVerifier v = verifier(Duration.ZERO);
        for (LinkPurpose p : new LinkPurpose[] {LinkPurpose.BOOKING, LinkPurpose.EMAIL_VERIFY, LinkPurpose.TEAM_INVITE}) {
            VerifiedLink link = v.verify(signer.issue(p, "ws1", "r1"), p, "ws1");
            assertThat(Duration.between(link.issuedAt(), link.expiresAt())).as(p.name()).isEqualTo(p.maxLifetime());
        }
    }

    @Test
    void everyRejectionTellsTheIntegratorWhyInWords() {
        LinkVerifier v = verifier(Duration.ZERO);
        String token = signer.issue(LinkPurpose.INVOICE_VIEW, "ws1", "inv_1", Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(2));
        LinkRejected expired = v.preview(token, LinkPurpose.INVOICE_VIEW, "ws1").orElseThrow();
        assertThat(expired.reason()).isEqualTo(EXPIRED);
        assertThat(expired.getMessage()).isEqualTo(EXPIRED.description()).isNotBlank();
        for (LinkRejected.Reason r : LinkRejected.Reason.values()) assertThat(r.description()).as(r.name()).isNotBlank();

        String input = Tokens.b64("{\"alg\":\"HS256\",\"kid\":\"k9\"}") + "." + Tokens.b64(invoiceClaims(start, start + 60));
        LinkRejected unknownKey = v.preview(input + "." + Tokens.b64(Tokens.hmac("HmacSHA256", KEY_BYTES, input)),
                LinkPurpose.INVOICE_VIEW, "ws1").orElseThrow();
        assertThat(unknownKey.reason()).isEqualTo(UNKNOWN_KEY);
        assertThat(unknownKey.getMessage()).isEqualTo(UNKNOWN_KEY.description());
        String noKid = Tokens.b64("{\"alg\":\"HS256\"}") + "." + Tokens.b64(invoiceClaims(start, start + 60));
        LinkRejected malformed = v.preview(noKid + "." + Tokens.b64(Tokens.hmac("HmacSHA256", KEY_BYTES, noKid)),
                LinkPurpose.INVOICE_VIEW, "ws1").orElseThrow();
        assertThat(malformed.reason()).isEqualTo(MALFORMED);
        assertThat(malformed.getMessage()).contains("kid");
    }

    @Test
    void clockSkewMustBeBetweenZeroAndFiveMinutes() {
        assertThat(verifier(Duration.ZERO)).isNotNull();
        assertThat(verifier(Duration.ofMinutes(5))).isNotNull();
        assertThatThrownBy(() -> verifier(Duration.ofMinutes(5).plusSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> verifier(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    /** Records what the verifier asks the store, and otherwise behaves like the in-memory store. */
    static final class RecordingUsedLinks implements UsedLinkStore {
        final InMemoryUsedLinkStore delegate = new InMemoryUsedLinkStore();
        final Map<String, Instant> keptUntil = new HashMap<>();

        @Override
        public boolean markUsed(String tokenId, Instant keepUntil) {
            keptUntil.putIfAbsent(tokenId, keepUntil);
            return delegate.markUsed(tokenId, keepUntil);
        }

        @Override
        public boolean isUsed(String tokenId, Instant now) {
            return delegate.isUsed(tokenId, now);
        }

        @Override
        public int purgeExpired(Instant now) {
            return delegate.purgeExpired(now);
        }
    }

    @Test
    void usedSingleUseLinkIsRememberedUntilItCouldNoLongerBeAcceptedAnyway() throws Exception {
        RecordingUsedLinks used = new RecordingUsedLinks();
        LinkVerifier v = LinkVerifier.builder().keys(keyset).audience(AUD).clock(clock).usedLinks(used).build();
        String reset = signer.issue(LinkPurpose.PASSWORD_RESET, "ws1", "u1");
        VerifiedLink link = v.verify(reset, LinkPurpose.PASSWORD_RESET, "ws1");
        Instant lastAcceptable = link.expiresAt().plus(LinkVerifier.DEFAULT_CLOCK_SKEW);
        assertThat(used.keptUntil).containsEntry(link.tokenId(), lastAcceptable);

        // A daily purge at any moment while the link is still acceptable must not make it replayable.
        clock.advance(Duration.between(clock.instant(), lastAcceptable));
        assertThat(used.purgeExpired(clock.instant())).isZero();
        assertThat(reason(v, reset, LinkPurpose.PASSWORD_RESET)).isEqualTo(ALREADY_USED);
        assertThatThrownBy(() -> v.verify(reset, LinkPurpose.PASSWORD_RESET, "ws1"))
                .isInstanceOfSatisfying(LinkRejected.class, r -> assertThat(r.reason()).isEqualTo(ALREADY_USED));
        // One second later the record may go: the link is refused as expired instead.
        clock.advance(Duration.ofSeconds(1));
        assertThat(used.purgeExpired(clock.instant())).isEqualTo(1);
        assertThat(reason(v, reset, LinkPurpose.PASSWORD_RESET)).isEqualTo(EXPIRED);
    }

    @Test
    void multiUseLinksAreNeverRecordedAsUsed() throws Exception {
        RecordingUsedLinks used = new RecordingUsedLinks();
        LinkVerifier v = LinkVerifier.builder().keys(keyset).audience(AUD).clock(clock).usedLinks(used).build();
        v.verify(signer.issue(LinkPurpose.INVOICE_VIEW, "ws1", "inv_1"), LinkPurpose.INVOICE_VIEW, "ws1");
        v.verify(signer.issue(LinkPurpose.BOOKING, "ws1", "b1"), LinkPurpose.BOOKING, "ws1");
        assertThat(used.keptUntil).isEmpty();
    }

    @Test
    void rejectedSingleUseLinkIsNotConsumed() throws Exception {
        RecordingUsedLinks used = new RecordingUsedLinks();
        LinkVerifier v = LinkVerifier.builder().keys(keyset).audience(AUD).clock(clock).usedLinks(used).build();
        String invite = signer.issue(LinkPurpose.TEAM_INVITE, "ws1", "inv_7");
        assertThat(v.preview(invite, LinkPurpose.TEAM_INVITE, "ws2")).hasValueSatisfying(
                r -> assertThat(r.reason()).isEqualTo(WRONG_WORKSPACE));
        assertThatThrownBy(() -> v.verify(invite, LinkPurpose.TEAM_INVITE, "ws1", "inv_8"))
                .isInstanceOfSatisfying(LinkRejected.class, r -> assertThat(r.reason()).isEqualTo(WRONG_RESOURCE));
        assertThat(used.keptUntil).isEmpty();
        assertThat(v.verify(invite, LinkPurpose.TEAM_INVITE, "ws1", "inv_7").resourceId()).isEqualTo("inv_7");
    }

    @Test
    void usedRecordCountsUpToAndIncludingItsKeepUntilInstant() {
        // isUsed honours keep-until: a record past its time no longer counts, whatever the store still holds.
        InMemoryUsedLinkStore store = new InMemoryUsedLinkStore();
        Instant t = clock.instant();
        store.markUsed("AAAAAAAAAAAAAAAAAAAAAA", t);
        assertThat(store.isUsed("AAAAAAAAAAAAAAAAAAAAAA", t)).isTrue();
        assertThat(store.isUsed("AAAAAAAAAAAAAAAAAAAAAA", t.plusMillis(1))).isFalse();
        assertThat(store.purgeExpired(t)).isZero();
        assertThat(store.purgeExpired(t.plusMillis(1))).isEqualTo(1);
    }
}
