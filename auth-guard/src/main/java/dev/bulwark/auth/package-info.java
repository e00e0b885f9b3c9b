/**
 * Account protection for service businesses: password hashing ({@link dev.bulwark.auth.password}), login
 * lockout and rate limits ({@link dev.bulwark.auth.login}, {@link dev.bulwark.auth.ratelimit}), sessions,
 * TOTP MFA, WebAuthn security keys ({@link dev.bulwark.auth.webauthn}), API keys, IP allowlists and security events. Framework-neutral; SLF4J is the only logging API.
 */
package dev.bulwark.auth;
