package dev.bulwark.links;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Revocation versions in this JVM only: correct for one node and for tests; lost on restart. */
public final class InMemoryLinkRevocationStore implements LinkRevocationStore {
    private final Map<Map.Entry<String, String>, Long> versions = new ConcurrentHashMap<>();

    @Override
    public long currentVersion(String workspaceId, String resourceId) {
        return versions.getOrDefault(key(workspaceId, resourceId), 0L);
    }

    @Override
    public long revokeAll(String workspaceId, String resourceId) {
        return versions.merge(key(workspaceId, resourceId), 1L, Long::sum);
    }

    private static Map.Entry<String, String> key(String workspaceId, String resourceId) {
        return Map.entry(Objects.requireNonNull(workspaceId, "workspaceId"), Objects.requireNonNull(resourceId, "resourceId"));
    }
}
