package dev.bulwark.auth.sso;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The application's membership table, as a map: what a real app's MemberDirectory does, minus the database. */
final class TestMembers implements MemberDirectory {
    final Map<String, SsoMember> byKey = new ConcurrentHashMap<>();
    final AtomicInteger provisioned = new AtomicInteger();

    TestMembers add(String workspaceId, String email, String memberId, String role) {
        byKey.put(workspaceId + "|" + email, new SsoMember(memberId, role));
        return this;
    }

    @Override
    public Optional<SsoMember> findByEmail(String workspaceId, String email) {
        return Optional.ofNullable(byKey.get(workspaceId + "|" + email));
    }

    @Override
    public SsoMember provision(String workspaceId, String email, String role, String issuer, String subject) {
        provisioned.incrementAndGet();
        return byKey.computeIfAbsent(workspaceId + "|" + email, k -> new SsoMember("m_" + subject, role));
    }
}
