package dev.bulwark.crypto;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** An in-memory "table" of stored field values for rewrite walks, with compare-and-set writes. */
final class ListSource implements BatchSource<StoredField> {
    final TreeMap<String, String> values = new TreeMap<>();
    final TreeMap<String, FieldContext> contexts = new TreeMap<>();
    /** Called before each replace: lets a test simulate a concurrent writer. */
    UnaryOperator<String> beforeReplace = s -> s;
    int batches;

    void put(String id, FieldContext ctx, String stored) {
        values.put(id, stored);
        contexts.put(id, ctx);
    }

    @Override
    public List<StoredField> nextBatch(String afterCursor, int limit) {
        batches++;
        List<StoredField> out = new ArrayList<>();
        for (var e : (afterCursor == null ? values : values.tailMap(afterCursor, false)).entrySet()) {
            if (out.size() == limit) break;
            out.add(new StoredField(e.getKey(), contexts.get(e.getKey()), e.getValue()));
        }
        return out;
    }

    @Override
    public boolean replace(StoredField item, String newValue) {
        beforeReplace.apply(item.cursor());
        if (!Objects.equals(values.get(item.cursor()), item.storedValue())) return false;
        values.put(item.cursor(), newValue);
        return true;
    }

    @Override
    public String cursorOf(StoredField item) {
        return item.cursor();
    }
}
