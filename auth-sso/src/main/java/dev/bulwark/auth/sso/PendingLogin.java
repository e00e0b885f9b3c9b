package dev.bulwark.auth.sso;

import java.time.Instant;
import java.util.Objects;

/**
 * A started, not yet completed OIDC sign-in, as a {@link LoginAttemptStore} keeps it until the callback (or expiry).
 *
 * @param stateHash      base64url SHA-256 of the {@code state} value sent to the provider (the lookup key; the
 *                       state itself is not stored)
 * @param workspaceId    the workspace whose provider the attempt went to
 * @param bindingHash    base64url SHA-256 of the browser-binding cookie value
 * @param nonce          the nonce the ID token must carry
 * @param codeVerifier   the PKCE code verifier
 * @param redirectUri    the redirect URI used in the authorization request (repeated in the token request)
 * @param expiresAt      when the attempt stops being accepted
 */
public record PendingLogin(String stateHash, String workspaceId, String bindingHash, String nonce, String codeVerifier,
                           String redirectUri, Instant expiresAt) {
    public PendingLogin {
        Objects.requireNonNull(stateHash, "stateHash");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(bindingHash, "bindingHash");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(codeVerifier, "codeVerifier");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "PendingLogin[workspace=" + workspaceId + ", expires=" + expiresAt + ", nonce/verifier redacted]";
    }
}
