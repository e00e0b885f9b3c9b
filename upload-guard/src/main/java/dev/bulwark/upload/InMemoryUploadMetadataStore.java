package dev.bulwark.upload;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

/** Upload metadata in memory: one node, tests. Lost on restart. */
public final class InMemoryUploadMetadataStore implements UploadMetadataStore {
    private final ConcurrentMap<BlobId, UploadRecord> records = new ConcurrentHashMap<>();

    @Override
    public void insert(UploadRecord record) {
        if (records.putIfAbsent(record.id(), record) != null) {
            throw new UploadStoreException("blob " + record.id() + " is already recorded", null);
        }
    }

    @Override
    public Optional<UploadRecord> find(BlobId id) {
        return Optional.ofNullable(records.get(id));
    }

    @Override
    public List<UploadRecord> listWorkspace(String workspaceId) {
        return records.values().stream().filter(r -> r.workspaceId().equals(workspaceId))
                .sorted(Comparator.comparing(UploadRecord::createdAt).thenComparing(r -> r.id().value()))
                .collect(Collectors.toList());
    }

    @Override
    public boolean delete(BlobId id) {
        return records.remove(id) != null;
    }

    @Override
    public int deleteWorkspace(String workspaceId) {
        int[] n = {0};
        records.values().removeIf(r -> {
            boolean hit = r.workspaceId().equals(workspaceId);
            if (hit) n[0]++;
            return hit;
        });
        return n[0];
    }
}
