package dev.bulwark.audit;

import dev.bulwark.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MAC input is a stable, documented format (exports made today must verify with tomorrow's code): an independent
 * encoder written from the README's description — every text length-prefixed (null as length -1), numbers as 8 bytes
 * big-endian — must give exactly the MACs the log writes.
 */
class CanonicalEncodingTest {
    private static final byte[] KEY = new byte[32];

    static {
        for (int i = 0; i < KEY.length; i++) KEY[i] = (byte) (31 * i + 5);
    }

    private static final class Spec {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(buf);

        Spec str(String s) throws Exception {
            if (s == null) {
                out.writeInt(-1);
                return this;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
            return this;
        }

        Spec num(long v) throws Exception {
            out.writeLong(v);
            return this;
        }

        String mac() throws Exception {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(buf.toByteArray()));
        }
    }

    @Test
    void entryMacIsHmacOverTheDocumentedEncoding() throws Exception {
        MutableClock clock = new MutableClock(AuditScenarios.START.plusMillis(1234));
        AuditLog log = AuditScenarios.log(new InMemoryAuditStore(), HmacAuditKey.of(7, KEY), clock);
        ChainId ws = ChainId.workspace("acme");
        AuditEntry first = log.record(AuditEvent.in(ws).actor(Actor.member("m_1")).action("auth.login").build());
        clock.advance(Duration.ofSeconds(1));
        AuditEntry second = log.record(AuditEvent.in(ws).actor(Actor.apiKey("key_9")).action("invoice.refund")
                .target("invoice", "inv_42").outcome(Outcome.DENIED).ip("203.0.113.9").userAgent("Mozilla/5.0 é")
                .details(Details.of("currency", "EUR", "amount", 1200)).suspicious().build());

        assertThat(first.prevMac()).isEqualTo(Canonical.GENESIS_MAC).isEqualTo("A".repeat(43));
        String expectedFirst = new Spec().str("bulwark.audit.entry.v1").str("ws:acme").num(1).num(first.time().toEpochMilli())
                .str("MEMBER").str("m_1").str("auth.login").str(null).str(null).str("SUCCESS").str(null).str(null)
                .num(0).num(0).num(7).str(Canonical.GENESIS_MAC).mac();
        assertThat(first.mac()).isEqualTo(expectedFirst);

        String expectedSecond = new Spec().str("bulwark.audit.entry.v1").str("ws:acme").num(2).num(second.time().toEpochMilli())
                .str("API_KEY").str("key_9").str("invoice.refund").str("invoice").str("inv_42").str("DENIED")
                .str("203.0.113.9").str("Mozilla/5.0 é").num(1).num(2).str("amount").str("1200").str("currency").str("EUR")
                .num(7).str(first.mac()).mac();
        assertThat(second.mac()).isEqualTo(expectedSecond);
        assertThat(second.prevMac()).isEqualTo(first.mac());
        assertThat(second.keyId()).isEqualTo(7);
    }

    @Test
    void checkpointMacIsHmacOverTheDocumentedEncoding() throws Exception {
        MutableClock clock = new MutableClock(AuditScenarios.START);
        AuditLog log = AuditScenarios.log(new InMemoryAuditStore(), HmacAuditKey.of(Map.of(7, KEY, 8, new byte[32]), 7), clock);
        ChainId ws = ChainId.workspace("acme");
        AuditEntry e = log.record(AuditEvent.in(ws).actor(Actor.system("job")).action("export.run").build());
        log.setRetention(ws, Retention.days(1));
        clock.advance(Duration.ofDays(2).plusMillis(5));
        Checkpoint cp = log.prune(ws).checkpoint();
        String expected = new Spec().str("bulwark.audit.checkpoint.v1").str("ws:acme").num(1).str(e.mac())
                .num(clock.instant().toEpochMilli()).num(7).mac();
        assertThat(cp.mac()).isEqualTo(expected);
    }

    @Test
    void fieldBoundariesCannotBeShiftedBetweenNeighbouringFields() {
        // The same characters split differently between target type and id, or between user agent and details:
        // the length prefixes keep the encodings (and so the MACs) apart.
        ChainId ws = ChainId.workspace("acme");
        Actor m = Actor.member("m");
        byte[] one = Canonical.entry(ws, 1, 0, m, "x.y", "invoice", "12", Outcome.SUCCESS, null, "ua", Details.EMPTY, false, 1, "p");
        byte[] two = Canonical.entry(ws, 1, 0, m, "x.y", "invoice1", "2", Outcome.SUCCESS, null, "ua", Details.EMPTY, false, 1, "p");
        byte[] three = Canonical.entry(ws, 1, 0, m, "x.y", "invoice", "12", Outcome.SUCCESS, "", "ua", Details.EMPTY, false, 1, "p");
        assertThat(one).isNotEqualTo(two).isNotEqualTo(three);
        assertThat(two).isNotEqualTo(three);
    }
}
