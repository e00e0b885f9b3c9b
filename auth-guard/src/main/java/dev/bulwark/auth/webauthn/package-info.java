/**
 * WebAuthn / FIDO2 security keys as a second factor: {@link dev.bulwark.auth.webauthn.WebAuthnRelyingParty} runs
 * the registration and authentication ceremonies (on webauthn4j) with single-use challenges bound to user and
 * ceremony, origin and relying-party checks, and a clone-detecting signature counter; failures are typed
 * {@link dev.bulwark.auth.webauthn.WebAuthnRejected}.
 */
package dev.bulwark.auth.webauthn;
