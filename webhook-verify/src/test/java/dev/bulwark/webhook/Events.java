package dev.bulwark.webhook;

import java.nio.charset.StandardCharsets;

/** Realistic event bodies for tests. */
final class Events {
    private Events() {}

    /** A Connect event in the shape Stripe sends (API version 2024-06-20), padded to about 3 KiB. */
    static String stripeConnectEvent(String id, long created) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 28; i++) {
            lines.append(i == 0 ? "" : ",").append("{\"id\":\"li_").append(i)
                    .append("\",\"object\":\"line_item\",\"amount\":").append(1000 + i)
                    .append(",\"currency\":\"eur\",\"description\":\"Session ").append(i).append("\"}");
        }
        return "{\n  \"id\": \"" + id + "\",\n  \"object\": \"event\",\n  \"account\": \"acct_1OtherBusiness\",\n"
                + "  \"api_version\": \"2024-06-20\",\n  \"created\": " + created + ",\n"
                + "  \"data\": {\n    \"object\": {\n      \"id\": \"pi_3NvS0w2eZvKYlo2C1\",\n"
                + "      \"object\": \"payment_intent\",\n      \"amount\": 12000,\n      \"currency\": \"eur\",\n"
                + "      \"status\": \"succeeded\",\n      \"metadata\": {\"invoice\": \"inv_42\", \"note\": \"caf\u00e9 \\\"quoted\\\"\"},\n"
                + "      \"lines\": [" + lines + "]\n    }\n  },\n  \"livemode\": false,\n  \"pending_webhooks\": 1,\n"
                + "  \"request\": {\"id\": null, \"idempotency_key\": null},\n  \"type\": \"payment_intent.succeeded\"\n}";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static HeaderLookup headers(String... nameValue) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) m.put(nameValue[i], nameValue[i + 1]);
        return HeaderLookup.of(java.util.Collections.unmodifiableMap(m));
    }

    /** The rejection of a delivery that must not be accepted. */
    static WebhookRejected rejection(WebhookVerifier v, HeaderLookup h, byte[] body) {
        try {
            v.verify(h, body);
        } catch (WebhookRejected r) {
            return r;
        }
        throw new AssertionError("accepted");
    }
}
