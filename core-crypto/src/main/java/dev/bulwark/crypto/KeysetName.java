package dev.bulwark.crypto;

import java.util.Objects;
import java.util.regex.Pattern;

/** Names one keyset in the keyring: a shared purpose, or a per-workspace purpose plus the workspace id. */
public final class KeysetName {
    private static final Pattern WORKSPACE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final KeyPurpose purpose;
    private final String workspaceId;

    private KeysetName(KeyPurpose purpose, String workspaceId) {
        this.purpose = purpose;
        this.workspaceId = workspaceId;
    }

    public static KeysetName of(KeyPurpose purpose) {
        Objects.requireNonNull(purpose, "purpose");
        if (purpose.perWorkspace()) {
            throw new IllegalArgumentException(purpose + " is per workspace: use KeysetName.workspace(purpose, workspaceId)");
        }
        return new KeysetName(purpose, null);
    }

    public static KeysetName workspace(KeyPurpose purpose, String workspaceId) {
        Objects.requireNonNull(purpose, "purpose");
        if (!purpose.perWorkspace()) {
            throw new IllegalArgumentException(purpose + " is shared, not per workspace: use KeysetName.of(purpose)");
        }
        return new KeysetName(purpose, checkWorkspaceId(workspaceId));
    }

    /** Whether {@code workspaceId} can name workspace keysets: 1-64 characters of A-Z a-z 0-9 _ -. */
    public static boolean isValidWorkspaceId(String workspaceId) {
        return workspaceId != null && WORKSPACE_ID.matcher(workspaceId).matches();
    }

    static String checkWorkspaceId(String workspaceId) {
        if (workspaceId == null || !WORKSPACE_ID.matcher(workspaceId).matches()) {
            throw new IllegalArgumentException("workspace id must be 1-64 characters of A-Z a-z 0-9 _ -");
        }
        return workspaceId;
    }

    /** Parses {@link #id()} back; returns {@code null} for names this version does not know. */
    static KeysetName parse(String id) {
        if (id == null) return null;
        if (id.startsWith("workspace/")) {
            String[] parts = id.split("/", -1);
            if (parts.length != 3 || !WORKSPACE_ID.matcher(parts[1]).matches()) return null;
            for (KeyPurpose p : KeyPurpose.values()) {
                if (p.perWorkspace() && p.label().equals(parts[2])) return new KeysetName(p, parts[1]);
            }
            return null;
        }
        for (KeyPurpose p : KeyPurpose.values()) {
            if (!p.perWorkspace() && p.label().equals(id)) return new KeysetName(p, null);
        }
        return null;
    }

    public KeyPurpose purpose() {
        return purpose;
    }

    /** The workspace id, or {@code null} for a shared keyset. */
    public String workspaceId() {
        return workspaceId;
    }

    /** Stable storage id, e.g. {@code fields} or {@code workspace/ws_42/data}. Also bound into the stored ciphertext. */
    public String id() {
        return workspaceId == null ? purpose.label() : "workspace/" + workspaceId + "/" + purpose.label();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeysetName k && k.purpose == purpose && Objects.equals(k.workspaceId, workspaceId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(purpose, workspaceId);
    }

    @Override
    public String toString() {
        return id();
    }
}
