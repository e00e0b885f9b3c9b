package dev.bulwark.auth.apikey;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeysTest {
    private final ApiKeys keys = ApiKeys.builder().events(e -> { }).build();

    @Property(tries = 10000)
    void arbitraryPresentedKeysAreRefusedWithoutThrowing(@ForAll String presented) {
        assertThat(keys.authenticate(presented, ApiKeyScope.READ_ONLY, null).valid()).isFalse();
    }

    @Property(tries = 1000)
    void tamperedKeyIsRejected(@ForAll("positions") int pos) {
        IssuedApiKey k = keys.issue("o", ApiKeyScope.READ_WRITE, null, null);
        char c = k.key().charAt(pos);
        String tampered = k.key().substring(0, pos) + (c == 'a' ? 'b' : 'a') + k.key().substring(pos + 1);
        assertThat(keys.authenticate(tampered, ApiKeyScope.READ_ONLY, null).valid()).isFalse();
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Integer> positions() {
        return net.jqwik.api.Arbitraries.integers().between(0, 42);
    }

    @Test
    void secretCarriesAtLeast128Bits() {
        assertThat(ApiKeys.SECRET_LENGTH * 5).isGreaterThanOrEqualTo(128);
    }

    @Test
    void malformedKeysAreReportedAsMalformed() {
        assertThat(keys.authenticate(null, ApiKeyScope.READ_ONLY, null).reason()).contains(ApiKeyCheck.Reason.MALFORMED);
        assertThat(keys.authenticate("bwk_short", ApiKeyScope.READ_ONLY, null).reason()).contains(ApiKeyCheck.Reason.MALFORMED);
        assertThat(keys.authenticate("xyz_aaaaaaaaaaaa_aaaaaaaaaaaaaaaaaaaaaaaaaa", ApiKeyScope.READ_ONLY, null).reason()).contains(ApiKeyCheck.Reason.MALFORMED);
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> ApiKeys.builder().prefix("Bad_Prefix")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.issue("o", ApiKeyScope.READ_ONLY, null, java.time.Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
    }
}
