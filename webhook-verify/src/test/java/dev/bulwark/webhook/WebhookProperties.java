package dev.bulwark.webhook;

import com.google.gson.JsonObject;
import com.stripe.net.Webhook;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;

import static dev.bulwark.webhook.WebhookRejected.Reason.*;
import static org.assertj.core.api.Assertions.assertThat;

class WebhookProperties {
    static final String STRIPE_SECRET = "whsec_5f3c2a7d9e1b4c8a6f0d2e4b7a9c1e3f";
    static final String STD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final long NOW = 1_763_900_000L;
    static final Set<WebhookRejected.Reason> DELIVERY_REASONS = EnumSet.of(MISSING_HEADER, MALFORMED_HEADER,
            NO_V1_SIGNATURE, TIMESTAMP_OUTSIDE_TOLERANCE, NO_SIGNATURE_MATCHED, EMPTY_BODY, MALFORMED_PAYLOAD, DUPLICATE,
            IN_PROGRESS);

    final FixedClock clock = new FixedClock(NOW);
    final WebhookVerifier stripe = WebhookVerifier.stripe().secret(STRIPE_SECRET).clock(clock).withoutReplayGuard().build();
    final WebhookVerifier standard = WebhookVerifier.standardWebhooks().secret(STD_SECRET).clock(clock)
            .withoutReplayGuard().build();
    final WebhookSigner stripeSigner = WebhookSigner.stripe(STRIPE_SECRET);
    final WebhookSigner stdSigner = WebhookSigner.standardWebhooks(STD_SECRET);

    WebhookRejected.Reason stripeReason(String header, byte[] body) {
        try {
            stripe.verify(Events.headers("Stripe-Signature", header), body);
            return null;
        } catch (WebhookRejected r) {
            return r.reason();
        }
    }

    WebhookRejected.Reason standardReason(String id, String ts, String sig, byte[] body) {
        try {
            standard.verify(Events.headers("webhook-id", id, "webhook-timestamp", ts, "webhook-signature", sig), body);
            return null;
        } catch (WebhookRejected r) {
            return r.reason();
        }
    }

    static byte[] eventWith(String text) {
        JsonObject o = new JsonObject();
        o.addProperty("id", "evt_prop");
        o.addProperty("object", "event");
        o.addProperty("type", "invoice.paid");
        JsonObject data = new JsonObject();
        data.addProperty("text", text);
        o.add("data", data);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Property
    void headersStripeJavaComputesAreAcceptedByUs(@ForAll @StringLength(max = 300) String text,
                                                  @ForAll @LongRange(min = -300, max = 300) long age) throws Exception {
        byte[] body = eventWith(text);
        String header = Webhook.Signature.generateSignatureHeader(new String(body, StandardCharsets.UTF_8),
                STRIPE_SECRET, NOW - age);
        assertThat(stripe.verify(Events.headers("Stripe-Signature", header), body).id()).isEqualTo("evt_prop");
    }

    @Property
    void headersWeComputeAreAcceptedByStripeJava(@ForAll @StringLength(max = 300) String text,
                                                 @ForAll @LongRange(min = 0, max = 300) long age) throws Exception {
        String payload = new String(eventWith(text), StandardCharsets.UTF_8);
        String header = stripeSigner.stripeHeader(NOW - age, payload.getBytes(StandardCharsets.UTF_8));
        assertThat(Webhook.Signature.verifyHeader(payload, header, STRIPE_SECRET, 300,
                Clock.fixed(clock.instant(), ZoneOffset.UTC))).isTrue();
    }

    @Property
    void anyChangeOfTheBodyIsRejected(@ForAll @Size(min = 1, max = 4096) byte[] body,
                                      @ForAll @IntRange(min = 0, max = 4095) int position,
                                      @ForAll @IntRange(min = 1, max = 255) int flip) {
        byte[] changed = body.clone();
        changed[position % body.length] ^= (byte) flip;
        assertThat(stripeReason(stripeSigner.stripeHeader(NOW, body), changed)).isEqualTo(NO_SIGNATURE_MATCHED);
        assertThat(standardReason("msg_1", Long.toString(NOW), stdSigner.standardSignature("msg_1", NOW, body), changed))
                .isEqualTo(NO_SIGNATURE_MATCHED);
    }

    @Property
    void truncatedOrExtendedBodyIsRejected(@ForAll @Size(min = 2, max = 2048) byte[] body, @ForAll boolean extend) {
        byte[] changed = java.util.Arrays.copyOf(body, extend ? body.length + 1 : body.length - 1);
        assertThat(stripeReason(stripeSigner.stripeHeader(NOW, body), changed)).isEqualTo(NO_SIGNATURE_MATCHED);
        assertThat(standardReason("msg_1", Long.toString(NOW), stdSigner.standardSignature("msg_1", NOW, body), changed))
                .isEqualTo(NO_SIGNATURE_MATCHED);
    }

    @Property
    void anyChangeOfTheTimestampIsRejected(@ForAll @LongRange(min = -300, max = 300) long signedAge,
                                           @ForAll @LongRange(min = -300, max = 300) long presentedAge) {
        Assume.that(signedAge != presentedAge);
        byte[] body = eventWith("x");
        String sig = stripeSigner.stripeHeader(NOW - signedAge, body);
        String forged = "t=" + (NOW - presentedAge) + sig.substring(sig.indexOf(','));
        assertThat(stripeReason(forged, body)).isEqualTo(NO_SIGNATURE_MATCHED);
        String std = stdSigner.standardSignature("msg_1", NOW - signedAge, body);
        assertThat(standardReason("msg_1", Long.toString(NOW - presentedAge), std, body)).isEqualTo(NO_SIGNATURE_MATCHED);
    }

    @Provide
    Arbitrary<Character> anyChar() {
        return Arbitraries.oneOf(Arbitraries.chars().with("0123456789abcdefABCDEF+/=,. ".toCharArray()), Arbitraries.chars());
    }

    @Property
    void anyChangeOfASignatureCharacterIsRejected(@ForAll @IntRange(min = 0, max = 200) int position,
                                                  @ForAll("anyChar") char replacement) {
        byte[] body = eventWith("payload");
        String header = stripeSigner.stripeHeader(NOW, body);
        int start = header.indexOf("v1=") + 3;
        int i = start + position % (header.length() - start);
        Assume.that(header.charAt(i) != replacement);
        String changed = header.substring(0, i) + replacement + header.substring(i + 1);
        assertThat(stripeReason(changed, body)).isNotNull();

        String sig = stdSigner.standardSignature("msg_1", NOW, body);
        int j = 3 + position % (sig.length() - 3);
        Assume.that(sig.charAt(j) != replacement);
        String changedStd = sig.substring(0, j) + replacement + sig.substring(j + 1);
        assertThat(standardReason("msg_1", Long.toString(NOW), changedStd, body)).isNotNull();
    }

    @Property(tries = 10000)
    void stripeHeaderParserNeverThrowsOnGarbage(@ForAll @StringLength(max = 300) String header) {
        assertThat(stripeReason(header, Events.utf8("{}"))).isIn(DELIVERY_REASONS);
    }

    @Provide
    Arbitrary<String> stripeShaped() {
        Arbitrary<String> element = Arbitraries.oneOf(
                Arbitraries.strings().withChars("tv01=,-".toCharArray()).ofMaxLength(8),
                Arbitraries.of("t=", "v1=", "v0=", "t=" + NOW, "t=-1", "t=99999999999999999999", ",", "=", " ",
                        "v1=" + "a".repeat(64), "t=" + NOW + ",v1=", "\u0000", "t==", "v1==x"),
                Arbitraries.strings().ofMaxLength(10));
        return element.list().ofMaxSize(12).map(l -> String.join("", l));
    }

    @Property(tries = 10000)
    void stripeShapedGarbageIsRejectedWithATypedReason(@ForAll("stripeShaped") String header) {
        assertThat(stripeReason(header, Events.utf8("{\"id\":\"evt_1\",\"type\":\"x\"}"))).isIn(DELIVERY_REASONS);
    }

    @Property(tries = 10000)
    void standardHeaderParserNeverThrowsOnGarbage(@ForAll @StringLength(max = 80) String id,
                                                  @ForAll @StringLength(max = 20) String ts,
                                                  @ForAll("standardSignatureShaped") String sig) {
        assertThat(standardReason(id, ts, sig, Events.utf8("{}"))).isIn(DELIVERY_REASONS);
    }

    @Provide
    Arbitrary<String> standardSignatureShaped() {
        Arbitrary<String> element = Arbitraries.oneOf(
                Arbitraries.of("v1,", "v1a,", "v2,", " ", ",", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                        "v1a,AAAA", "v1a," + "A".repeat(86) + "==", "\t"),
                Arbitraries.strings().ofMaxLength(12));
        return element.list().ofMaxSize(8).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> token = Arbitraries.oneOf(
                Arbitraries.of("{", "}", "[", "]", ":", ",", "\"id\"", "\"type\"", "\"created\"", "\"livemode\"",
                        "\"account\"", "\"evt_1\"", "1", "-0", "1e999", "1.5", "true", "null", "\"", "\\", "\"\\u00\"",
                        "\"2024-01-01T00:00:00Z\"", "\"not a date\"", " "),
                Arbitraries.strings().ofMaxLength(4));
        return Combinators.combine(Arbitraries.of("{\"id\":\"evt_1\",\"type\":\"t\",", "{", "["),
                token.list().ofMaxSize(30)).as((p, l) -> p + String.join("", l));
    }

    @Property(tries = 10000)
    void correctlySignedHostileBodiesNeverThrowUnchecked(@ForAll("jsonish") String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        WebhookRejected.Reason r = stripeReason(stripeSigner.stripeHeader(NOW, body), body);
        assertThat(r == null || r == MALFORMED_PAYLOAD).as("reason %s for %s", r, text).isTrue();
        WebhookRejected.Reason s = standardReason("msg_1", Long.toString(NOW), stdSigner.standardSignature("msg_1", NOW, body), body);
        assertThat(s == null || s == MALFORMED_PAYLOAD).isTrue();
    }
}
