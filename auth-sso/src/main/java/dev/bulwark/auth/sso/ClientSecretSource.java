package dev.bulwark.auth.sso;

/**
 * Supplies a workspace's OIDC client secret at the moment the authorization code is exchanged. Asked on every
 * exchange and never cached by this module, so the application can keep the secret encrypted (e.g. under
 * core-crypto's connection-credentials keyset) and decrypt it only for that call.
 */
@FunctionalInterface
public interface ClientSecretSource {
    /**
     * @param workspaceId the workspace whose provider is being called
     * @param clientId    the client id configured for it
     * @return the client secret
     * @throws RuntimeException if it cannot be obtained; the login is then refused as
     *                          {@link SsoRejected.Reason#TOKEN_EXCHANGE_FAILED}
     */
    SecretValue clientSecret(String workspaceId, String clientId);
}
