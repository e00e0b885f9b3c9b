package dev.bulwark.auth.sso;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboundHostsTest {
    private final OutboundHosts hosts = OutboundHosts.only("login.example.com", "*.okta.com", "127.0.0.1", "[::1]");

    @Test
    void exactNamesMatchCaseInsensitivelyAndNothingElse() {
        assertThat(hosts.permits("login.example.com")).isTrue();
        assertThat(hosts.permits("LOGIN.Example.COM")).isTrue();
        assertThat(hosts.permits("login.example.com.")).as("the fully qualified form").isTrue();
        assertThat(hosts.permits("example.com")).isFalse();
        assertThat(hosts.permits("evil.login.example.com")).as("an exact name allows no subdomain").isFalse();
        assertThat(hosts.permits("login.example.com.evil.net")).isFalse();
    }

    @Test
    void wildcardAllowsSubdomainsButNotTheApexOrALookalike() {
        assertThat(hosts.permits("acme.okta.com")).isTrue();
        assertThat(hosts.permits("a.b.okta.com")).isTrue();
        assertThat(hosts.permits("okta.com")).isFalse();
        assertThat(hosts.permits("evilokta.com")).isFalse();
        assertThat(hosts.permits("acme.okta.com.evil.net")).isFalse();
    }

    @Test
    void ipLiteralsMatchOnlyThemselves() {
        assertThat(hosts.permits("127.0.0.1")).isTrue();
        assertThat(hosts.permits("127.0.0.2")).isFalse();
        assertThat(hosts.permits("::1")).isTrue();
        assertThat(hosts.permits("[::1]")).isTrue();
        assertThat(hosts.permits("localhost")).as("a name is not its address").isFalse();
    }

    @Test
    void urisAreJudgedByTheirRealHostAndUserInfoTricksAreRefused() {
        assertThat(hosts.permits(URI.create("https://login.example.com/.well-known/openid-configuration"))).isTrue();
        assertThat(hosts.permits(URI.create("https://login.example.com:8443/x"))).as("any port").isTrue();
        assertThat(hosts.permits(URI.create("https://login.example.com@evil.net/x"))).isFalse();
        assertThat(hosts.permits(URI.create("https://evil.net/login.example.com"))).isFalse();
        assertThat(hosts.permits(URI.create("https://[::1]:9000/jwks"))).isTrue();
        assertThat(hosts.permits(URI.create("mailto:a@login.example.com"))).as("no host").isFalse();
        assertThat(hosts.permits((URI) null)).isFalse();
    }

    @Test
    void emptyListAllowsNothingAndAnyAllowsEverything() {
        OutboundHosts none = OutboundHosts.only(List.of());
        assertThat(none.restricted()).isTrue();
        assertThat(none.permits("login.example.com")).isFalse();
        assertThat(OutboundHosts.any().restricted()).isFalse();
        assertThat(OutboundHosts.any().permits("anything.example")).isTrue();
        assertThat(OutboundHosts.any().permits(URI.create("https://x.example/"))).isTrue();
    }

    @Test
    void malformedPatternsAreRefusedWithTheirText() {
        for (String bad : List.of("", " ", "*", "*.", "https://login.example.com", "login.example.com/path", "a b.com", "*.*.com",
                "login.example.com:443", "under_score.example.com", "-dash.example.com")) {
            assertThatThrownBy(() -> OutboundHosts.only(bad)).as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a host name");
        }
    }

    @Property(tries = 10000)
    void arbitraryHostsNeverThrowAndAreOnlyPermittedWhenTheyEndInAnAllowedName(@ForAll String host) {
        boolean permitted = hosts.permits(host);
        if (permitted) {
            String h = host.toLowerCase(java.util.Locale.ROOT);
            assertThat(h.endsWith("login.example.com") || h.endsWith("login.example.com.") || h.endsWith(".okta.com") || h.endsWith(".okta.com.")
                    || h.equals("127.0.0.1") || h.equals("::1") || h.equals("[::1]")).as(host).isTrue();
        }
    }
}
