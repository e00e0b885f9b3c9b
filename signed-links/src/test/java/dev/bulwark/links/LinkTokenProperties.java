package dev.bulwark.links;

import dev.bulwark.testkit.MutableClock;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class LinkTokenProperties {
    static final String AUD = "https://app.example";
    static final List<LinkPurpose> PURPOSES = List.of(LinkPurpose.BOOKING, LinkPurpose.INVOICE_VIEW,
            LinkPurpose.PASSWORD_RESET, LinkPurpose.EMAIL_VERIFY, LinkPurpose.TEAM_INVITE);
    static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    final LinkKeyset keyset = LinkKeyset.builder().primary(LinkKey.generate("k2")).add(LinkKey.generate("k1")).build();
    final LinkSigner signer = LinkSigner.builder().keys(keyset).audience(AUD).clock(clock).build();
    final LinkVerifier verifier = LinkVerifier.builder().keys(keyset).audience(AUD).clock(clock).build();

    LinkRejected.Reason reasonOf(String token, LinkPurpose purpose, String workspace) {
        try {
            verifier.verify(token, purpose, workspace);
        } catch (LinkRejected r) {
            return r.reason();
        }
        return null;
    }

    @Provide
    Arbitrary<Character> replacements() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of(BASE64URL.chars().mapToObj(c -> (char) c).toList())),
                net.jqwik.api.Tuple.of(1, Arbitraries.of('.', '=', '+', '/', ' ', '\u00e9', '\u0000')),
                net.jqwik.api.Tuple.of(1, Arbitraries.chars()));
    }

    @Provide
    Arbitrary<LinkPurpose> purposes() {
        return Arbitraries.of(PURPOSES);
    }

    @Property(tries = 10000)
    void changingAnyCharacterOfATokenRejectsIt(@ForAll("purposes") LinkPurpose purpose,
                                               @ForAll @IntRange(min = 0, max = 1000) int position,
                                               @ForAll("replacements") char replacement) {
        String token = signer.issue(purpose, "ws_1", "res_1");
        int i = position % token.length();
        Assume.that(token.charAt(i) != replacement);
        String tampered = token.substring(0, i) + replacement + token.substring(i + 1);
        assertThat(reasonOf(tampered, purpose, "ws_1")).as("tampered at %d", i).isNotNull();
    }

    @Property(tries = 2000)
    void insertingOrDeletingACharacterRejectsIt(@ForAll("purposes") LinkPurpose purpose,
                                                @ForAll @IntRange(min = 0, max = 1000) int position,
                                                @ForAll("replacements") char inserted, @ForAll boolean delete) {
        String token = signer.issue(purpose, "ws_1", "res_1");
        int i = position % token.length();
        String changed = delete ? token.substring(0, i) + token.substring(i + 1)
                : token.substring(0, i) + inserted + token.substring(i);
        assertThat(reasonOf(changed, purpose, "ws_1")).isNotNull();
    }

    @Property
    void everyIssuedLinkVerifiesForItsPurposeWorkspaceAndResource(
            @ForAll("purposes") LinkPurpose purpose,
            @ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 40) String workspace,
            @ForAll @StringLength(min = 1, max = 128) String resource) throws LinkRejected {
        Assume.that(resource.chars().noneMatch(c -> c < 0x20 || c == 0x7f));
        String token = signer.issue(purpose, workspace, resource);
        VerifiedLink link = verifier.verify(token, purpose, workspace, resource);
        assertThat(link.resourceId()).isEqualTo(resource);
        assertThat(link.workspaceId()).isEqualTo(workspace);
        assertThat(link.purpose()).isEqualTo(purpose);
        assertThat(link.keyId()).isEqualTo("k2");
    }

    @Property
    void linkForOneWorkspaceIsRejectedInAnyOther(@ForAll("purposes") LinkPurpose purpose,
                                                 @ForAll @AlphaChars @StringLength(min = 1, max = 20) String ws,
                                                 @ForAll @AlphaChars @StringLength(min = 1, max = 20) String other) {
        Assume.that(!ws.equals(other));
        String token = signer.issue(purpose, ws, "res_1");
        assertThat(reasonOf(token, purpose, other)).isEqualTo(LinkRejected.Reason.WRONG_WORKSPACE);
    }

    @Property
    void linkForOnePurposeIsRejectedForAnyOther(@ForAll("purposes") LinkPurpose issued,
                                                @ForAll("purposes") LinkPurpose presented) {
        Assume.that(!issued.equals(presented));
        String token = signer.issue(issued, "ws_1", "res_1");
        assertThat(reasonOf(token, presented, "ws_1")).isEqualTo(LinkRejected.Reason.WRONG_PURPOSE);
    }

    @Property
    void linkIsRejectedAsExpiredAnyTimeAfterExpiryPlusSkew(
            @ForAll("purposes") LinkPurpose purpose,
            @ForAll @LongRange(min = 1, max = 86_400L * 365) long secondsPastSkew) {
        String token = signer.issue(purpose, "ws_1", "res_1");
        MutableClock later = new MutableClock(clock.instant().plus(purpose.maxLifetime())
                .plus(LinkVerifier.DEFAULT_CLOCK_SKEW).plusSeconds(secondsPastSkew));
        LinkVerifier v = LinkVerifier.builder().keys(keyset).audience(AUD).clock(later).build();
        try {
            v.verify(token, purpose, "ws_1");
            fail("expired link accepted");
        } catch (LinkRejected r) {
            assertThat(r.reason()).isEqualTo(LinkRejected.Reason.EXPIRED);
        }
    }

    @Property
    void linkIsAcceptedAnyTimeBeforeItsExpiry(@ForAll("purposes") LinkPurpose purpose,
                                              @ForAll @IntRange(min = 0, max = 1000) int permille) throws LinkRejected {
        String token = signer.issue(purpose, "ws_1", "res_1");
        Duration age = purpose.maxLifetime().multipliedBy(permille).dividedBy(1000);
        LinkVerifier v = LinkVerifier.builder().keys(keyset).audience(AUD)
                .clock(new MutableClock(clock.instant().plus(age))).build();
        assertThat(v.verify(token, purpose, "ws_1").resourceId()).isEqualTo("res_1");
    }

    @Property(tries = 10000)
    void arbitraryTextIsRejectedWithATypedReasonNeverAnUncheckedException(@ForAll @StringLength(max = 600) String text) {
        assertThat(reasonOf(text, LinkPurpose.BOOKING, "ws_1")).isNotNull();
    }

    @Provide
    Arbitrary<String> jwsShaped() {
        Arbitrary<String> segment = Arbitraries.strings().withChars(BASE64URL.toCharArray()).ofMaxLength(120);
        Arbitrary<String> header = Arbitraries.oneOf(segment, Arbitraries.of(keyset.primary().headerSegment(),
                Tokens.b64("{\"alg\":\"HS256\",\"kid\":\"k1\"}"), Tokens.b64("{\"alg\":\"none\"}"),
                Tokens.b64("{\"alg\":\"HS256\",\"kid\":\"k1\",\"jku\":\"https://evil.example/jwks\"}"),
                Tokens.b64("{\"alg\":\"HS256\",\"kid\":[1,2]}"), Tokens.b64("[]"), Tokens.b64("{\"alg\":null}")));
        Arbitrary<String> payload = Arbitraries.oneOf(segment, Arbitraries.of(Tokens.b64("{}"), Tokens.b64("null"),
                Tokens.b64("{\"exp\":\"x\"}")));
        return net.jqwik.api.Combinators.combine(header, payload, segment).as((h, p, s) -> h + "." + p + "." + s);
    }

    @Property(tries = 10000)
    void compactShapedGarbageIsRejectedWithATypedReason(@ForAll("jwsShaped") String token) {
        assertThat(reasonOf(token, LinkPurpose.BOOKING, "ws_1")).isNotNull();
    }
}
