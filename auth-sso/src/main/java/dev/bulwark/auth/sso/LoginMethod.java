package dev.bulwark.auth.sso;

/** How a member is trying to sign in. */
public enum LoginMethod {
    /** The workspace's own password login (auth-guard). */
    PASSWORD,
    /** The workspace's OpenID Connect provider ({@link OidcSignIn}). */
    OIDC,
    /** The workspace's LDAP directory ({@link LdapAuthenticator}). */
    LDAP;

    /** Whether this is single sign-on through the organisation's identity system. */
    public boolean isSso() {
        return this != PASSWORD;
    }
}
