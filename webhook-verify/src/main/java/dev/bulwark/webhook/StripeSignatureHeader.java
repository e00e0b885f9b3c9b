package dev.bulwark.webhook;

import java.util.ArrayList;
import java.util.List;

/**
 * The parsed {@code Stripe-Signature} header: {@code t=<unix seconds>} and one or more {@code v1=<hex>} (several
 * while the endpoint secret is being rolled); {@code v0} and unknown schemes are ignored. Never throws anything
 * but {@link WebhookRejected}.
 */
record StripeSignatureHeader(long timestamp, String timestampText, List<String> v1, int otherSchemes) {
    static final String NAME = "Stripe-Signature";
    static final int MAX_CHARS = 8192;
    static final int MAX_SIGNATURES = 32;

    static StripeSignatureHeader parse(String header) throws WebhookRejected {
        if (header == null || header.isBlank()) {
            throw new WebhookRejected(WebhookRejected.Reason.MISSING_HEADER,
                    "no Stripe-Signature header: check that the request comes from Stripe and that no proxy or "
                            + "framework drops the header");
        }
        if (header.length() > MAX_CHARS) {
            throw malformed("the Stripe-Signature header is longer than " + MAX_CHARS + " characters");
        }
        String t = null;
        List<String> v1 = new ArrayList<>(2);
        int others = 0;
        int start = 0;
        while (start <= header.length()) {
            int comma = header.indexOf(',', start);
            int end = comma < 0 ? header.length() : comma;
            String item = header.substring(start, end).strip();
            start = end + 1;
            if (item.isEmpty()) {
                if (comma < 0) break;
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw malformed("the Stripe-Signature header should look like 't=1700000000,v1=5257a8...'; "
                        + "an element has no 'key=value' form");
            }
            String key = item.substring(0, eq);
            String value = item.substring(eq + 1);
            switch (key) {
                case "t" -> {
                    if (t != null) throw malformed("the Stripe-Signature header has more than one t= timestamp");
                    t = value;
                }
                case "v1" -> {
                    if (v1.size() == MAX_SIGNATURES) {
                        throw malformed("the Stripe-Signature header has more than " + MAX_SIGNATURES + " v1 signatures");
                    }
                    v1.add(value);
                }
                default -> others++;
            }
            if (comma < 0) break;
        }
        if (t == null) {
            throw malformed("the Stripe-Signature header has no t= timestamp");
        }
        if (t.isEmpty() || t.length() > 12 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw malformed("the t= value of the Stripe-Signature header is not a Unix time in seconds");
        }
        if (v1.isEmpty()) {
            throw new WebhookRejected(WebhookRejected.Reason.NO_V1_SIGNATURE,
                    "the Stripe-Signature header has no v1 signature" + (others > 0 ? " (only v0 or other schemes, "
                            + "which are not verified)" : "") + "; Stripe signs every live and test event with v1");
        }
        return new StripeSignatureHeader(Long.parseLong(t), t, List.copyOf(v1), others);
    }

    private static WebhookRejected malformed(String message) {
        return new WebhookRejected(WebhookRejected.Reason.MALFORMED_HEADER, message);
    }
}
