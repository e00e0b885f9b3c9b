package dev.bulwark.webhook;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static dev.bulwark.webhook.WebhookRejected.Reason.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StripeWebhookTest {
    static final String SECRET = "whsec_5f3c2a7d9e1b4c8a6f0d2e4b7a9c1e3f";
    static final String OLD_SECRET = "whsec_0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    static final long NOW = 1_763_900_000L;

    final FixedClock clock = new FixedClock(NOW);
    final WebhookVerifier verifier = WebhookVerifier.stripe().secret(SECRET).clock(clock).build();
    final String json = Events.stripeConnectEvent("evt_1Abc", NOW - 2);
    final byte[] body = Events.utf8(json);

    WebhookRejected rejection(WebhookVerifier v, String header, byte[] b) {
        try {
            v.verify(Events.headers("Stripe-Signature", header), b);
        } catch (WebhookRejected r) {
            return r;
        }
        throw new AssertionError("accepted");
    }

    @Test
    void headerComputedByStripeJavaIsAcceptedByUs() throws Exception {
        String header = Webhook.Signature.generateSignatureHeader(json, SECRET, NOW - 10);
        VerifiedEvent e = verifier.verify(Events.headers("stripe-signature", header), body);
        assertThat(e.id()).isEqualTo("evt_1Abc");
        assertThat(e.type()).isEqualTo("payment_intent.succeeded");
        assertThat(e.account()).contains("acct_1OtherBusiness");
        assertThat(e.livemode()).contains(false);
        assertThat(e.created()).isEqualTo(Instant.ofEpochSecond(NOW - 2));
        assertThat(e.signedAt()).isEqualTo(Instant.ofEpochSecond(NOW - 10));
        assertThat(e.json()).isEqualTo(json);
    }

    @Test
    void headerWeComputeIsAcceptedByStripeJavaConstructEvent() throws Exception {
        String header = WebhookSigner.stripe(SECRET).stripeHeader(NOW - 10, body);
        Event event = Webhook.constructEvent(json, header, SECRET, 300, Clock.fixed(clock.instant(), ZoneOffset.UTC));
        assertThat(event.getId()).isEqualTo("evt_1Abc");
        assertThat(header).isEqualTo(Webhook.Signature.generateSignatureHeader(json, SECRET, NOW - 10));
        // and stripe-java refuses it under another secret, so the acceptance above is not vacuous
        assertThatThrownBy(() -> Webhook.constructEvent(json, header, OLD_SECRET, 300,
                Clock.fixed(clock.instant(), ZoneOffset.UTC))).isInstanceOf(SignatureVerificationException.class);
    }

    @Test
    void verifiedEventConvertsToStripeJavaEvent() throws Exception {
        VerifiedEvent e = verifier.verify(Events.headers("Stripe-Signature",
                WebhookSigner.stripe(SECRET).stripeHeader(NOW, body)), body);
        Event event = StripeEvents.toStripeEvent(e);
        assertThat(event.getId()).isEqualTo(e.id());
        assertThat(event.getType()).isEqualTo(e.type());
        assertThat(event.getAccount()).isEqualTo("acct_1OtherBusiness");
    }

    @Test
    void secretRotationAcceptsEitherSecretAndHeadersWithSeveralV1() throws Exception {
        WebhookVerifier both = WebhookVerifier.stripe().secret(OLD_SECRET).secret(SECRET).clock(clock)
                .withoutReplayGuard().build();
        both.verify(Events.headers("Stripe-Signature", WebhookSigner.stripe(OLD_SECRET).stripeHeader(NOW, body)), body);
        both.verify(Events.headers("Stripe-Signature", WebhookSigner.stripe(SECRET).stripeHeader(NOW, body)), body);

        // During a roll Stripe sends one v1 per secret; a verifier holding only the new one accepts.
        String oldSig = WebhookSigner.stripe(OLD_SECRET).stripeHeader(NOW, body).split(",")[1];
        String newHeader = WebhookSigner.stripe(SECRET).stripeHeader(NOW, body);
        String twoV1 = newHeader.split(",")[0] + "," + oldSig + "," + newHeader.split(",")[1] + ",v0=6ffbb59b2300aae63f2";
        assertThat(verifier.verify(Events.headers("Stripe-Signature", twoV1), body).id()).isEqualTo("evt_1Abc");
    }

    @Test
    void eachRejectionCarriesItsReason() {
        String good = WebhookSigner.stripe(SECRET).stripeHeader(NOW, body);
        String sig = good.substring(good.indexOf("v1=") + 3);
        assertThat(rejection(verifier, null, body).reason()).isEqualTo(MISSING_HEADER);
        assertThat(rejection(verifier, "  ", body).reason()).isEqualTo(MISSING_HEADER);
        assertThat(rejection(verifier, "garbage", body).reason()).isEqualTo(MALFORMED_HEADER);
        assertThat(rejection(verifier, "v1=" + sig, body).reason()).isEqualTo(MALFORMED_HEADER);
        assertThat(rejection(verifier, "t=12x,v1=" + sig, body).reason()).isEqualTo(MALFORMED_HEADER);
        assertThat(rejection(verifier, "t=1,t=2,v1=" + sig, body).reason()).isEqualTo(MALFORMED_HEADER);
        assertThat(rejection(verifier, "t=" + NOW + ",v0=" + sig, body).reason()).isEqualTo(NO_V1_SIGNATURE);
        assertThat(rejection(verifier, good, new byte[0]).reason()).isEqualTo(EMPTY_BODY);
        assertThat(rejection(verifier, good, null).reason()).isEqualTo(EMPTY_BODY);
        assertThat(rejection(verifier, good, Events.utf8(json.replace("12000", "1200"))).reason()).isEqualTo(NO_SIGNATURE_MATCHED);
        assertThat(rejection(verifier, good.toUpperCase().replace("T=", "t=").replace("V1=", "v1="), body).reason())
                .isEqualTo(NO_SIGNATURE_MATCHED);
        byte[] notAnEvent = Events.utf8("[1,2,3]");
        assertThat(rejection(verifier, WebhookSigner.stripe(SECRET).stripeHeader(NOW, notAnEvent), notAnEvent).reason())
                .isEqualTo(MALFORMED_PAYLOAD);
        byte[] twoIds = Events.utf8("{\"id\":\"evt_1\",\"type\":\"x\",\"id\":\"evt_2\"}");
        assertThat(rejection(verifier, WebhookSigner.stripe(SECRET).stripeHeader(NOW, twoIds), twoIds).reason())
                .isEqualTo(MALFORMED_PAYLOAD);
    }

    @Test
    void noSignatureMatchedExplainsWhatToCheckWithoutRevealingSecretsOrSignatures() {
        String good = WebhookSigner.stripe(SECRET).stripeHeader(NOW, body);
        byte[] reencoded = Events.utf8(json.replace("\n", "").replace("  ", ""));
        WebhookRejected r = rejection(verifier, good, reencoded);
        assertThat(r.reason()).isEqualTo(NO_SIGNATURE_MATCHED);
        assertThat(r.getMessage()).contains("raw request body").contains("before any JSON parsing")
                .doesNotContain(SECRET).doesNotContain(SECRET.substring(6, 20))
                .doesNotContain(WebhookSigner.stripe(SECRET).stripeHeader(NOW, reencoded).substring(15, 40))
                .doesNotContain(good.substring(15, 40));
        assertThat(r.getStackTrace()).isEmpty();
        assertThat(verifier.toString()).doesNotContain(SECRET);
    }

    @Test
    void timestampsOutsideToleranceAreRejectedBothWaysWithTheSkew() throws Exception {
        WebhookRejected old = rejection(verifier, WebhookSigner.stripe(SECRET).stripeHeader(NOW - 301, body), body);
        assertThat(old.reason()).isEqualTo(TIMESTAMP_OUTSIDE_TOLERANCE);
        assertThat(old.skewSeconds()).hasValue(301);
        assertThat(old.getMessage()).contains("301 s ago");

        String future = WebhookSigner.stripe(SECRET).stripeHeader(NOW + 400, body);
        WebhookRejected ahead = rejection(verifier, future, body);
        assertThat(ahead.reason()).isEqualTo(TIMESTAMP_OUTSIDE_TOLERANCE);
        assertThat(ahead.skewSeconds()).hasValue(-400);
        // stripe-java itself accepts a timestamp from the future; we do not.
        assertThat(Webhook.Signature.verifyHeader(json, future, SECRET, 300,
                Clock.fixed(clock.instant(), ZoneOffset.UTC))).isTrue();

        WebhookVerifier lenient = WebhookVerifier.stripe().secret(SECRET).clock(clock)
                .tolerance(Duration.ofMinutes(10)).build();
        assertThat(lenient.verify(Events.headers("Stripe-Signature", future), body).id()).isEqualTo("evt_1Abc");
        verifier.verify(Events.headers("Stripe-Signature", WebhookSigner.stripe(SECRET).stripeHeader(NOW - 300, body)), body);
    }

    @Test
    void replayedDeliveryIsInProgressUntilForgottenAndADuplicateOnceCompleted() throws Exception {
        HeaderLookup h = Events.headers("Stripe-Signature", WebhookSigner.stripe(SECRET).stripeHeader(NOW, body));
        VerifiedEvent first = verifier.claim(h, body);
        WebhookRejected meanwhile = rejection(verifier, h.get("Stripe-Signature"), body);
        assertThat(meanwhile.reason()).isEqualTo(IN_PROGRESS);
        assertThat(meanwhile.suggestedHttpStatus()).isEqualTo(409);
        verifier.forget(first);
        VerifiedEvent second = verifier.claim(h, body);
        assertThat(second.id()).isEqualTo("evt_1Abc");
        verifier.completed(second);
        WebhookRejected again = rejection(verifier, h.get("Stripe-Signature"), body);
        assertThat(again.reason()).isEqualTo(DUPLICATE);
        assertThat(again.suggestedHttpStatus()).isEqualTo(200);
        // Stripe's retry of the same event carries a new timestamp and signature: still a duplicate.
        assertThat(rejection(verifier, WebhookSigner.stripe(SECRET).stripeHeader(NOW + 5, body), body).reason())
                .isEqualTo(DUPLICATE);
    }

    @Test
    void apiKeysAndMalformedSecretsAreRefusedWithoutEchoingThem() {
        for (String key : new String[] {"sk_live_51Habcdefghijklmnopqrstuv", "rk_test_51Habcdefghijklmnopqrst",
                "pk_live_51Habcdefghijklmnopqrstuv", "nonsense_0123456789abcdef"}) {
            assertThatThrownBy(() -> WebhookVerifier.stripe().secret(key))
                    .isInstanceOfSatisfying(InvalidWebhookSecretException.class, e -> {
                        assertThat(e.reason()).isEqualTo(NOT_A_WEBHOOK_SECRET);
                        assertThat(e.getMessage()).doesNotContain(key.substring(3)).contains("whsec_");
                    });
        }
        assertThatThrownBy(() -> WebhookVerifier.stripe().secret("whsec_abc"))
                .isInstanceOfSatisfying(InvalidWebhookSecretException.class,
                        e -> assertThat(e.reason()).isEqualTo(MALFORMED_SECRET));
        assertThatThrownBy(() -> WebhookVerifier.stripe().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> WebhookVerifier.stripe().tolerance(Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
