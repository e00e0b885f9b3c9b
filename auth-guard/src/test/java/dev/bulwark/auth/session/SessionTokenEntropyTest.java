package dev.bulwark.auth.session;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** ASVS 3.2.2: session tokens carry at least 64 bits of entropy; ours are 256 random bits. */
class SessionTokenEntropyTest {
    @Test
    void tokensAre256UniformRandomBits() {
        SessionManager sessions = SessionManager.builder().build();
        int n = 2000;
        int[] ones = new int[256];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String token = sessions.create("user-" + i, "203.0.113.1", "test").token();
            byte[] raw = Base64.getUrlDecoder().decode(token);
            assertThat(raw).hasSize(32);
            assertThat(seen.add(token)).isTrue();
            for (int bit = 0; bit < 256; bit++) if ((raw[bit >> 3] >> (bit & 7) & 1) == 1) ones[bit]++;
        }
        // Every one of the 256 bit positions is a fair coin: 1000 expected ones, standard deviation about 22; 6 sigma.
        for (int bit = 0; bit < 256; bit++) assertThat(ones[bit]).as("bit " + bit).isBetween(866, 1134);
    }
}
