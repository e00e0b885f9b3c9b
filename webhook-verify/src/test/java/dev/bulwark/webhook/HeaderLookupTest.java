package dev.bulwark.webhook;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** HeaderLookup.of over a framework's header map: case-insensitive, first value of a list, null when absent. */
class HeaderLookupTest {

    @Test
    void namesAreMatchedCaseInsensitivelyAndAbsentHeadersAreNull() {
        HeaderLookup h = HeaderLookup.of(Map.of("STRIPE-SIGNATURE", "t=1,v1=ab", "Webhook-Id", "msg_1"));
        assertThat(h.get("Stripe-Signature")).isEqualTo("t=1,v1=ab");
        assertThat(h.get("webhook-id")).isEqualTo("msg_1");
        assertThat(h.get("webhook-timestamp")).isNull();
    }

    @Test
    void multiValuedHeadersYieldTheirFirstValueAndAnEmptyListCountsAsAbsent() {
        Map<String, Object> m = new HashMap<>();
        m.put("webhook-signature", List.of("v1,first", "v1,second"));
        m.put("webhook-id", List.of());
        m.put(null, "ignored");
        m.put("webhook-timestamp", 1614265330L);
        HeaderLookup h = HeaderLookup.of(m);
        assertThat(h.get("Webhook-Signature")).isEqualTo("v1,first");
        assertThat(h.get("webhook-id")).isNull();
        assertThat(h.get("webhook-timestamp")).isEqualTo("1614265330");
        assertThat(h.get("null")).isNull();
    }

    @Test
    void anAbsentHeaderIsReportedAsMissingNotAsMalformed() {
        WebhookVerifier v = WebhookVerifier.standardWebhooks().secret(StandardWebhooksTest.SPEC_SECRET).build();
        Map<String, Object> m = new HashMap<>();
        m.put("webhook-id", List.of());
        m.put("webhook-timestamp", "1614265330");
        m.put("webhook-signature", StandardWebhooksTest.SPEC_SIGNATURE);
        try {
            v.verify(HeaderLookup.of(m), Events.utf8(StandardWebhooksTest.SPEC_BODY));
            throw new AssertionError("accepted");
        } catch (WebhookRejected r) {
            assertThat(r.reason()).isEqualTo(WebhookRejected.Reason.MISSING_HEADER);
            assertThat(r.getMessage()).contains("webhook-id");
        }
    }
}
