package dev.bulwark.webhook;

import org.junit.jupiter.api.Test;

import static dev.bulwark.webhook.StandardWebhooksTest.*;
import static dev.bulwark.webhook.WebhookRejected.Reason.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The Standard Webhooks headers at their edges: webhook-id shape, timestamp and signature-list caps, empty bodies. */
class StandardHeaderParsingTest {
    final FixedClock clock = new FixedClock(SPEC_TIMESTAMP);
    final WebhookVerifier verifier = WebhookVerifier.standardWebhooks().secret(SPEC_SECRET).clock(clock)
            .withoutReplayGuard().build();
    final WebhookSigner signer = WebhookSigner.standardWebhooks(SPEC_SECRET);
    final byte[] body = Events.utf8(SPEC_BODY);

    WebhookRejected rejection(HeaderLookup h, byte[] b) {
        try {
            verifier.verify(h, b);
        } catch (WebhookRejected r) {
            return r;
        }
        throw new AssertionError("accepted");
    }

    HeaderLookup signed(String id, long ts, byte[] b) {
        return headers(id, ts, signer.standardSignature(id, ts, b));
    }

    @Test
    void webhookIdOfUpTo256VisibleAsciiCharactersIsAccepted() throws Exception {
        String longest = "msg_" + "a".repeat(StandardSignatureHeaders.MAX_ID_CHARS - 4);
        assertThat(verifier.verify(signed(longest, SPEC_TIMESTAMP, body), body).id()).isEqualTo(longest);
        // '!' and '~' are the first and last visible ASCII characters
        assertThat(verifier.verify(signed("msg_!~", SPEC_TIMESTAMP, body), body).id()).isEqualTo("msg_!~");
    }

    @Test
    void webhookIdThatIsTooLongOrHasSpacesOrControlsIsMalformedEvenWhenCorrectlySigned() {
        String tooLong = "msg_" + "a".repeat(StandardSignatureHeaders.MAX_ID_CHARS - 3);
        for (String id : new String[] {tooLong, "msg 1", "msg_\u007f", "msg_\t1", "msg_\u00e91"}) {
            assertThat(rejection(signed(id, SPEC_TIMESTAMP, body), body).reason()).as(id).isEqualTo(MALFORMED_HEADER);
        }
    }

    @Test
    void timestampsUpToTwelveDigitsAreReadAndLongerOnesAreMalformed() {
        long twelveDigits = 100_000_000_000L;
        WebhookRejected future = rejection(signed(SPEC_ID, twelveDigits, body), body);
        assertThat(future.reason()).isEqualTo(TIMESTAMP_OUTSIDE_TOLERANCE);
        assertThat(future.skewSeconds()).hasValue(SPEC_TIMESTAMP - twelveDigits);
        assertThat(rejection(signed(SPEC_ID, 1_000_000_000_000L, body), body).reason()).isEqualTo(MALFORMED_HEADER);
    }

    @Test
    void signatureHeaderOfExactly8192CharactersIsReadAndOneMoreIsMalformed() throws Exception {
        String atCap = SPEC_SIGNATURE + " ".repeat(StandardSignatureHeaders.MAX_CHARS - SPEC_SIGNATURE.length());
        assertThat(atCap).hasSize(8192);
        assertThat(verifier.verify(headers(SPEC_ID, SPEC_TIMESTAMP, atCap), body).id()).isEqualTo(SPEC_ID);
        assertThat(rejection(headers(SPEC_ID, SPEC_TIMESTAMP, atCap + " "), body).reason()).isEqualTo(MALFORMED_HEADER);
    }

    @Test
    void atMost32SignaturesAreReadWhateverTheirVersion() throws Exception {
        String v1a = " v1a," + "A".repeat(86) + "==";
        String v1 = " v1," + "A".repeat(43) + "=";
        // 16 v1a + 15 v1 + the matching one = 32: read, and the last one matches
        String thirtyTwo = (v1a.repeat(16) + v1.repeat(15)).strip() + " " + SPEC_SIGNATURE;
        assertThat(verifier.verify(headers(SPEC_ID, SPEC_TIMESTAMP, thirtyTwo), body).id()).isEqualTo(SPEC_ID);
        String thirtyThree = (v1a.repeat(17) + v1.repeat(15)).strip() + " " + SPEC_SIGNATURE;
        WebhookRejected r = rejection(headers(SPEC_ID, SPEC_TIMESTAMP, thirtyThree), body);
        assertThat(r.reason()).isEqualTo(MALFORMED_HEADER);
        assertThat(r.getMessage()).contains("more than 32 signatures");
    }

    @Test
    void emptyOrMissingBodyIsRejectedAsEmptyBodyEvenWithAValidSignatureOverNothing() {
        byte[] empty = new byte[0];
        assertThat(rejection(signed(SPEC_ID, SPEC_TIMESTAMP, empty), empty).reason()).isEqualTo(EMPTY_BODY);
        assertThat(rejection(signed(SPEC_ID, SPEC_TIMESTAMP, empty), null).reason()).isEqualTo(EMPTY_BODY);
    }

    @Test
    void noSignatureMatchedCountsTheSignaturesTriedWithoutRevealingTheSecret() {
        String header = "v1,bm9wZQ== v1," + "A".repeat(43) + "= v1a," + "A".repeat(86) + "==";
        WebhookRejected r = rejection(headers(SPEC_ID, SPEC_TIMESTAMP, header), body);
        assertThat(r.reason()).isEqualTo(NO_SIGNATURE_MATCHED);
        assertThat(r.getMessage()).contains("none of the 3 signature(s)").contains("1 configured secret(s)")
                .contains("raw request body").doesNotContain(SPEC_SECRET.substring(6))
                .doesNotContain(SPEC_SIGNATURE.substring(3));
    }
}
