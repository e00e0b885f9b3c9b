/**
 * Enterprise sign-in for Bulwark: per-workspace OpenID Connect single sign-on ({@link dev.bulwark.auth.sso.OidcSignIn}),
 * LDAP bind authentication over TLS ({@link dev.bulwark.auth.sso.LdapAuthenticator}) and the "require SSO"
 * enforcement policy ({@link dev.bulwark.auth.sso.SsoPolicy}). Framework-neutral: no HTTP server types.
 */
package dev.bulwark.auth.sso;
