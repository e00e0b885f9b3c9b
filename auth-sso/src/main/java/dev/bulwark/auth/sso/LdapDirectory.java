package dev.bulwark.auth.sso;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;

import javax.net.ssl.SSLContext;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One workspace's LDAP directory: where it is, how TLS is done (LDAPS or StartTLS, never plain), the service account
 * that searches for users, the user filter, and the group-to-role mapping. The service-account password comes from
 * a supplier each time a connection is opened, so the application can keep it encrypted.
 */
public final class LdapDirectory {
    /** Placeholder in the user filter, replaced by the RFC 4515-escaped username. */
    public static final String USERNAME = "{username}";
    /** Placeholder in the group filter, replaced by the RFC 4515-escaped user DN. */
    public static final String USER_DN = "{dn}";

    final String workspaceId;
    final String host;
    final int port;
    final LdapTransport transport;
    final SSLContext sslContext;
    final String serviceDn;
    final Supplier<SecretValue> servicePassword;
    final String userBase;
    final String userFilter;
    final String emailAttribute;
    final String groupBase;
    final String groupFilter;
    final String groupAttribute;
    final Map<DN, String> groupRoles;
    final String defaultRole;
    final Duration connectTimeout;
    final Duration responseTimeout;
    final int maxConnections;

    private LdapDirectory(Builder b) {
        this.workspaceId = b.workspaceId;
        this.host = b.host;
        this.port = b.port > 0 ? b.port : (b.transport == LdapTransport.LDAPS ? 636 : 389);
        this.transport = b.transport;
        this.sslContext = b.sslContext;
        this.serviceDn = b.serviceDn;
        this.servicePassword = b.servicePassword;
        this.userBase = b.userBase;
        this.userFilter = b.userFilter;
        this.emailAttribute = b.emailAttribute;
        this.groupBase = b.groupBase;
        this.groupFilter = b.groupFilter;
        this.groupAttribute = b.groupAttribute;
        this.groupRoles = Map.copyOf(b.groupRoles);
        this.defaultRole = b.defaultRole;
        this.connectTimeout = b.connectTimeout;
        this.responseTimeout = b.responseTimeout;
        this.maxConnections = b.maxConnections;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String workspaceId() {
        return workspaceId;
    }

    public LdapTransport transport() {
        return transport;
    }

    public Optional<String> defaultRole() {
        return Optional.ofNullable(defaultRole);
    }

    @Override
    public String toString() {
        return "LdapDirectory[workspace=" + workspaceId + ", " + transport + " " + host + ":" + port + ", serviceDn="
                + serviceDn + ", password=redacted]";
    }

    /** Builds an {@link LdapDirectory}; {@link #build()} refuses incomplete or unsafe settings. */
    public static final class Builder {
        private String workspaceId;
        private String host;
        private int port;
        private LdapTransport transport;
        private SSLContext sslContext;
        private String serviceDn;
        private Supplier<SecretValue> servicePassword;
        private String userBase;
        private String userFilter = "(&(objectClass=person)(uid=" + USERNAME + "))";
        private String emailAttribute = "mail";
        private String groupBase;
        private String groupFilter = "(member=" + USER_DN + ")";
        private String groupAttribute = "memberOf";
        private final Map<DN, String> groupRoles = new LinkedHashMap<>();
        private String defaultRole;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration responseTimeout = Duration.ofSeconds(10);
        private int maxConnections = 4;

        private Builder() {}

        public Builder workspaceId(String workspaceId) {
            this.workspaceId = workspaceId;
            return this;
        }

        /** Host name of the directory; it must match the directory certificate (host names are verified). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Port; default 636 for LDAPS, 389 for StartTLS. */
        public Builder port(int port) {
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range");
            this.port = port;
            return this;
        }

        public Builder transport(LdapTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** Trust material for the directory's certificate (e.g. the company CA). Default: the JVM's default context. */
        public Builder tls(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            return this;
        }

        /** The account that searches for users; its password is asked for whenever a connection is opened. */
        public Builder serviceAccount(String bindDn, Supplier<SecretValue> password) {
            this.serviceDn = Objects.requireNonNull(bindDn, "bindDn");
            this.servicePassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Subtree below which users are searched, e.g. {@code ou=people,dc=example,dc=com}. */
        public Builder userSearchBase(String base) {
            this.userBase = Objects.requireNonNull(base, "base");
            return this;
        }

        /**
         * Filter that finds one user, with {@value #USERNAME} where the (escaped) username goes. Default
         * {@code (&(objectClass=person)(uid={username}))}; Active Directory: {@code (&(objectClass=user)(sAMAccountName={username}))}.
         */
        public Builder userFilter(String filter) {
            this.userFilter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        public Builder emailAttribute(String attribute) {
            this.emailAttribute = Objects.requireNonNull(attribute, "attribute");
            return this;
        }

        /**
         * Finds groups by searching below {@code base} with {@code filter} ({@value #USER_DN} = the user's escaped DN),
         * e.g. {@code (member={dn})} for groupOfNames. Without this, group DNs are read from the user entry's
         * {@code memberOf} attribute.
         */
        public Builder groupSearch(String base, String filter) {
            this.groupBase = Objects.requireNonNull(base, "base");
            this.groupFilter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /** Attribute of the user entry that lists group DNs when no group search is configured. Default memberOf. */
        public Builder groupAttribute(String attribute) {
            this.groupAttribute = Objects.requireNonNull(attribute, "attribute");
            return this;
        }

        /** Members of the group with this DN get this workspace role (DNs compared in normalized form). */
        public Builder mapGroup(String groupDn, String role) {
            Objects.requireNonNull(role, "role");
            if (role.isBlank()) throw new IllegalArgumentException("role may not be blank");
            try {
                groupRoles.put(new DN(groupDn), role);
            } catch (LDAPException e) {
                throw new IllegalArgumentException("not a DN: " + groupDn);
            }
            return this;
        }

        /** Role for authenticated users in no mapped group. Default: none, such users are refused. Never owner. */
        public Builder defaultRole(String role) {
            Objects.requireNonNull(role, "role");
            if (role.isBlank() || role.trim().equalsIgnoreCase("owner")) {
                throw new IllegalArgumentException("the default role may not be blank or owner");
            }
            this.defaultRole = role;
            return this;
        }

        public Builder timeouts(Duration connect, Duration response) {
            if (connect.isNegative() || connect.isZero() || response.isNegative() || response.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            this.connectTimeout = connect;
            this.responseTimeout = response;
            return this;
        }

        public Builder maxConnections(int max) {
            if (max < 1 || max > 64) throw new IllegalArgumentException("maxConnections must be 1..64");
            this.maxConnections = max;
            return this;
        }

        public LdapDirectory build() {
            if (workspaceId == null || workspaceId.isBlank()) throw new IllegalStateException("workspaceId is required");
            if (host == null || host.isBlank()) throw new IllegalStateException("host is required");
            if (transport == null) throw new IllegalStateException("transport (LDAPS or START_TLS) is required");
            if (serviceDn == null) throw new IllegalStateException("serviceAccount(...) is required");
            if (userBase == null) throw new IllegalStateException("userSearchBase(...) is required");
            checkTemplate(userFilter, USERNAME, "user filter");
            if (groupBase != null) checkTemplate(groupFilter, USER_DN, "group filter");
            if (groupRoles.isEmpty() && defaultRole == null) {
                throw new IllegalStateException("map at least one group to a role (mapGroup) or set a default role");
            }
            if (sslContext == null) {
                try {
                    sslContext = SSLContext.getDefault();
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("no default TLS context", e);
                }
            }
            return new LdapDirectory(this);
        }

        private static void checkTemplate(String template, String placeholder, String what) {
            if (!template.contains(placeholder)) {
                throw new IllegalStateException("the " + what + " must contain " + placeholder);
            }
            try {
                Filter.create(template.replace(placeholder, Filter.encodeValue("x")));
            } catch (LDAPException e) {
                throw new IllegalStateException("the " + what + " is not a valid LDAP filter");
            }
        }
    }
}
