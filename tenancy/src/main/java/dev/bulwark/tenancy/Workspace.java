package dev.bulwark.tenancy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A business's workspace. A deleted workspace keeps this record (the id is never reused) with when it was deleted
 * and which keysets were destroyed (crypto-shredding).
 *
 * @param deletedAt       when it was deleted, or {@code null}
 * @param shreddedAt      when its keys were destroyed, or {@code null} (deleted but not yet shredded)
 * @param shreddedKeysets ids of the destroyed keysets (core-crypto keyset names)
 */
public record Workspace(String id, String name, Instant createdAt, Instant deletedAt, Instant shreddedAt,
                        List<String> shreddedKeysets) {
    public Workspace {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        shreddedKeysets = shreddedKeysets == null ? List.of() : List.copyOf(shreddedKeysets);
    }

    public boolean deleted() {
        return deletedAt != null;
    }

    public boolean shredded() {
        return shreddedAt != null;
    }
}
