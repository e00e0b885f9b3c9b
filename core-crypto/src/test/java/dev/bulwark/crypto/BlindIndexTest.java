package dev.bulwark.crypto;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Blind index length bounds, text form, normalisers and the "is current" check used by the rebuild. */
class BlindIndexTest {
    static final Keyring KEYRING = TestKeyrings.withFixedTestKeysets();
    static final ColumnContext EMAIL = KnownAnswerTest.EMAIL.columnContext();

    static byte[] indexBytes(String index) {
        return Base64.getUrlDecoder().decode(index.substring(index.lastIndexOf('.') + 1));
    }

    @Test
    void indexLengthIsFourToThirtyTwoBytes() {
        BlindIndexer indexer = KEYRING.blindIndexes();
        assertThatThrownBy(() -> indexer.column(EMAIL, Normalizer.EMAIL, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> indexer.column(EMAIL, Normalizer.EMAIL, 33)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> indexer.column(EMAIL, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(indexBytes(indexer.column(EMAIL, Normalizer.EMAIL, 4).compute("ann@example.com"))).hasSize(4);
        assertThat(indexBytes(indexer.column(EMAIL, Normalizer.EMAIL, 32).compute("ann@example.com"))).hasSize(32);
        assertThat(indexBytes(indexer.column(EMAIL, Normalizer.EMAIL).compute("ann@example.com"))).hasSize(BlindIndexer.DEFAULT_BYTES);
    }

    /** Every length is a truncation of the same HMAC, so the 16-byte known answer pins them all. */
    @Test
    void shorterIndexesAreTruncationsOfTheSameHmac() {
        byte[] full = indexBytes(KEYRING.blindIndexes().column(EMAIL, Normalizer.EMAIL, 32).compute("ann@example.com"));
        assertThat(Arrays.copyOf(full, 16)).isEqualTo(indexBytes(KnownAnswerTest.BLIND));
        for (int n = 4; n <= 32; n++) {
            String idx = KEYRING.blindIndexes().column(EMAIL, Normalizer.EMAIL, n).compute("ann@example.com");
            assertThat(idx).startsWith("bi1.44444444.");
            assertThat(indexBytes(idx)).as("%d bytes", n).isEqualTo(Arrays.copyOf(full, n));
        }
    }

    @Test
    void keyIdInTheIndexIsEightLowercaseHexDigits() {
        Keyring k = TestKeyrings.fresh();
        BlindIndex idx = k.blindIndexes().column(EMAIL, Normalizer.EXACT);
        int primary = k.info(KeysetName.of(KeyPurpose.BLIND_INDEX)).primaryKeyId();
        assertThat(idx.compute("x")).matches("bi1\\.[0-9a-f]{8}\\.[A-Za-z0-9_-]{22}")
                .startsWith("bi1." + String.format("%08x", primary) + ".");
    }

    @Test
    void isCurrentOnlyForIndexesUnderThePrimaryKey() {
        Keyring k = TestKeyrings.fresh();
        BlindIndex idx = k.blindIndexes().column(EMAIL, Normalizer.EMAIL);
        String before = idx.compute("ann@example.com");
        assertThat(idx.isCurrent(before)).isTrue();
        k.rotate(KeysetName.of(KeyPurpose.BLIND_INDEX));
        assertThat(idx.isCurrent(before)).isFalse();
        String after = idx.compute("ann@example.com");
        assertThat(after).isNotEqualTo(before);
        assertThat(idx.isCurrent(after)).isTrue();
        assertThat(idx.lookupValues("ANN@example.com")).containsExactly(after, before);
        for (String malformed : new String[] {null, "", "bi1.", after.substring(0, 12), after.replace("bi1.", "bi2.")}) {
            assertThat(idx.isCurrent(malformed)).as("%s", malformed).isFalse();
        }
        assertThatThrownBy(() -> idx.compute(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void indexesAreBoundToTheirColumn() {
        BlindIndex email = KEYRING.blindIndexes().column(EMAIL, Normalizer.EXACT);
        String v = "ann@example.com";
        assertThat(KEYRING.blindIndexes().column(ColumnContext.of("ws_kat", "customers", "email2"), Normalizer.EXACT).compute(v))
                .isNotEqualTo(email.compute(v));
        assertThat(KEYRING.blindIndexes().column(ColumnContext.of("ws_kat", "suppliers", "email"), Normalizer.EXACT).compute(v))
                .isNotEqualTo(email.compute(v));
        // the same column again derives the same key
        assertThat(KEYRING.blindIndexes().column(EMAIL, Normalizer.EXACT).compute(v)).isEqualTo(email.compute(v));
    }

    @Test
    void normalisersProduceTheDocumentedCanonicalForms() {
        assertThat(Normalizer.EXACT.normalize(" Ann@Example.com ")).isEqualTo(" Ann@Example.com ");
        assertThat(Normalizer.TRIM.normalize("\t Zoe\u0301 \n")).isEqualTo("Zoé");
        assertThat(Normalizer.EMAIL.normalize(" Ann@EXAMPLE.com ")).isEqualTo("ann@example.com");
        assertThat(Normalizer.EMAIL.normalize("İ@x")).isEqualTo("i̇@x"); // Locale.ROOT, not a Turkish dotless i
        assertThat(Normalizer.PHONE.normalize(" +1 (555) 010-2030 ")).isEqualTo("+15550102030");
        assertThat(Normalizer.PHONE.normalize("0044 20 7946 0958")).isEqualTo("00442079460958");
        assertThat(Normalizer.PHONE.normalize("5+5")).isEqualTo("55");
        assertThat(Normalizer.PHONE.normalize("/09:")).isEqualTo("09");
        BlindIndex phone = KEYRING.blindIndexes().column(ColumnContext.of("ws_kat", "customers", "phone"), Normalizer.PHONE);
        assertThat(phone.compute("+1 555-010-2030")).isEqualTo(phone.compute("+1 (555) 0102030"));
        assertThat(phone.compute("+1 555-010-2030")).isNotEqualTo(phone.compute("1 555-010-2030"));
    }
}
