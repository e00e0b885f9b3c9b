package dev.bulwark.app.platform;

import java.time.Instant;

/**
 * Who is calling: a signed-in user (session) or an API key acting for its creator inside one workspace.
 * Holds no token.
 */
public record Principal(String userId, String email, String name, boolean emailVerified, boolean mfaEnabled,
                        String sessionId, Instant reauthAt, String apiKeyId, String apiKeyWorkspace, boolean apiKeyWrites) {

    public static Principal session(String userId, String email, String name, boolean verified, boolean mfa, String sessionId, Instant reauthAt) {
        return new Principal(userId, email, name, verified, mfa, sessionId, reauthAt, null, null, false);
    }

    public static Principal apiKey(String memberId, String keyId, String workspaceId, boolean writes) {
        return new Principal(memberId, null, null, true, false, null, null, keyId, workspaceId, writes);
    }

    public boolean viaApiKey() {
        return apiKeyId != null;
    }
}
