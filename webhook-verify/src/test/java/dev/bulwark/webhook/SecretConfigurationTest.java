package dev.bulwark.webhook;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static dev.bulwark.webhook.WebhookRejected.Reason.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which secrets a verifier or signer accepts at start-up, what the refusal says, and that secrets are never printed. */
class SecretConfigurationTest {

    static void assertRefused(Runnable build, WebhookRejected.Reason reason) {
        assertThatThrownBy(build::run).isInstanceOfSatisfying(InvalidWebhookSecretException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void stripeSecretNeedsAtLeast16VisibleCharactersAfterThePrefix() {
        String sixteen = "whsec_" + "0123456789abcdef";
        WebhookVerifier.stripe().secret(sixteen).build();
        WebhookVerifier.stripe().secret("whsec_!~23456789abcdef").build(); // first and last visible ASCII
        assertRefused(() -> WebhookVerifier.stripe().secret(sixteen.substring(0, sixteen.length() - 1)), MALFORMED_SECRET);
    }

    @Test
    void stripeSecretWithSpacesOrControlCharactersIsMalformed() {
        for (String s : new String[] {"whsec_01234567 89abcdef", "whsec_0123456789abcdef\u007f", "whsec_0123456789abcdef\n",
                "whsec_0123456789abcd\u00e9f"}) {
            assertThatThrownBy(() -> WebhookVerifier.stripe().secret(s))
                    .isInstanceOfSatisfying(InvalidWebhookSecretException.class, e -> {
                        assertThat(e.reason()).isEqualTo(MALFORMED_SECRET);
                        assertThat(e.getMessage()).contains("copy the whole whsec_ value").doesNotContain("0123456789");
                    });
        }
    }

    @Test
    void apiKeyGivenAsAWebhookSecretIsNamedInTheError() {
        String[][] cases = {
                {"sk_live_51Habcdefghijklmnopqrstuv", "secret API key (sk_...)"},
                {"rk_test_51Habcdefghijklmnopqrst", "restricted API key (rk_...)"},
                {"pk_live_51Habcdefghijklmnopqrstuv", "publishable API key (pk_...)"},
                {"whpk_" + Base64.getEncoder().encodeToString(new byte[32]), "public key (whpk_...)"},
                {"whsk_" + Base64.getEncoder().encodeToString(new byte[32]), "signing (private) key (whsk_...)"}};
        for (String[] c : cases) {
            for (Runnable configure : new Runnable[] {() -> WebhookVerifier.stripe().secret(c[0]),
                    () -> WebhookVerifier.standardWebhooks().secret(c[0])}) {
                assertThatThrownBy(configure::run).isInstanceOfSatisfying(InvalidWebhookSecretException.class, e -> {
                    assertThat(e.reason()).isEqualTo(NOT_A_WEBHOOK_SECRET);
                    assertThat(e.getMessage()).contains(c[1]).doesNotContain(c[0].substring(5));
                });
            }
        }
    }

    @Test
    void standardSecretMayDecodeTo24Through64Bytes() {
        Base64.Encoder b64 = Base64.getEncoder();
        WebhookVerifier.standardWebhooks().secret("whsec_" + b64.encodeToString(new byte[64])).build();
        WebhookVerifier.standardWebhooks().secret(b64.encodeToString(new byte[24])).build();
        assertThatThrownBy(() -> WebhookVerifier.standardWebhooks().secret("whsec_" + b64.encodeToString(new byte[65])))
                .isInstanceOfSatisfying(InvalidWebhookSecretException.class, e -> {
                    assertThat(e.reason()).isEqualTo(MALFORMED_SECRET);
                    assertThat(e.getMessage()).contains("decodes to 65");
                });
    }

    @Test
    void aSignerSignsOnlyForItsOwnScheme() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        WebhookSigner stripe = WebhookSigner.stripe(StripeWebhookTest.SECRET);
        WebhookSigner standard = WebhookSigner.standardWebhooks(StandardWebhooksTest.SPEC_SECRET);
        assertThatThrownBy(() -> stripe.standardSignature("msg_1", 1L, body)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> standard.stripeHeader(1L, body)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void publicKeysExistOnlyInStandardWebhooksAndMustBe32Bytes() {
        String key = "whpk_" + Base64.getEncoder().encodeToString(new byte[32]);
        assertThatThrownBy(() -> WebhookVerifier.stripe().publicKey(key)).isInstanceOf(IllegalStateException.class);
        assertRefused(() -> WebhookVerifier.standardWebhooks().publicKey(key.substring(5)), MALFORMED_SECRET);
        assertRefused(() -> WebhookVerifier.standardWebhooks()
                .publicKey("whpk_" + Base64.getEncoder().encodeToString(new byte[31])), MALFORMED_SECRET);
    }

    @Test
    void toStringOfVerifierSignerAndKeyPrintsARedactionNeverTheSecret() {
        String stripeSecret = StripeWebhookTest.SECRET;
        String stdSecret = StandardWebhooksTest.SPEC_SECRET;
        for (Object holder : new Object[] {
                WebhookVerifier.stripe().secret(stripeSecret).build(),
                WebhookVerifier.standardWebhooks().secret(stdSecret).build(),
                WebhookSigner.stripe(stripeSecret),
                WebhookSigner.standardWebhooks(stdSecret),
                Secrets.stripe(stripeSecret),
                Secrets.standard(stdSecret)}) {
            assertThat(holder.toString()).contains("<redacted>").doesNotContain(stripeSecret.substring(6))
                    .doesNotContain(stdSecret.substring(6));
        }
    }
}
