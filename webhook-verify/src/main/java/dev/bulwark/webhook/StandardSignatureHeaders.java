package dev.bulwark.webhook;

import java.util.ArrayList;
import java.util.List;

/**
 * The parsed Standard Webhooks headers. {@code webhook-signature} is a space-separated list of
 * {@code <version>,<base64>}; {@code v1} (HMAC-SHA256) and {@code v1a} (Ed25519) are kept, other versions ignored.
 * Never throws anything but {@link WebhookRejected}.
 */
record StandardSignatureHeaders(String id, long timestamp, String timestampText, List<String> v1, List<String> v1a) {
    static final String ID = "webhook-id";
    static final String TIMESTAMP = "webhook-timestamp";
    static final String SIGNATURE = "webhook-signature";
    static final int MAX_ID_CHARS = 256;
    static final int MAX_CHARS = 8192;
    static final int MAX_SIGNATURES = 32;

    static StandardSignatureHeaders parse(String id, String timestamp, String signature) throws WebhookRejected {
        StringBuilder missing = new StringBuilder();
        if (id == null || id.isEmpty()) missing.append(ID).append(' ');
        if (timestamp == null || timestamp.isEmpty()) missing.append(TIMESTAMP).append(' ');
        if (signature == null || signature.isBlank()) missing.append(SIGNATURE).append(' ');
        if (missing.length() > 0) {
            throw new WebhookRejected(WebhookRejected.Reason.MISSING_HEADER, "missing Standard Webhooks header(s): "
                    + missing.toString().strip() + "; check that no proxy or framework drops them");
        }
        if (id.length() > MAX_ID_CHARS || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw malformed("webhook-id must be 1 to " + MAX_ID_CHARS + " visible ASCII characters");
        }
        String ts = timestamp.strip();
        if (ts.isEmpty() || ts.length() > 12 || !ts.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw malformed("webhook-timestamp is not a Unix time in seconds");
        }
        if (signature.length() > MAX_CHARS) {
            throw malformed("webhook-signature is longer than " + MAX_CHARS + " characters");
        }
        List<String> v1 = new ArrayList<>(2);
        List<String> v1a = new ArrayList<>(1);
        for (String part : signature.strip().split(" ")) {
            int comma = part.indexOf(',');
            if (part.isEmpty() || comma <= 0) continue;
            String version = part.substring(0, comma);
            String sig = part.substring(comma + 1);
            List<String> into = version.equals("v1") ? v1 : version.equals("v1a") ? v1a : null;
            if (into == null) continue;
            if (v1.size() + v1a.size() == MAX_SIGNATURES) {
                throw malformed("webhook-signature has more than " + MAX_SIGNATURES + " signatures");
            }
            into.add(sig);
        }
        if (v1.isEmpty() && v1a.isEmpty()) {
            throw new WebhookRejected(WebhookRejected.Reason.NO_V1_SIGNATURE,
                    "webhook-signature has no 'v1,<base64>' (or 'v1a,<base64>') signature");
        }
        return new StandardSignatureHeaders(id, Long.parseLong(ts), ts, List.copyOf(v1), List.copyOf(v1a));
    }

    private static WebhookRejected malformed(String message) {
        return new WebhookRejected(WebhookRejected.Reason.MALFORMED_HEADER, message);
    }
}
