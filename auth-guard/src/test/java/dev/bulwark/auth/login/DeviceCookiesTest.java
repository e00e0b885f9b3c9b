package dev.bulwark.auth.login;

import dev.bulwark.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceCookiesTest {
    private final MutableClock clock = MutableClock.at("2026-04-01T08:00:00Z");
    private final DeviceCookies cookies = new DeviceCookies(new byte[32], Duration.ofDays(180), clock);

    @Test
    void cookieIsValidForItsAccountUntilExactlyItsLifetime() {
        String c = cookies.issue("ann@example.com");
        assertThat(c).matches("v1\\.[A-Za-z0-9_-]{22}\\.[0-9]+\\.[A-Za-z0-9_-]{43}");
        assertThat(cookies.validId(c, "ann@example.com")).contains(c.split("\\.")[1]);
        assertThat(cookies.validId(c, "bob@example.com")).isEmpty();
        clock.advance(Duration.ofDays(180));
        assertThat(cookies.validId(c, "ann@example.com")).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(cookies.validId(c, "ann@example.com")).isEmpty();
    }

    @Test
    void cookiesFromUpToFiveMinutesInTheFutureAreToleratedForClockSkew() {
        clock.advance(Duration.ofSeconds(300));
        String skewed = cookies.issue("ann@example.com");
        clock.advance(Duration.ofSeconds(1));
        String tooFar = cookies.issue("ann@example.com");
        clock.advance(Duration.ofSeconds(-301));
        assertThat(cookies.validId(skewed, "ann@example.com")).isPresent();
        assertThat(cookies.validId(tooFar, "ann@example.com")).isEmpty();
    }

    @Test
    void cookieSignedWithAnotherKeyIsRefused() {
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        String foreign = new DeviceCookies(otherKey, Duration.ofDays(180), clock).issue("ann@example.com");
        assertThat(cookies.validId(foreign, "ann@example.com")).isEmpty();
    }

    @Test
    void malformedCookiesAreRefusedWithoutThrowing() {
        String good = cookies.issue("ann@example.com");
        String[] p = good.split("\\.");
        String[] bad = {
                null, "", "v2" + good.substring(2), good + ".x", good.substring(0, good.lastIndexOf('.')),
                "v1." + p[1] + "." + "12a4" + "." + p[3], "v1." + p[1] + "..", "v1." + p[1] + "." + p[2] + "." + p[3].substring(1),
                "v1." + p[1] + "." + p[2] + "." + "*".repeat(43), "v1." + p[1] + "." + "1".repeat(13) + "." + p[3],
                "v1." + p[1] + "x." + p[2] + "." + p[3], good + "a".repeat(200)};
        for (String b : bad) assertThat(cookies.validId(b, "ann@example.com")).as(String.valueOf(b)).isEmpty();
    }
}
