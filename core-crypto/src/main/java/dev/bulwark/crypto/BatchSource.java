package dev.bulwark.crypto;

import java.util.List;

/**
 * The rows a rewrite walk visits, in a stable order, a batch at a time. Typically
 * {@code SELECT id, col FROM t WHERE id > ? ORDER BY id LIMIT ?} and
 * {@code UPDATE t SET col = ? WHERE id = ? AND col = ?}.
 *
 * @param <T> the item type
 */
public interface BatchSource<T> {
    /** The next items after {@code afterCursor} ({@code null}: from the start), at most {@code limit}, in cursor order. */
    List<T> nextBatch(String afterCursor, int limit);

    /**
     * Compare-and-set: stores {@code newValue} only if the stored value is still the one the item was read with.
     * Returns {@code false} when someone changed it in between (the walk counts a conflict and leaves it).
     */
    boolean replace(T item, String newValue);

    /** The item's position, used to resume. */
    String cursorOf(T item);
}
