package dev.bulwark.auth.sso;

import java.util.Objects;

/**
 * A workspace membership as the application's {@link MemberDirectory} reports it.
 *
 * @param memberId the application's id of the membership (or user)
 * @param role     the member's role in the workspace
 */
public record SsoMember(String memberId, String role) {
    public SsoMember {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(role, "role");
    }
}
