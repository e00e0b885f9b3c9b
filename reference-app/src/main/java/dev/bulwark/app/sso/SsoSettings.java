package dev.bulwark.app.sso;

import java.util.List;
import java.util.Optional;

/**
 * A workspace's single sign-on configuration (table app_sso_settings). Secrets are held only as core-crypto
 * ciphertext here; {@link #toString()} prints neither them nor the CA certificate.
 *
 * @param requireSso      password login is impossible for members (owners keep break-glass with MFA if allowed)
 * @param ownerBreakGlass owners may still use password + MFA while SSO is required
 * @param oidc            the OpenID Connect provider, if configured
 * @param ldap            the LDAP directory, if configured
 * @param tlsCaPem        optional PEM CA certificate(s): when set, the provider's / directory's certificate must chain to
 *                        them instead of the JVM's public CAs (company CAs)
 */
public record SsoSettings(boolean requireSso, boolean ownerBreakGlass, Optional<Oidc> oidc, Optional<Ldap> ldap,
                          Optional<String> tlsCaPem, long updatedAtMs) {
    public static final SsoSettings DEFAULTS = new SsoSettings(false, true, Optional.empty(), Optional.empty(), Optional.empty(), 0);

    /** OIDC provider: issuer, client id, encrypted client secret, allowed e-mail domains, optional just-in-time role. */
    public record Oidc(String issuer, String clientId, String clientSecretEnc, List<String> allowedDomains, Optional<String> jitRole) {
        @Override
        public String toString() {
            return "Oidc[" + issuer + ", client " + clientId + ", secret=redacted]";
        }
    }

    /** LDAP directory: host, port, LDAPS / STARTTLS, service account, user search, group → role mapping. */
    public record Ldap(String host, int port, String transport, String bindDn, String servicePasswordEnc, String userBase,
                       String userFilter, List<GroupRole> groupRoles, Optional<String> defaultRole) {
        @Override
        public String toString() {
            return "Ldap[" + transport + " " + host + ":" + port + ", password=redacted]";
        }
    }

    /** Members of {@code groupDn} get {@code role} (a tenancy role name, lower case, never owner). */
    public record GroupRole(String role, String groupDn) {}

    public boolean configured() {
        return oidc.isPresent() || ldap.isPresent();
    }

    @Override
    public String toString() {
        return "SsoSettings[requireSso=" + requireSso + ", breakGlass=" + ownerBreakGlass + ", oidc=" + oidc.isPresent()
                + ", ldap=" + ldap.isPresent() + "]";
    }
}
