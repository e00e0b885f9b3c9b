package dev.bulwark.webhook;

import com.stripe.net.Webhook;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.ZoneOffset;

import static dev.bulwark.webhook.WebhookRejected.Reason.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The Stripe-Signature parser at its edges: length caps, empty elements, timestamps, diagnostic messages. */
class StripeHeaderParsingTest {
    static final String SECRET = StripeWebhookTest.SECRET;
    static final long NOW = StripeWebhookTest.NOW;

    final FixedClock clock = new FixedClock(NOW);
    final WebhookVerifier verifier = WebhookVerifier.stripe().secret(SECRET).clock(clock).withoutReplayGuard().build();
    final WebhookSigner signer = WebhookSigner.stripe(SECRET);
    final String json = "{\"id\":\"evt_1Edge\",\"object\":\"event\",\"type\":\"invoice.paid\",\"created\":" + NOW + "}";
    final byte[] body = Events.utf8(json);

    WebhookRejected rejection(String header) {
        try {
            verifier.verify(Events.headers("Stripe-Signature", header), body);
        } catch (WebhookRejected r) {
            return r;
        }
        throw new AssertionError("accepted: " + header);
    }

    VerifiedEvent accept(String header) throws WebhookRejected {
        return verifier.verify(Events.headers("Stripe-Signature", header), body);
    }

    @Test
    void emptyElementsAreIgnoredAsStripeJavaIgnoresThem() throws Exception {
        String good = signer.stripeHeader(NOW, body);
        String t = good.substring(0, good.indexOf(','));
        String v1 = good.substring(good.indexOf(',') + 1);
        for (String header : new String[] {"," + good, t + ",," + v1, good + ",", ",," + t + ", ," + v1 + ",,"}) {
            assertThat(accept(header).id()).as(header).isEqualTo("evt_1Edge");
            // the reference implementation agrees that the header is valid
            assertThat(Webhook.Signature.verifyHeader(json, header, SECRET, 300,
                    Clock.fixed(clock.instant(), ZoneOffset.UTC))).as(header).isTrue();
        }
    }

    @Test
    void anElementWithoutAKeyIsMalformed() {
        String good = signer.stripeHeader(NOW, body);
        assertThat(rejection(good + ",=abc").reason()).isEqualTo(MALFORMED_HEADER);
        assertThat(rejection("=" + NOW + "," + good).reason()).isEqualTo(MALFORMED_HEADER);
    }

    @Test
    void headerOfExactly8192CharactersIsReadAndOneMoreIsMalformed() throws Exception {
        String good = signer.stripeHeader(NOW, body);
        String padding = ",v0=";
        String atCap = good + padding + "a".repeat(StripeSignatureHeader.MAX_CHARS - good.length() - padding.length());
        assertThat(atCap).hasSize(8192);
        assertThat(accept(atCap).id()).isEqualTo("evt_1Edge");
        WebhookRejected tooLong = rejection(atCap + "a");
        assertThat(tooLong.reason()).isEqualTo(MALFORMED_HEADER);
        assertThat(tooLong.getMessage()).contains("8192");
    }

    @Test
    void timestampsUpToTwelveDigitsAreReadAndLongerOnesAreMalformed() {
        // 12 digits are read as a time (here far in the future), so the rejection is about the tolerance ...
        long twelveDigits = 100_000_000_000L;
        WebhookRejected future = rejection(signer.stripeHeader(twelveDigits, body));
        assertThat(future.reason()).isEqualTo(TIMESTAMP_OUTSIDE_TOLERANCE);
        assertThat(future.skewSeconds()).hasValue(NOW - twelveDigits);
        // ... 13 digits are not a plausible Unix time and are refused before any HMAC is computed
        assertThat(rejection(signer.stripeHeader(1_000_000_000_000L, body)).reason()).isEqualTo(MALFORMED_HEADER);
        assertThat(rejection(signer.stripeHeader(NOW, body).replace("t=", "t=-")).reason()).isEqualTo(MALFORMED_HEADER);
    }

    @Test
    void missingV1IsExplainedByWhatTheHeaderHasInstead() {
        String sig = "6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39";
        WebhookRejected onlyV0 = rejection("t=" + NOW + ",v0=" + sig);
        assertThat(onlyV0.reason()).isEqualTo(NO_V1_SIGNATURE);
        assertThat(onlyV0.getMessage()).contains("only v0 or other schemes");

        WebhookRejected nothing = rejection("t=" + NOW);
        assertThat(nothing.reason()).isEqualTo(NO_V1_SIGNATURE);
        assertThat(nothing.getMessage()).contains("no v1 signature").doesNotContain("only v0");
    }

    @Test
    void moreThan32V1SignaturesAreRefused() throws Exception {
        String good = signer.stripeHeader(NOW, body);
        String bogus = ",v1=" + "0".repeat(64);
        // 31 bogus signatures and the right one: still read, and the right one matches
        assertThat(accept(good + bogus.repeat(31)).id()).isEqualTo("evt_1Edge");
        assertThat(rejection(good + bogus.repeat(32)).reason()).isEqualTo(MALFORMED_HEADER);
    }
}
