package dev.bulwark.benchmarks;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import dev.bulwark.webhook.HeaderLookup;
import dev.bulwark.webhook.VerifiedEvent;
import dev.bulwark.webhook.WebhookRejected;
import dev.bulwark.webhook.WebhookSigner;
import dev.bulwark.webhook.WebhookVerifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

/**
 * webhook-verify: a ~3 KiB Stripe Connect event. Verify + parse, ours against stripe-java's
 * {@code Webhook.constructEvent}; the reject path for a bad signature against a bare HMAC-SHA256 of the same
 * "t.body" with an initialised Mac.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WebhookVerifyBenchmark {
    private static final String SECRET = "whsec_5f3c2a7d9e1b4c8a6f0d2e4b7a9c1e3f";
    private static final long NOW = 1_763_900_000L;

    private WebhookVerifier verifier;
    private Clock clock;
    private String payload;
    private byte[] body;
    private String header;
    private String badHeader;
    private HeaderLookup goodHeaders;
    private HeaderLookup badHeaders;
    private Mac rawMac;
    private byte[] prefix;

    @Setup
    public void setUp() throws Exception {
        clock = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
        // Replay guard off: the benchmark delivers the same event again and again.
        verifier = WebhookVerifier.stripe().secret(SECRET).clock(clock).withoutReplayGuard().build();
        payload = event();
        body = payload.getBytes(StandardCharsets.UTF_8);
        header = WebhookSigner.stripe(SECRET).stripeHeader(NOW, body);
        badHeader = "t=" + NOW + ",v1=" + "0".repeat(64);
        goodHeaders = name -> "Stripe-Signature".equalsIgnoreCase(name) ? header : null;
        badHeaders = name -> "Stripe-Signature".equalsIgnoreCase(name) ? badHeader : null;
        rawMac = Mac.getInstance("HmacSHA256");
        rawMac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        prefix = (NOW + ".").getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public VerifiedEvent oursVerifyAndParse() throws WebhookRejected {
        return verifier.verify(goodHeaders, body);
    }

    @Benchmark
    public Event stripeJavaConstructEvent() throws SignatureVerificationException {
        return Webhook.constructEvent(payload, header, SECRET, 300, clock);
    }

    @Benchmark
    public Object oursRejectBadSignature() {
        try {
            return verifier.verify(badHeaders, body);
        } catch (WebhookRejected r) {
            return r.reason();
        }
    }

    @Benchmark
    public Object stripeJavaRejectBadSignature() {
        try {
            return Webhook.constructEvent(payload, badHeader, SECRET, 300, clock);
        } catch (SignatureVerificationException e) {
            return e;
        }
    }

    @Benchmark
    public byte[] rawHmacOfBody() {
        rawMac.update(prefix);
        return rawMac.doFinal(body);
    }

    private static String event() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 28; i++) {
            lines.append(i == 0 ? "" : ",").append("{\"id\":\"li_").append(i)
                    .append("\",\"object\":\"line_item\",\"amount\":").append(1000 + i)
                    .append(",\"currency\":\"eur\",\"description\":\"Session ").append(i).append("\"}");
        }
        return "{\n  \"id\": \"evt_1QbenchAbc\",\n  \"object\": \"event\",\n  \"account\": \"acct_1OtherBusiness\",\n"
                + "  \"api_version\": \"2024-06-20\",\n  \"created\": " + NOW + ",\n"
                + "  \"data\": {\n    \"object\": {\n      \"id\": \"pi_3NvS0w2eZvKYlo2C1\",\n"
                + "      \"object\": \"payment_intent\",\n      \"amount\": 12000,\n      \"currency\": \"eur\",\n"
                + "      \"status\": \"succeeded\",\n      \"metadata\": {\"invoice\": \"inv_42\"},\n"
                + "      \"lines\": [" + lines + "]\n    }\n  },\n  \"livemode\": false,\n  \"pending_webhooks\": 1,\n"
                + "  \"request\": {\"id\": null, \"idempotency_key\": null},\n  \"type\": \"payment_intent.succeeded\"\n}";
    }
}
