package dev.bulwark.app.platform;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request that cannot be served, with the HTTP status, a machine-readable code, a human message safe to show, and
 * optional field-level errors (400). Rendered as JSON under /api, as an HTML page elsewhere; never a stack trace.
 */
public final class AppError extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, String> fields;
    private long retryAfterSeconds = -1;

    public AppError(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public AppError(int status, String code, String message, Map<String, String> fields) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.fields = new LinkedHashMap<>(fields);
    }

    public static AppError notFound() {
        return new AppError(404, "not_found", "Not found.");
    }

    public static AppError invalid(Map<String, String> fields) {
        return new AppError(400, "validation_failed", "Some fields are not valid.", fields);
    }

    public static AppError invalid(String field, String message) {
        return invalid(Map.of(field, message));
    }

    public AppError retryAfter(long seconds) {
        this.retryAfterSeconds = Math.max(1, seconds);
        return this;
    }

    public int status() { return status; }

    public String code() { return code; }

    public Map<String, String> fields() { return fields; }

    public long retryAfterSeconds() { return retryAfterSeconds; }
}
