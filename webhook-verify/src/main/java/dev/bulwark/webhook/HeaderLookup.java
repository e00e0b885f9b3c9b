package dev.bulwark.webhook;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads one request header by name, case-insensitively, from whatever HTTP framework you use:
 * {@code request::getHeader} (Servlet), {@code ctx.request()::getHeader} (Vert.x), or {@link #of(Map)}.
 * Returns null when the header is absent.
 */
@FunctionalInterface
public interface HeaderLookup {
    String get(String name);

    /** Headers from a map whose values are strings or lists of strings (the first value is used). */
    static HeaderLookup of(Map<String, ?> headers) {
        Objects.requireNonNull(headers, "headers");
        return name -> {
            for (Map.Entry<String, ?> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                    Object v = e.getValue();
                    if (v instanceof List<?> list) v = list.isEmpty() ? null : list.get(0);
                    return v == null ? null : v.toString();
                }
            }
            return null;
        };
    }
}
