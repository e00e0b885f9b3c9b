package dev.bulwark.audit;

import java.util.regex.Pattern;

/**
 * Which hash chain an event belongs to: one per workspace (team-level audit log) and one for the platform
 * (administrator-level events). Stored as {@code ws:<id>} or {@code platform}, so no workspace id can collide with the
 * platform chain.
 */
public record ChainId(String value) {
    private static final Pattern WORKSPACE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    public static final ChainId PLATFORM = new ChainId("platform");

    public ChainId {
        if (value == null || !(value.equals("platform") || (value.startsWith("ws:") && WORKSPACE.matcher(value.substring(3)).matches()))) {
            throw new AuditException(AuditException.Reason.INVALID_EVENT, "chain id must be 'platform' or 'ws:' + a workspace id");
        }
    }

    public static ChainId workspace(String workspaceId) {
        if (workspaceId == null || !WORKSPACE.matcher(workspaceId).matches()) {
            throw new AuditException(AuditException.Reason.INVALID_EVENT, "workspace id must be 1-64 characters of A-Z a-z 0-9 _ -");
        }
        return new ChainId("ws:" + workspaceId);
    }

    /** Parses a stored/exported chain id; {@code null} if malformed. */
    static ChainId parse(String value) {
        try {
            return new ChainId(value);
        } catch (AuditException e) {
            return null;
        }
    }

    public boolean isPlatform() {
        return value.equals("platform");
    }

    /** The workspace id, or {@code null} for the platform chain. */
    public String workspaceId() {
        return isPlatform() ? null : value.substring(3);
    }

    @Override
    public String toString() {
        return value;
    }
}
