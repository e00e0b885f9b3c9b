package dev.bulwark.auth.sso;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Hostile usernames (filter metacharacters, control characters, any Unicode) get typed rejections and match nobody. */
class LdapFuzzProperties {
    static TestTls tls;
    static InMemoryDirectoryServer server;
    static LdapAuthenticator ldap;

    @BeforeContainer
    static void start() throws Exception {
        tls = TestTls.loopback();
        server = LdapAuthenticatorTest.directory(List.of(LdapAuthenticatorTest.ldaps(tls)), null);
        ldap = new LdapAuthenticator(LdapAuthenticatorTest.config(LdapTransport.LDAPS, server.getListenPort(), tls.client).build());
    }

    @AfterContainer
    static void stop() {
        if (ldap != null) ldap.close();
        if (server != null) server.shutDown(true);
    }

    @Property(tries = 10000)
    void garbageUsernamesAreRejectedWithAReasonAndNeverSignIn(@ForAll("usernames") String username) {
        try {
            LdapIdentity who = ldap.authenticate(username, "alice-pw-correct".toCharArray());
            // Only the exact, unescaped-safe username of the entry whose password this is may succeed.
            assertThat(who.dn()).isEqualTo("uid=alice,ou=people," + LdapAuthenticatorTest.BASE);
            assertThat(username).isEqualToIgnoringCase("alice");
        } catch (LdapRejected r) {
            assertThat(r.reason()).isIn(LdapRejected.Reason.INVALID_USERNAME, LdapRejected.Reason.INVALID_CREDENTIALS);
        }
    }

    @Provide
    Arbitrary<String> usernames() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(300),
                Arbitraries.strings().withChars("*()\\\u0000=&|!~<>:,+\"; aliceAL").ofMaxLength(40),
                Arbitraries.of("alice", "ALICE", "al*", "*", "alice)(uid=*", "*)(objectClass=*", "alice\\2a", "\\", "(", ")"));
    }
}
