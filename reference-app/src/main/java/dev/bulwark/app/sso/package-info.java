/**
 * Enterprise sign-in for the reference app (issue 12), built on auth-sso.
 *
 * <ul>
 *   <li><b>Settings</b> ({@code /w/{ws}/settings/sso}, {@code GET/PUT /api/v1/workspaces/{ws}/settings/sso}): owner/admin
 *       only (WORKSPACE_SETTINGS_MANAGE), recent re-authentication (password/TOTP proof, or an SSO sign-in to this
 *       workspace, within BULWARK_REAUTH_WINDOW), audited as {@code sso.settings_changed}. OIDC issuer / client id /
 *       client secret / allowed domains / just-in-time role; LDAP host / port / LDAPS|StartTLS / bind DN / service
 *       password / user base and filter / group → role lines / default role; optional CA certificate (PEM) that then
 *       replaces the public CAs; "require SSO" and owner break-glass. Secrets are core-crypto ciphertext under the
 *       connection-credentials keyset bound to (workspace, app_sso_settings, oidc_client_secret|ldap_service_password,
 *       workspace id) and are never returned. Saving "require SSO" is refused when it would lock the saver out, and
 *       signs out members' password sessions that may no longer enter.</li>
 *   <li><b>Sign-in</b> ({@code /sso} → {@code /sso/{ws}}): OIDC begin (303 to the provider, {@code __Host-bw_sso}
 *       binding cookie) and callback ({@code /sso/{ws}/callback}); LDAP form and {@code POST /api/v1/sso/{ws}/ldap}.
 *       Every attempt passes per-address and per-account rate limits (the app's numbers), LDAP failures count toward
 *       the app's lockout policy, identities are pinned per member (issuer+sub, or DN), and success creates a session
 *       exactly like the password login (rotated id, {@code __Host-bw_session}) that is <em>bound to this
 *       workspace</em> and does not count as re-authentication for account changes: one workspace's provider never
 *       vouches for the account's other workspaces or its e-mail / MFA. Audit: {@code sso.login.succeeded},
 *       {@code sso.login.failed} (reason, suspicious), {@code sso.member_provisioned}, {@code sso.ldap_locked}.</li>
 *   <li><b>Enforcement</b> ({@link dev.bulwark.app.sso.SsoEnforcement}): password login of a member whose every
 *       workspace requires SSO is refused before the password is compared; owners keep break-glass with password +
 *       TOTP (audited {@code sso.break_glass}, suspicious); the workspace guard refuses password sessions in a
 *       require-SSO workspace unless the policy allows them, and SSO sessions in any other workspace (404).</li>
 *   <li><b>Storage</b>: V300 (app_sso_settings, app_sso_identities — workspace tables under RLS on PostgreSQL via V301 —
 *       and app_sso_sessions), V301 (auth-sso's {@code bulwark_sso_login_attempt}, shared by every node).</li>
 * </ul>
 */
package dev.bulwark.app.sso;
