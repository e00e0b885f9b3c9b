package dev.bulwark.app.platform;

/**
 * Who is calling: a signed-in user (session) or an API key acting for its creator inside one workspace.
 * Holds no token.
 */
public record Principal(String userId, String email, String name, boolean emailVerified, boolean mfaEnabled,
                        String sessionId, String apiKeyId, String apiKeyWorkspace, boolean apiKeyWrites) {

    /** Re-authentication time is not carried here: the few routes that need it read it ({@code users().reauthAt}). */
    public static Principal session(String userId, String email, String name, boolean verified, boolean mfa, String sessionId) {
        return new Principal(userId, email, name, verified, mfa, sessionId, null, null, false);
    }

    public static Principal apiKey(String memberId, String keyId, String workspaceId, boolean writes) {
        return new Principal(memberId, null, null, true, false, null, keyId, workspaceId, writes);
    }

    public boolean viaApiKey() {
        return apiKeyId != null;
    }
}
