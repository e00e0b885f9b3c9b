package dev.bulwark.auth.sso;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** LDAP bind authentication against an in-memory UnboundID directory with TLS (self-signed certificate from the test). */
class LdapAuthenticatorTest {
    static final String BASE = "dc=example,dc=com";
    static final String SVC_DN = "cn=svc,dc=example,dc=com";
    static final String SVC_PW = "service-password-123";
    static final String ADMINS = "cn=admins,ou=groups,dc=example,dc=com";
    static final String STAFF = "cn=staff,ou=groups,dc=example,dc=com";

    final TestTls tls = TestTls.loopback();
    final List<String> accessLog = new CopyOnWriteArrayList<>();
    InMemoryDirectoryServer server;
    LdapAuthenticator ldap;

    /** A directory with alice (admins, staff), bob (staff), carol (no group), and two "dup" entries. */
    static InMemoryDirectoryServer directory(List<InMemoryListenerConfig> listeners, List<String> accessLog) throws Exception {
        InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig(BASE);
        cfg.setListenerConfigs(listeners);
        cfg.addAdditionalBindCredentials(SVC_DN, SVC_PW);
        cfg.setSchema(null); // allow memberOf on person entries
        if (accessLog != null) {
            cfg.setAccessLogHandler(new Handler() {
                @Override
                public void publish(LogRecord r) {
                    accessLog.add(r.getMessage());
                }

                @Override
                public void flush() { }

                @Override
                public void close() { }
            });
        }
        InMemoryDirectoryServer s = new InMemoryDirectoryServer(cfg);
        s.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: example");
        s.add("dn: ou=people," + BASE, "objectClass: organizationalUnit", "ou: people");
        s.add("dn: ou=contractors," + BASE, "objectClass: organizationalUnit", "ou: contractors");
        s.add("dn: ou=groups," + BASE, "objectClass: organizationalUnit", "ou: groups");
        s.add("dn: uid=alice,ou=people," + BASE, "objectClass: inetOrgPerson", "objectClass: person", "uid: alice",
                "cn: Alice", "sn: A", "mail: Alice@Example.com", "userPassword: alice-pw-correct",
                "memberOf: " + ADMINS);
        s.add("dn: uid=bob,ou=people," + BASE, "objectClass: inetOrgPerson", "objectClass: person", "uid: bob",
                "cn: Bob", "sn: B", "mail: bob@example.com", "userPassword: bob-pw-correct");
        s.add("dn: uid=carol,ou=people," + BASE, "objectClass: inetOrgPerson", "objectClass: person", "uid: carol",
                "cn: Carol", "sn: C", "userPassword: carol-pw-correct");
        s.add("dn: uid=dup,ou=people," + BASE, "objectClass: person", "uid: dup", "cn: Dup1", "sn: D", "userPassword: dup-pw");
        s.add("dn: uid=dup,ou=contractors," + BASE, "objectClass: person", "uid: dup", "cn: Dup2", "sn: D", "userPassword: dup-pw");
        s.add("dn: " + ADMINS, "objectClass: groupOfNames", "cn: admins", "member: uid=alice,ou=people," + BASE);
        s.add("dn: " + STAFF, "objectClass: groupOfNames", "cn: staff", "member: uid=alice,ou=people," + BASE,
                "member: uid=bob,ou=people," + BASE);
        s.startListening();
        return s;
    }

    static InMemoryListenerConfig ldaps(TestTls tls) throws Exception {
        return InMemoryListenerConfig.createLDAPSConfig("ldaps", InetAddress.getByName("127.0.0.1"), 0,
                tls.server.getServerSocketFactory(), tls.client.getSocketFactory());
    }

    static InMemoryListenerConfig startTls(TestTls tls) throws Exception {
        return InMemoryListenerConfig.createLDAPConfig("starttls", InetAddress.getByName("127.0.0.1"), 0,
                tls.server.getSocketFactory());
    }

    static InMemoryListenerConfig plain() throws Exception {
        return InMemoryListenerConfig.createLDAPConfig("plain", InetAddress.getByName("127.0.0.1"), 0, null);
    }

    static LdapDirectory.Builder config(LdapTransport transport, int port, SSLContext trust) {
        return LdapDirectory.builder().workspaceId("ws_acme").host("127.0.0.1").port(port).transport(transport)
                .tls(trust).serviceAccount(SVC_DN, () -> SecretValue.of(SVC_PW))
                .userSearchBase(BASE).userFilter("(&(objectClass=person)(uid={username}))")
                .groupSearch("ou=groups," + BASE, "(&(objectClass=groupOfNames)(member={dn}))")
                .mapGroup(ADMINS, "admin").mapGroup(STAFF, "staff");
    }

    LdapAuthenticator overLdaps(LdapDirectory.Builder tweak) throws Exception {
        server = directory(List.of(ldaps(tls)), accessLog);
        return ldap = new LdapAuthenticator(tweak.port(server.getListenPort()).build());
    }

    LdapDirectory.Builder ldapsConfig() {
        return config(LdapTransport.LDAPS, 1, tls.client);
    }

    static void assertRejected(Executable call, LdapRejected.Reason reason) {
        assertThatThrownBy(call::execute).isInstanceOfSatisfying(LdapRejected.class,
                r -> assertThat(r.reason()).isEqualTo(reason));
    }

    @AfterEach
    void stop() {
        if (ldap != null) ldap.close();
        if (server != null) server.shutDown(true);
    }

    @Test
    void goodBindOverLdapsReturnsIdentityWithMappedRoles() throws Exception {
        overLdaps(ldapsConfig());
        LdapIdentity alice = ldap.authenticate("alice", "alice-pw-correct".toCharArray());
        assertThat(alice.dn()).isEqualTo("uid=alice,ou=people," + BASE);
        assertThat(alice.roles()).containsExactlyInAnyOrder("admin", "staff");
        assertThat(alice.email()).contains("alice@example.com");
        assertThat(alice.workspaceId()).isEqualTo("ws_acme");
        LdapIdentity bob = ldap.authenticate("bob", "bob-pw-correct".toCharArray());
        assertThat(bob.roles()).containsExactly("staff");
        // the pool reverted to the service account: alice can sign in again after bob
        assertThat(ldap.authenticate("alice", "alice-pw-correct".toCharArray()).roles()).contains("admin");
    }

    @Test
    void goodBindOverStartTlsReturnsIdentity() throws Exception {
        server = directory(List.of(startTls(tls)), accessLog);
        ldap = new LdapAuthenticator(config(LdapTransport.START_TLS, server.getListenPort(), tls.client).build());
        assertThat(ldap.authenticate("bob", "bob-pw-correct".toCharArray()).roles()).containsExactly("staff");
    }

    @Test
    void wrongPasswordIsRejected() throws Exception {
        overLdaps(ldapsConfig());
        assertRejected(() -> ldap.authenticate("alice", "alice-pw-wrong".toCharArray()), LdapRejected.Reason.INVALID_CREDENTIALS);
        assertRejected(() -> ldap.authenticate("alice", "bob-pw-correct".toCharArray()), LdapRejected.Reason.INVALID_CREDENTIALS);
    }

    @Test
    void unknownUserIsRejectedExactlyLikeAWrongPassword() throws Exception {
        overLdaps(ldapsConfig());
        assertThatThrownBy(() -> ldap.authenticate("nobody", "whatever-pw".toCharArray()))
                .isInstanceOfSatisfying(LdapRejected.class, r -> {
                    assertThat(r.reason()).isEqualTo(LdapRejected.Reason.INVALID_CREDENTIALS);
                    assertThat(r.getMessage()).isEqualTo(LdapRejected.Reason.INVALID_CREDENTIALS.description());
                });
    }

    @Test
    void emptyPasswordIsNeverAnAnonymousBind() throws Exception {
        overLdaps(ldapsConfig());
        assertRejected(() -> ldap.authenticate("alice", new char[0]), LdapRejected.Reason.INVALID_CREDENTIALS);
        assertRejected(() -> ldap.authenticate("alice", null), LdapRejected.Reason.INVALID_CREDENTIALS);
    }

    @Test
    void filterMetacharactersInUsernamesAreEscaped() throws Exception {
        overLdaps(ldapsConfig());
        // Unescaped, "al*" would find alice and her password would sign in; "*" would match every entry.
        assertRejected(() -> ldap.authenticate("al*", "alice-pw-correct".toCharArray()), LdapRejected.Reason.INVALID_CREDENTIALS);
        assertRejected(() -> ldap.authenticate("*", "alice-pw-correct".toCharArray()), LdapRejected.Reason.INVALID_CREDENTIALS);
        assertRejected(() -> ldap.authenticate("alice)(uid=*", "alice-pw-correct".toCharArray()), LdapRejected.Reason.INVALID_CREDENTIALS);
        assertRejected(() -> ldap.authenticate("x)(|(uid=alice", "alice-pw-correct".toCharArray()), LdapRejected.Reason.INVALID_CREDENTIALS);
    }

    @Test
    void usernameMatchingSeveralEntriesIsRefused() throws Exception {
        overLdaps(ldapsConfig());
        assertRejected(() -> ldap.authenticate("dup", "dup-pw".toCharArray()), LdapRejected.Reason.AMBIGUOUS_USER);
    }

    @Test
    void userInNoMappedGroupIsRefusedUnlessADefaultRoleIsSet() throws Exception {
        overLdaps(ldapsConfig());
        assertRejected(() -> ldap.authenticate("carol", "carol-pw-correct".toCharArray()), LdapRejected.Reason.NO_MAPPED_GROUP);
        ldap.close();
        ldap = new LdapAuthenticator(ldapsConfig().port(server.getListenPort()).defaultRole("viewer").build());
        assertThat(ldap.authenticate("carol", "carol-pw-correct".toCharArray()).roles()).containsExactly("viewer");
    }

    @Test
    void memberOfAttributeMapsGroupsWhenNoGroupSearchIsConfigured() throws Exception {
        server = directory(List.of(ldaps(tls)), accessLog);
        LdapDirectory dir = LdapDirectory.builder().workspaceId("ws_acme").host("127.0.0.1").port(server.getListenPort())
                .transport(LdapTransport.LDAPS).tls(tls.client).serviceAccount(SVC_DN, () -> SecretValue.of(SVC_PW))
                .userSearchBase(BASE).mapGroup("CN=Admins,OU=Groups,DC=Example,DC=Com", "admin").build();
        ldap = new LdapAuthenticator(dir);
        LdapIdentity alice = ldap.authenticate("alice", "alice-pw-correct".toCharArray());
        assertThat(alice.groups()).containsExactly(ADMINS);
        assertThat(alice.roles()).containsExactly("admin"); // DN matched case-insensitively
    }

    @Test
    void directoryWithoutStartTlsIsRefusedAndNoPasswordIsSentInPlain() throws Exception {
        server = directory(List.of(plain()), accessLog);
        ldap = new LdapAuthenticator(config(LdapTransport.START_TLS, server.getListenPort(), tls.client).build());
        assertRejected(() -> ldap.authenticate("alice", "alice-pw-correct".toCharArray()), LdapRejected.Reason.TLS_NOT_ESTABLISHED);
        assertThat(accessLog).anyMatch(m -> m.contains("EXTENDED REQUEST"));
        assertThat(accessLog).noneMatch(m -> m.contains(" BIND REQUEST") || m.contains(" SEARCH REQUEST"));
    }

    @Test
    void ldapsClientAgainstPlainDirectoryIsRefused() throws Exception {
        server = directory(List.of(plain()), accessLog);
        ldap = new LdapAuthenticator(config(LdapTransport.LDAPS, server.getListenPort(), tls.client).build());
        assertRejected(() -> ldap.authenticate("alice", "alice-pw-correct".toCharArray()), LdapRejected.Reason.TLS_NOT_ESTABLISHED);
        assertThat(accessLog).noneMatch(m -> m.contains(" BIND REQUEST"));
    }

    @Test
    void untrustedDirectoryCertificateIsRefused() throws Exception {
        overLdaps(config(LdapTransport.LDAPS, 1, TestTls.loopback().client));
        assertRejected(() -> ldap.authenticate("alice", "alice-pw-correct".toCharArray()), LdapRejected.Reason.TLS_NOT_ESTABLISHED);
    }

    @Test
    void certificateForAnotherHostIsRefused() throws Exception {
        TestTls otherHost = TestTls.forNames("ldap.invalid");
        server = directory(List.of(ldaps(otherHost)), accessLog);
        ldap = new LdapAuthenticator(config(LdapTransport.LDAPS, server.getListenPort(), otherHost.client).build());
        assertRejected(() -> ldap.authenticate("alice", "alice-pw-correct".toCharArray()), LdapRejected.Reason.TLS_NOT_ESTABLISHED);
        assertThat(accessLog).noneMatch(m -> m.contains(" BIND REQUEST"));
    }

    @Test
    void certificateForAnotherHostIsRefusedOverStartTlsToo() throws Exception {
        TestTls otherHost = TestTls.forNames("ldap.invalid");
        server = directory(List.of(startTls(otherHost)), accessLog);
        ldap = new LdapAuthenticator(config(LdapTransport.START_TLS, server.getListenPort(), otherHost.client).build());
        assertRejected(() -> ldap.authenticate("alice", "alice-pw-correct".toCharArray()), LdapRejected.Reason.TLS_NOT_ESTABLISHED);
        assertThat(accessLog).noneMatch(m -> m.contains(" BIND REQUEST"));
    }

    @Test
    void wrongServiceAccountPasswordIsReported() throws Exception {
        overLdaps(ldapsConfig().serviceAccount(SVC_DN, () -> SecretValue.of("not-the-service-password")));
        assertRejected(() -> ldap.authenticate("alice", "alice-pw-correct".toCharArray()), LdapRejected.Reason.SERVICE_ACCOUNT_REJECTED);
    }

    @Test
    void unreachableDirectoryIsUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        ldap = new LdapAuthenticator(config(LdapTransport.LDAPS, port, tls.client).build());
        assertRejected(() -> ldap.authenticate("alice", "alice-pw-correct".toCharArray()), LdapRejected.Reason.DIRECTORY_UNAVAILABLE);
    }

    @Test
    void unacceptableUsernamesAreRefusedBeforeTheDirectoryIsAsked() throws Exception {
        overLdaps(ldapsConfig());
        for (String u : new String[]{"", " ", " alice", "alice ", "al\u0000ice", "a\nb", "x".repeat(257), "\ud800"}) {
            assertRejected(() -> ldap.authenticate(u, "alice-pw-correct".toCharArray()), LdapRejected.Reason.INVALID_USERNAME);
        }
        assertRejected(() -> ldap.authenticate(null, "pw".toCharArray()), LdapRejected.Reason.INVALID_USERNAME);
    }

    @Test
    void unsafeConfigurationsAreRefusedAtBuildTime() {
        assertThatThrownBy(() -> config(null, 636, tls.client)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> LdapDirectory.builder().workspaceId("w").host("h").serviceAccount(SVC_DN, () -> SecretValue.of("x"))
                .userSearchBase(BASE).mapGroup(ADMINS, "admin").build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ldapsConfig().userFilter("(uid=alice)").build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ldapsConfig().userFilter("(uid={username}").build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ldapsConfig().defaultRole("owner")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ldapsConfig().build().toString()).doesNotContain(SVC_PW);
    }
}
