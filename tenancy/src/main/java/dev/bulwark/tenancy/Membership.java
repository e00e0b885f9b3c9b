package dev.bulwark.tenancy;

import java.time.Instant;
import java.util.Objects;

/** A member's role in one workspace. Members themselves (identity, login) live in the authentication system. */
public record Membership(String workspaceId, String memberId, Role role, Instant since) {
    public Membership {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(since, "since");
    }
}
