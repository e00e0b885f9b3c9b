package dev.bulwark.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link Details} keeps, what it redacts (by name, type and shape), and its limits. */
class DetailsRedactionTest {

    private static String stored(String key, Object value) {
        return Details.of(key, value).asMap().get(key);
    }

    @Test
    void valuesUnderSensitiveNamesAreRedactedInEverySpelling() {
        List<String> names = List.of(
                // a sensitive word on its own, in camelCase, snake_case, kebab-case or dotted
                "password", "pwd", "passwd", "passphrase", "secret", "token", "credential", "credentials", "authorization",
                "auth", "cookie", "session", "otp", "totp", "pin", "cvc", "cvv", "card", "pan", "iban", "ssn", "signature",
                "private", "apikey", "bearer", "mfa", "recovery",
                "sessionId", "otpCode", "user.password", "X-Auth-Token", "card_last_digits", "mfa-backup",
                // the word hidden inside one longer word
                "mypassword", "topsecretvalue", "csrftoken", "stripeapikey", "awsaccesskey", "rsaprivatekey",
                "jwtsigningkey", "primarycardnumber", "api_key", "accessKeyId", "Private_Key", "signing.key", "card-number");
        for (String name : names) {
            assertThat(stored(name, "plain-looking value")).as(name).isEqualTo(Details.REDACTED);
        }
    }

    @Test
    void namesThatMerelyResembleSensitiveWordsAreKept() {
        for (String name : List.of("plan", "spinner", "pinned", "authority", "author", "cardinality", "panel", "sessions_count",
                "company", "amount", "keyboard", "Count")) {
            assertThat(stored(name, "visible")).as(name).isEqualTo("visible");
        }
    }

    enum Plan {
        PRO {
            @Override
            public String toString() {
                return "pro with secret discount code";
            }
        }
    }

    @Test
    void onlyPlainValueTypesAreWrittenAsText() {
        UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        assertThat(stored("n", 1200)).isEqualTo("1200");
        assertThat(stored("n", 12.5)).isEqualTo("12.5");
        assertThat(stored("b", true)).isEqualTo("true");
        assertThat(stored("c", 'x')).isEqualTo("x");
        assertThat(stored("e", Plan.PRO)).isEqualTo("PRO");
        assertThat(stored("u", id)).isEqualTo(id.toString());
        assertThat(stored("t", Instant.parse("2026-01-01T00:00:00Z"))).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(stored("d", LocalDate.of(2026, 1, 2))).isEqualTo("2026-01-02");
        assertThat(stored("none", null)).isEmpty();
        for (Object other : new Object[] {new char[] {'a'}, new byte[] {1}, Optional.of("x"), List.of("x"), new StringBuilder("x"),
                Map.of("a", "b")}) {
            assertThat(stored("v", other)).as(other.getClass().getSimpleName()).isEqualTo(Details.REDACTED);
        }
    }

    @Test
    void textShapedLikeACredentialIsRedacted() {
        List<String> secrets = List.of(
                "Bearer abc.def", "  basic dXNlcjpwYXNz", "BEARER x",
                "eyJhbGciOi.eyJzdWIiOi.", "token=eyJhbGciOi.eyJzdWIiOi.sig",
                "-----BEGIN PRIVATE KEY-----", "-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN CERTIFICATE-----",
                "sk_live_12345678", "rk_test_abcdefgh", "pk_live_ABCDEFGH", "whsec_abcd+/=1", "use ghp_0123456789abcdef here",
                "gho_0123456789abcdef", "github_pat_0123456789abcdef", "xoxb-1234567890", "xoxp-12345-67890",
                "AKIAABCDEFGHIJKLMNOP");
        for (String s : secrets) {
            assertThat(Details.looksSecret(s)).as(s).isTrue();
            assertThat(stored("note", s)).as(s).isEqualTo(Details.REDACTED);
        }
    }

    @Test
    void textThatOnlyResemblesACredentialIsKept() {
        List<String> harmless = List.of("bearer", "the bearer of news", "eyJhbGciOi", "sk_live_1234567", "whsec_short",
                "ghp_0123456789abcde", "xoxb-123456789", "AKIAABCDEFGHIJKLMNO", "AKIAABCDEFGHIJKLMNOPQ", "-----BEGIN PUBLIC KEY-----",
                "mask_live_12345678");
        for (String s : harmless) {
            assertThat(Details.looksSecret(s)).as(s).isFalse();
            assertThat(stored("note", s)).as(s).isEqualTo(s);
        }
    }

    @Test
    void paymentCardNumbersAreRedactedByTheLuhnCheck() {
        for (String card : List.of("4242424242424242", "4242 4242 4242 4242", "4242-4242-4242-4242", "4222222222222",
                "378282246310005", "6011111111111117", "5555555555554444", "4000056655665556", "paid with 5105105105105100 today",
                "4111111111111111110")) {
            assertThat(Details.looksSecret(card)).as(card).isTrue();
        }
        for (String notCard : List.of("4242424242424241", "4222222222223", "424242424242", "0123456789012",
                "order 5105105105105101", "42424242424242424242", "1234567812345678")) {
            assertThat(Details.looksSecret(notCard)).as(notCard).isFalse();
        }
        // A Luhn-valid card number inside a longer run of digits is not a card number.
        assertThat(Details.looksSecret("94242424242424242")).isFalse();
    }

    @Test
    void valuesAreCutTo256CharactersAndLoseControlCharacters() {
        assertThat(stored("v", "x".repeat(256))).isEqualTo("x".repeat(256));
        String cut = stored("v", "x".repeat(257));
        assertThat(cut).hasSize(256).endsWith("…").startsWith("x".repeat(255));
        assertThat(stored("v", "a\nb\rc\td\u0000e\u007ff")).isEqualTo("a b c d e f");
    }

    @Test
    void keysAreCheckedAndAtMost32DistinctKeysAreKept() {
        assertThat(stored("a" + "b".repeat(63), "v")).isEqualTo("v");
        for (String bad : new String[] {"a" + "b".repeat(64), "1abc", "_abc", "a b", "", "a/b"}) {
            assertThatThrownBy(() -> Details.builder().put(bad, 1)).as(bad)
                    .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.reason()).isEqualTo(AuditException.Reason.INVALID_EVENT));
        }
        assertThatThrownBy(() -> Details.builder().put(null, 1)).isInstanceOf(AuditException.class);
        Details.Builder b = Details.builder();
        for (int i = 0; i < Details.MAX_ENTRIES; i++) b.put("k" + i, i);
        b.put("k0", "replaced"); // replacing an existing key is not a 33rd entry
        Details full = b.build();
        assertThat(full.asMap()).hasSize(Details.MAX_ENTRIES).containsEntry("k0", "replaced");
        assertThatThrownBy(() -> b.put("k32", 1)).isInstanceOf(AuditException.class);
    }

    @Test
    void detailsAreSortedImmutableValues() {
        Details d = Details.of("zeta", 1, "alpha", 2);
        assertThat(d.asMap()).containsExactly(Map.entry("alpha", "2"), Map.entry("zeta", "1"));
        assertThatThrownBy(() -> d.asMap().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(d).isEqualTo(Details.builder().put("alpha", 2).put("zeta", 1).build())
                .hasSameHashCodeAs(Details.builder().put("alpha", 2).put("zeta", 1).build())
                .isNotEqualTo(Details.of("alpha", 2))
                .isNotEqualTo(d.asMap());
        assertThat(d.isEmpty()).isFalse();
        assertThat(Details.EMPTY.isEmpty()).isTrue();
        Details.Builder b = Details.builder().put("a", 1);
        Details first = b.build();
        b.put("b", 2);
        assertThat(first.asMap()).containsOnlyKeys("a");
    }
}
