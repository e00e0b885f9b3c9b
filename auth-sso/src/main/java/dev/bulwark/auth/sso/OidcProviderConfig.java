package dev.bulwark.auth.sso;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One workspace's OpenID Connect provider: issuer, client id, redirect URI, allowed e-mail domains and the
 * optional just-in-time membership. The client secret is not part of it: it comes from a
 * {@link ClientSecretSource} at exchange time, so the configuration can be read, cached and logged freely.
 *
 * <p>Secure defaults, none of which can be switched off: the issuer and redirect URI must be {@code https}
 * (the only exception is a loopback redirect URI for native/dev callbacks, never an issuer); at least one allowed
 * e-mail domain; just-in-time membership off unless a default role is given, and never as owner.
 */
public final class OidcProviderConfig {
    private static final Pattern DOMAIN = Pattern.compile("^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,62}$");

    private final String workspaceId;
    private final URI issuer;
    private final String clientId;
    private final URI redirectUri;
    private final Set<String> allowedEmailDomains;
    private final String justInTimeRole;

    private OidcProviderConfig(Builder b) {
        this.workspaceId = b.workspaceId;
        this.issuer = b.issuer;
        this.clientId = b.clientId;
        this.redirectUri = b.redirectUri;
        this.allowedEmailDomains = Set.copyOf(b.domains);
        this.justInTimeRole = b.justInTimeRole;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String workspaceId() {
        return workspaceId;
    }

    /** The issuer identifier; discovery must report exactly this value and every ID token must carry it. */
    public URI issuer() {
        return issuer;
    }

    public String clientId() {
        return clientId;
    }

    public URI redirectUri() {
        return redirectUri;
    }

    /** Lower-case domains whose addresses may sign in (exact match; list subdomains explicitly). */
    public Set<String> allowedEmailDomains() {
        return allowedEmailDomains;
    }

    /** The role given to a first-time user, if just-in-time membership is enabled. */
    public Optional<String> justInTimeRole() {
        return Optional.ofNullable(justInTimeRole);
    }

    @Override
    public String toString() {
        return "OidcProviderConfig[workspace=" + workspaceId + ", issuer=" + issuer + ", clientId=" + clientId
                + ", domains=" + new TreeSet<>(allowedEmailDomains) + ", jit=" + (justInTimeRole == null ? "off" : justInTimeRole) + "]";
    }

    /** Builds an {@link OidcProviderConfig}; {@link #build()} refuses anything insecure or incomplete. */
    public static final class Builder {
        private String workspaceId;
        private URI issuer;
        private String clientId;
        private URI redirectUri;
        private final Set<String> domains = new TreeSet<>();
        private String justInTimeRole;

        private Builder() {}

        public Builder workspaceId(String workspaceId) {
            this.workspaceId = workspaceId;
            return this;
        }

        public Builder issuer(String issuer) {
            this.issuer = URI.create(Objects.requireNonNull(issuer, "issuer"));
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder redirectUri(String redirectUri) {
            this.redirectUri = URI.create(Objects.requireNonNull(redirectUri, "redirectUri"));
            return this;
        }

        /** Adds an allowed e-mail domain, e.g. {@code example.com} (exact match, case-insensitive). */
        public Builder allowEmailDomain(String domain) {
            Objects.requireNonNull(domain, "domain");
            String d = domain.trim().toLowerCase(Locale.ROOT);
            if (!DOMAIN.matcher(d).matches()) throw new IllegalArgumentException("not a domain name: " + domain);
            domains.add(d);
            return this;
        }

        /**
         * Enables just-in-time membership: a verified address from an allowed domain with no membership yet becomes
         * a member with this role. The owner role cannot be granted this way.
         */
        public Builder justInTimeMembership(String defaultRole) {
            Objects.requireNonNull(defaultRole, "defaultRole");
            if (defaultRole.isBlank()) throw new IllegalArgumentException("the default role may not be blank");
            if (defaultRole.trim().equalsIgnoreCase("owner")) {
                throw new IllegalArgumentException("just-in-time membership cannot grant the owner role");
            }
            this.justInTimeRole = defaultRole;
            return this;
        }

        public OidcProviderConfig build() {
            if (workspaceId == null || workspaceId.isBlank()) throw new IllegalStateException("workspaceId is required");
            if (issuer == null) throw new IllegalStateException("issuer is required");
            if (!"https".equalsIgnoreCase(issuer.getScheme()) || issuer.getHost() == null
                    || issuer.getRawQuery() != null || issuer.getRawFragment() != null || issuer.getRawUserInfo() != null) {
                throw new IllegalStateException("the issuer must be an https URL without query, fragment or user info");
            }
            if (clientId == null || clientId.isBlank()) throw new IllegalStateException("clientId is required");
            if (redirectUri == null) throw new IllegalStateException("redirectUri is required");
            boolean loopback = "http".equalsIgnoreCase(redirectUri.getScheme())
                    && ("127.0.0.1".equals(redirectUri.getHost()) || "[::1]".equals(redirectUri.getHost()));
            if (!("https".equalsIgnoreCase(redirectUri.getScheme()) || loopback) || redirectUri.getHost() == null
                    || redirectUri.getRawFragment() != null) {
                throw new IllegalStateException("the redirect URI must be https (or http on a loopback address) without fragment");
            }
            if (domains.isEmpty()) {
                throw new IllegalStateException("at least one allowed e-mail domain is required: multi-tenant identity providers"
                        + " would otherwise let any of their users in");
            }
            return new OidcProviderConfig(this);
        }
    }
}
