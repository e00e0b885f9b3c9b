package dev.bulwark.webhook;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;

import static dev.bulwark.webhook.WebhookRejected.Reason.*;
import static dev.bulwark.webhook.Events.rejection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StandardWebhooksTest {
    // The example published with the Standard Webhooks specification and its reference libraries.
    static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long SPEC_TIMESTAMP = 1614265330L;
    static final String SPEC_BODY = "{\"test\": 2432232314}";
    static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    final FixedClock clock = new FixedClock(SPEC_TIMESTAMP);

    WebhookVerifier verifier(String secret) {
        return WebhookVerifier.standardWebhooks().secret(secret).clock(clock).build();
    }

    static HeaderLookup headers(String id, long ts, String sig) {
        return Events.headers("webhook-id", id, "webhook-timestamp", Long.toString(ts), "webhook-signature", sig);
    }

    @Test
    void specificationExampleVerifies() throws Exception {
        VerifiedEvent e = verifier(SPEC_SECRET).verify(headers(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE),
                Events.utf8(SPEC_BODY));
        assertThat(e.scheme()).isEqualTo(WebhookScheme.STANDARD_WEBHOOKS);
        assertThat(e.id()).isEqualTo(SPEC_ID);
        assertThat(e.json()).isEqualTo(SPEC_BODY);
        assertThat(e.type()).isEmpty();
        // the secret without its whsec_ prefix is the same key, as in the reference libraries
        verifier(SPEC_SECRET.substring(6)).verify(headers(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE), Events.utf8(SPEC_BODY));
    }

    @Test
    void ourSignerReproducesTheSpecificationSignature() {
        assertThat(WebhookSigner.standardWebhooks(SPEC_SECRET).standardSignature(SPEC_ID, SPEC_TIMESTAMP,
                Events.utf8(SPEC_BODY))).isEqualTo(SPEC_SIGNATURE);
    }

    @Test
    void specificationExampleFailsWhenAnythingSignedChanges() {
        WebhookVerifier v = verifier(SPEC_SECRET);
        assertThat(rejection(v, headers(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE), Events.utf8("{\"test\": 2432232315}"))
                .reason()).isEqualTo(NO_SIGNATURE_MATCHED);
        assertThat(rejection(v, headers(SPEC_ID + "x", SPEC_TIMESTAMP, SPEC_SIGNATURE), Events.utf8(SPEC_BODY))
                .reason()).isEqualTo(NO_SIGNATURE_MATCHED);
        assertThat(rejection(v, headers(SPEC_ID, SPEC_TIMESTAMP + 1, SPEC_SIGNATURE), Events.utf8(SPEC_BODY))
                .reason()).isEqualTo(NO_SIGNATURE_MATCHED);
    }

    @Test
    void spaceSeparatedSignaturesSupportSecretRotation() throws Exception {
        String bogus = "v1,bm9wZQ== v2,abc v1a,xyz";
        verifier(SPEC_SECRET).verify(headers(SPEC_ID, SPEC_TIMESTAMP, bogus + " " + SPEC_SIGNATURE), Events.utf8(SPEC_BODY));
        String other = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
        WebhookVerifier both = WebhookVerifier.standardWebhooks().secret(other).secret(SPEC_SECRET).clock(clock).build();
        both.verify(headers(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE), Events.utf8(SPEC_BODY));
    }

    @Test
    void toleranceAppliesInBothDirections() {
        WebhookVerifier v = verifier(SPEC_SECRET);
        clock.set(SPEC_TIMESTAMP + 301);
        WebhookRejected old = rejection(v, headers(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE), Events.utf8(SPEC_BODY));
        assertThat(old.reason()).isEqualTo(TIMESTAMP_OUTSIDE_TOLERANCE);
        assertThat(old.skewSeconds()).hasValue(301);
        clock.set(SPEC_TIMESTAMP - 301);
        WebhookRejected ahead = rejection(v, headers(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE), Events.utf8(SPEC_BODY));
        assertThat(ahead.reason()).isEqualTo(TIMESTAMP_OUTSIDE_TOLERANCE);
        assertThat(ahead.skewSeconds()).hasValue(-301);
    }

    @Test
    void missingHeadersAreNamed() {
        WebhookRejected r = rejection(verifier(SPEC_SECRET), Events.headers("webhook-id", SPEC_ID), Events.utf8(SPEC_BODY));
        assertThat(r.reason()).isEqualTo(MISSING_HEADER);
        assertThat(r.getMessage()).contains("webhook-timestamp").contains("webhook-signature").doesNotContain("webhook-id ");
        assertThat(rejection(verifier(SPEC_SECRET), headers(SPEC_ID, SPEC_TIMESTAMP, "v2,abc"), Events.utf8(SPEC_BODY))
                .reason()).isEqualTo(NO_V1_SIGNATURE);
        assertThat(rejection(verifier(SPEC_SECRET), Events.headers("webhook-id", SPEC_ID, "webhook-timestamp", "soon",
                "webhook-signature", SPEC_SIGNATURE), Events.utf8(SPEC_BODY)).reason()).isEqualTo(MALFORMED_HEADER);
    }

    @Test
    void secretsShorterThan24BytesOrNotBase64AreRefused() {
        String short23 = "whsec_" + Base64.getEncoder().encodeToString(new byte[23]);
        assertThatThrownBy(() -> WebhookVerifier.standardWebhooks().secret(short23))
                .isInstanceOfSatisfying(InvalidWebhookSecretException.class,
                        e -> assertThat(e.reason()).isEqualTo(MALFORMED_SECRET));
        assertThatThrownBy(() -> WebhookVerifier.standardWebhooks().secret("whsec_***not base64***"))
                .isInstanceOfSatisfying(InvalidWebhookSecretException.class,
                        e -> assertThat(e.getMessage()).doesNotContain("not base64***"));
        assertThatThrownBy(() -> WebhookVerifier.standardWebhooks().secret("sk_live_abcdefghijklmnopqrstuvwxyz"))
                .isInstanceOfSatisfying(InvalidWebhookSecretException.class,
                        e -> assertThat(e.reason()).isEqualTo(NOT_A_WEBHOOK_SECRET));
        WebhookVerifier.standardWebhooks().secret("whsec_" + Base64.getEncoder().encodeToString(new byte[24])).build();
    }

    @Test
    void v1aEd25519SignaturesVerifyWithThePublicKey() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = pair.getPublic().getEncoded();
        String whpk = "whpk_" + Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        byte[] body = Events.utf8("{\"type\":\"invoice.paid\",\"timestamp\":\"2021-02-25T15:02:10Z\",\"data\":{}}");
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(pair.getPrivate());
        s.update((SPEC_ID + "." + SPEC_TIMESTAMP + ".").getBytes(StandardCharsets.US_ASCII));
        s.update(body);
        String sig = "v1a," + Base64.getEncoder().encodeToString(s.sign());

        WebhookVerifier v = WebhookVerifier.standardWebhooks().publicKey(whpk).clock(clock).build();
        VerifiedEvent e = v.verify(headers(SPEC_ID, SPEC_TIMESTAMP, sig), body);
        assertThat(e.type()).isEqualTo("invoice.paid");

        byte[] tampered = body.clone();
        tampered[10] ^= 1;
        assertThat(rejection(v, headers("msg_other", SPEC_TIMESTAMP, sig), body).reason()).isEqualTo(NO_SIGNATURE_MATCHED);
        assertThat(rejection(v, headers(SPEC_ID, SPEC_TIMESTAMP, sig), tampered).reason()).isEqualTo(NO_SIGNATURE_MATCHED);
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] otherSpki = other.getPublic().getEncoded();
        WebhookVerifier wrongKey = WebhookVerifier.standardWebhooks().clock(clock).publicKey("whpk_"
                + Base64.getEncoder().encodeToString(Arrays.copyOfRange(otherSpki, otherSpki.length - 32, otherSpki.length))).build();
        assertThat(rejection(wrongKey, headers(SPEC_ID, SPEC_TIMESTAMP, sig), body).reason()).isEqualTo(NO_SIGNATURE_MATCHED);
    }

    @Test
    void replayOfTheSameWebhookIdIsADuplicate() throws Exception {
        WebhookVerifier v = verifier(SPEC_SECRET);
        VerifiedEvent first = v.claim(headers(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE), Events.utf8(SPEC_BODY));
        assertThat(rejection(v, headers(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE), Events.utf8(SPEC_BODY)).reason())
                .isEqualTo(IN_PROGRESS);
        v.completed(first);
        assertThat(rejection(v, headers(SPEC_ID, SPEC_TIMESTAMP, SPEC_SIGNATURE), Events.utf8(SPEC_BODY)).reason())
                .isEqualTo(DUPLICATE);
    }
}
