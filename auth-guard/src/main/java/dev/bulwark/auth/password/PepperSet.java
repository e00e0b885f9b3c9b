package dev.bulwark.auth.password;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The peppers a {@link PasswordHasher} knows at one moment: the {@linkplain #current() current} one, mixed into new
 * hashes, and previous ones whose hashes still verify (and report {@code needsRehash}). Immutable; {@link #toString()}
 * names the ids only.
 */
public final class PepperSet implements PepperSource {
    private final Pepper current;
    private final Map<String, Pepper> byId;
    private final List<String> ids;

    private PepperSet(Pepper current, Map<String, Pepper> byId, List<String> ids) {
        this.current = current;
        this.byId = byId;
        this.ids = ids;
    }

    /**
     * @param current  the pepper of new hashes
     * @param previous peppers being rotated out
     * @throws IllegalArgumentException two peppers share an id
     */
    public static PepperSet of(Pepper current, List<Pepper> previous) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(previous, "previous");
        Map<String, Pepper> all = new LinkedHashMap<>();
        all.put(current.id(), current);
        for (Pepper p : previous) {
            if (all.putIfAbsent(Objects.requireNonNull(p, "previous pepper").id(), p) != null) {
                throw new IllegalArgumentException("two peppers share the id '" + p.id() + "'");
            }
        }
        return new PepperSet(current, Map.copyOf(all), List.copyOf(all.keySet()));
    }

    public static PepperSet of(Pepper current, Pepper... previous) {
        return of(current, List.of(previous));
    }

    /** The pepper new hashes are made with. */
    public Pepper current() {
        return current;
    }

    /** Every known id, current first. */
    public List<String> ids() {
        return ids;
    }

    /** The pepper with this id, or null. */
    Pepper find(String id) {
        return byId.get(id);
    }

    @Override
    public PepperSet peppers() {
        return this;
    }

    @Override
    public String toString() {
        return "PepperSet[current=" + current.id() + ", ids=" + ids() + "]";
    }
}
