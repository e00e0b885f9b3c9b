package dev.bulwark.app.account;

import dev.bulwark.app.platform.Reply;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import static org.assertj.core.api.Assertions.assertThat;

class SafeRedirectProperties {
    /** Whatever "next" a request carries, the re-auth redirect stays on this site. */
    @Property(tries = 10000)
    void reauthNextNeverLeavesTheSite(@ForAll String next) {
        String n = AccountRoutes.safeNext(next);
        assertThat(n).startsWith("/");
        assertThat(n).doesNotStartWith("//").doesNotContain("\\").doesNotContain("\r").doesNotContain("\n");
    }

    @Property(tries = 10000)
    void localRedirectsAreNeverOffSite(@ForAll String target) {
        assertThat(Reply.redirect(target)).isNotNull();
        assertThat(AccountRoutes.safeNext("//evil.example" + target)).isEqualTo("/account");
    }
}
