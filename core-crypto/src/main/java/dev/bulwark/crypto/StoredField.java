package dev.bulwark.crypto;

/** One stored field value, as read by a {@link BatchSource} for {@link FieldRewriter}. */
public record StoredField(String cursor, FieldContext context, String storedValue) {
    @Override
    public String toString() {
        return "StoredField[" + cursor + ", " + context + "]";
    }
}
