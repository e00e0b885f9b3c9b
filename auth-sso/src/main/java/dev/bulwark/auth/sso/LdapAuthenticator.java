package dev.bulwark.auth.sso;

import com.unboundid.ldap.sdk.BindResult;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * LDAP bind authentication for one workspace's directory: over LDAPS or StartTLS only (a directory without TLS is
 * refused, never used in plain), with the directory certificate's host name verified. A service account finds the
 * user by an escaped filter, the user's own password is checked by a simple bind on a pooled connection (which then
 * reverts to the service account), and the user's groups are mapped to workspace roles.
 *
 * <pre>{@code
 * try (LdapAuthenticator ldap = new LdapAuthenticator(directory)) {
 *     LdapIdentity who = ldap.authenticate("alice", passwordChars);
 * }
 * }</pre>
 */
public final class LdapAuthenticator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LdapAuthenticator.class);
    static final int MAX_USERNAME_LENGTH = 256;
    static final int MAX_PASSWORD_LENGTH = 1024;

    private final LdapDirectory dir;
    private LDAPConnectionPool pool;
    private boolean closed;

    public LdapAuthenticator(LdapDirectory directory) {
        this.dir = Objects.requireNonNull(directory, "directory");
    }

    /**
     * Checks a username and password against the directory. The caller still owns lockout and rate limits (run them
     * before calling, keyed by workspace + username and by client address).
     *
     * @param password the password; not kept, and the encoded copy made for the bind is wiped afterwards
     */
    public LdapIdentity authenticate(String username, char[] password) throws LdapRejected {
        checkUsername(username);
        // An empty password would be an "unauthenticated bind", which many directories report as success.
        if (password == null || password.length == 0 || password.length > MAX_PASSWORD_LENGTH) {
            throw new LdapRejected(LdapRejected.Reason.INVALID_CREDENTIALS);
        }
        LDAPConnectionPool p = pool();
        SearchResultEntry user = findUser(p, username);
        byte[] pw = utf8(password);
        try {
            BindResult r = p.bindAndRevertAuthentication(new SimpleBindRequest(user.getDN(), pw));
            if (r.getResultCode() != ResultCode.SUCCESS) throw new LdapRejected(LdapRejected.Reason.INVALID_CREDENTIALS);
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
                throw new LdapRejected(LdapRejected.Reason.INVALID_CREDENTIALS);
            }
            throw classify(e, LdapRejected.Reason.DIRECTORY_ERROR);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
        Set<String> groups = groups(p, user);
        Set<String> roles = new TreeSet<>();
        for (String g : groups) {
            try {
                String role = dir.groupRoles.get(new DN(g));
                if (role != null) roles.add(role);
            } catch (LDAPException ignored) {
                // a value that is not a DN maps to nothing
            }
        }
        if (roles.isEmpty()) {
            if (dir.defaultRole == null) throw new LdapRejected(LdapRejected.Reason.NO_MAPPED_GROUP);
            roles.add(dir.defaultRole);
        }
        String email = dir.emailAttribute == null ? null : user.getAttributeValue(dir.emailAttribute);
        return new LdapIdentity(dir.workspaceId, username, user.getDN(),
                email == null ? null : email.toLowerCase(Locale.ROOT), groups, roles);
    }

    private SearchResultEntry findUser(LDAPConnectionPool p, String username) throws LdapRejected {
        Filter filter;
        try {
            filter = Filter.create(dir.userFilter.replace(LdapDirectory.USERNAME, Filter.encodeValue(username)));
        } catch (LDAPException e) {
            throw new LdapRejected(LdapRejected.Reason.INVALID_USERNAME);
        }
        try {
            SearchRequest req = new SearchRequest(dir.userBase, SearchScope.SUB, filter,
                    dir.emailAttribute, dir.groupAttribute);
            req.setSizeLimit(2);
            req.setTimeLimitSeconds((int) Math.max(1, dir.responseTimeout.toSeconds()));
            SearchResult result = p.search(req);
            if (result.getEntryCount() == 0) throw new LdapRejected(LdapRejected.Reason.INVALID_CREDENTIALS);
            if (result.getEntryCount() > 1) throw new LdapRejected(LdapRejected.Reason.AMBIGUOUS_USER);
            return result.getSearchEntries().get(0);
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) throw new LdapRejected(LdapRejected.Reason.AMBIGUOUS_USER);
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) throw new LdapRejected(LdapRejected.Reason.INVALID_CREDENTIALS);
            throw classify(e, LdapRejected.Reason.DIRECTORY_ERROR);
        } catch (LDAPException e) {
            throw classify(e, LdapRejected.Reason.DIRECTORY_ERROR);
        }
    }

    private Set<String> groups(LDAPConnectionPool p, SearchResultEntry user) throws LdapRejected {
        Set<String> out = new TreeSet<>();
        if (dir.groupBase == null) {
            String[] values = user.getAttributeValues(dir.groupAttribute);
            if (values != null) out.addAll(Arrays.asList(values));
            return out;
        }
        try {
            Filter f = Filter.create(dir.groupFilter.replace(LdapDirectory.USER_DN, Filter.encodeValue(user.getDN())));
            SearchRequest req = new SearchRequest(dir.groupBase, SearchScope.SUB, f, "1.1");
            req.setSizeLimit(1000);
            for (SearchResultEntry e : p.search(req).getSearchEntries()) out.add(e.getDN());
            return out;
        } catch (LDAPException e) {
            throw classify(e, LdapRejected.Reason.DIRECTORY_ERROR);
        }
    }

    /** The connection pool, created on first use with one connection that proves TLS and the service account. */
    private synchronized LDAPConnectionPool pool() throws LdapRejected {
        if (closed) throw new LdapRejected(LdapRejected.Reason.DIRECTORY_UNAVAILABLE, "the authenticator is closed");
        if (pool != null) return pool;
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis((int) dir.connectTimeout.toMillis());
        options.setResponseTimeoutMillis(dir.responseTimeout.toMillis());
        options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
        options.setFollowReferrals(false);
        LDAPConnection c = null;
        try {
            PostConnectProcessor startTls = null;
            if (dir.transport == LdapTransport.LDAPS) {
                c = new LDAPConnection(tlsFactory(), options);
                c.connect(dir.host, dir.port);
            } else {
                c = new LDAPConnection(options);
                c.connect(dir.host, dir.port);
                startTls(c);
                startTls = new StartTLSPostConnectProcessor(tlsFactory());
            }
            SecretValue secret = Objects.requireNonNull(dir.servicePassword.get(), "service account password");
            try {
                c.bind(dir.serviceDn, secret.reveal());
            } catch (LDAPException e) {
                if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
                    throw new LdapRejected(LdapRejected.Reason.SERVICE_ACCOUNT_REJECTED);
                }
                throw e;
            }
            LDAPConnectionPool created = new LDAPConnectionPool(c, 1, dir.maxConnections, startTls);
            created.setRetryFailedOperationsDueToInvalidConnections(true);
            pool = created;
            c = null;
            return pool;
        } catch (LDAPException e) {
            throw classify(e, LdapRejected.Reason.DIRECTORY_UNAVAILABLE);
        } catch (RuntimeException e) {
            log.warn("LDAP connection to workspace {} directory failed: {}", dir.workspaceId, e.getClass().getSimpleName());
            throw new LdapRejected(LdapRejected.Reason.DIRECTORY_UNAVAILABLE);
        } finally {
            if (c != null) c.close();
        }
    }

    private HostCheckingSocketFactory tlsFactory() {
        return new HostCheckingSocketFactory(dir.sslContext.getSocketFactory());
    }

    private void startTls(LDAPConnection c) throws LdapRejected {
        try {
            ExtendedResult r = c.processExtendedOperation(new StartTLSExtendedRequest(tlsFactory()));
            if (r.getResultCode() != ResultCode.SUCCESS) {
                throw new LdapRejected(LdapRejected.Reason.TLS_NOT_ESTABLISHED,
                        "the directory does not offer StartTLS (" + r.getResultCode().getName() + "); plain LDAP is refused");
            }
        } catch (LDAPException e) {
            throw new LdapRejected(LdapRejected.Reason.TLS_NOT_ESTABLISHED,
                    "StartTLS failed (" + e.getResultCode().getName() + "); plain LDAP is refused");
        }
    }

    private LdapRejected classify(LDAPException e, LdapRejected.Reason fallback) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) return new LdapRejected(LdapRejected.Reason.TLS_NOT_ESTABLISHED);
        }
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("ssl") || m.contains("tls") || m.contains("certificate") || m.contains("hostname")) {
            return new LdapRejected(LdapRejected.Reason.TLS_NOT_ESTABLISHED);
        }
        ResultCode rc = e.getResultCode();
        if (rc == ResultCode.CONNECT_ERROR || rc == ResultCode.SERVER_DOWN || rc == ResultCode.TIMEOUT
                || rc == ResultCode.UNAVAILABLE) {
            return new LdapRejected(LdapRejected.Reason.DIRECTORY_UNAVAILABLE);
        }
        log.warn("LDAP error from workspace {} directory: {}", dir.workspaceId, rc.getName());
        return new LdapRejected(fallback, fallback.description() + " (" + rc.getName() + ")");
    }

    private static void checkUsername(String username) throws LdapRejected {
        if (username == null || username.isEmpty() || username.length() > MAX_USERNAME_LENGTH
                || username.isBlank() || !username.equals(username.strip())) {
            throw new LdapRejected(LdapRejected.Reason.INVALID_USERNAME);
        }
        for (int i = 0; i < username.length(); i++) {
            char c = username.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c) && !validSurrogateAt(username, i)) {
                throw new LdapRejected(LdapRejected.Reason.INVALID_USERNAME);
            }
        }
    }

    private static boolean validSurrogateAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        if (b.hasArray()) Arrays.fill(b.array(), (byte) 0);
        return out;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (pool != null) pool.close();
        pool = null;
    }

    @Override
    public String toString() {
        return "LdapAuthenticator[" + dir + "]";
    }
}
