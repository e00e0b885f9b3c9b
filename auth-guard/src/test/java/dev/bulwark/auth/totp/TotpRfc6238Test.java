package dev.bulwark.auth.totp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6238 Appendix B test vectors (8 digits, T0 = 0, X = 30 s), through our generator. */
class TotpRfc6238Test {
    private static final String SEED20 = "12345678901234567890";
    private static final String SEED32 = "12345678901234567890123456789012";
    private static final String SEED64 = "1234567890123456789012345678901234567890123456789012345678901234";

    @ParameterizedTest(name = "{1} at {0}")
    @CsvSource({
            "59,SHA1,94287082", "59,SHA256,46119246", "59,SHA512,90693936",
            "1111111109,SHA1,07081804", "1111111109,SHA256,68084774", "1111111109,SHA512,25091201",
            "1111111111,SHA1,14050471", "1111111111,SHA256,67062674", "1111111111,SHA512,99943326",
            "1234567890,SHA1,89005924", "1234567890,SHA256,91819424", "1234567890,SHA512,93441116",
            "2000000000,SHA1,69279037", "2000000000,SHA256,90698825", "2000000000,SHA512,38618901",
            "20000000000,SHA1,65353130", "20000000000,SHA256,77737706", "20000000000,SHA512,47863826",
    })
    void appendixBVector(long time, TotpAlgorithm alg, String expected) {
        String seed = switch (alg) {
            case SHA1 -> SEED20;
            case SHA256 -> SEED32;
            case SHA512 -> SEED64;
        };
        TotpAuthenticator totp = TotpAuthenticator.builder().algorithm(alg).digits(8).build();
        assertThat(totp.codeAt(TotpSecret.of(seed.getBytes(StandardCharsets.US_ASCII)), Instant.ofEpochSecond(time))).isEqualTo(expected);
    }
}
