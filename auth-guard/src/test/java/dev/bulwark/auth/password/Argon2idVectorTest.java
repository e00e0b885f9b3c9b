package dev.bulwark.auth.password;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class Argon2idVectorTest {

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    /** RFC 9106 section 5.3: Argon2id, m=32 KiB, t=3, p=4, 32-byte tag, with secret and associated data. */
    @Test
    void rfc9106Section53VectorMatches() {
        byte[] tag = Argon2id.derive(filled(32, 0x01), filled(16, 0x02), filled(8, 0x03), filled(12, 0x04), 32, 3, 4, 32);
        assertThat(HexFormat.of().formatHex(tag))
                .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    @Test
    void changingAnyInputChangesTheTag() {
        byte[] base = Argon2id.derive(filled(32, 1), filled(16, 2), filled(8, 3), filled(12, 4), 32, 3, 4, 32);
        assertThat(Argon2id.derive(filled(32, 9), filled(16, 2), filled(8, 3), filled(12, 4), 32, 3, 4, 32)).isNotEqualTo(base);
        assertThat(Argon2id.derive(filled(32, 1), filled(16, 9), filled(8, 3), filled(12, 4), 32, 3, 4, 32)).isNotEqualTo(base);
        assertThat(Argon2id.derive(filled(32, 1), filled(16, 2), filled(8, 9), filled(12, 4), 32, 3, 4, 32)).isNotEqualTo(base);
        assertThat(Argon2id.derive(filled(32, 1), filled(16, 2), filled(8, 3), filled(12, 9), 32, 3, 4, 32)).isNotEqualTo(base);
        assertThat(Argon2id.derive(filled(32, 1), filled(16, 2), filled(8, 3), filled(12, 4), 32, 4, 4, 32)).isNotEqualTo(base);
    }
}
