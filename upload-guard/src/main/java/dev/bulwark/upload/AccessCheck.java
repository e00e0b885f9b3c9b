package dev.bulwark.upload;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * The caller's access decision for reading or deleting a stored file, e.g. built from an authenticated membership.
 * The guard first requires the file to belong to {@link #workspaceId()} (a decision made for one workspace never
 * opens another's file, whatever {@link #permits} says), then asks {@link #permits} on every single download.
 */
public interface AccessCheck {
    /** The workspace the requester is acting in. */
    String workspaceId();

    /** Whether the requester may read (or delete) this file of that workspace. */
    boolean permits(StoredUpload upload);

    /** A decision for {@code workspaceId} that defers to {@code rule} for each file. */
    static AccessCheck of(String workspaceId, Predicate<StoredUpload> rule) {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(rule, "rule");
        return new AccessCheck() {
            @Override
            public String workspaceId() {
                return workspaceId;
            }

            @Override
            public boolean permits(StoredUpload upload) {
                return rule.test(upload);
            }

            @Override
            public String toString() {
                return "AccessCheck[" + workspaceId + "]";
            }
        };
    }
}
