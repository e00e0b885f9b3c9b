package dev.bulwark.audit;

/** An audit operation failed. {@link #reason()} is machine-readable; messages never contain detail values or keys. */
public final class AuditException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The event is malformed (bad action name, actor id, detail key...): a programming error at the call site. */
        INVALID_EVENT,
        /** A retention setting is out of range. */
        INVALID_RETENTION,
        /** The MAC key could not sign (e.g. its keyset is unavailable). */
        KEY_UNAVAILABLE,
        /** The store failed, or could not append after retries under heavy contention. */
        STORAGE
    }

    private final Reason reason;

    public AuditException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public AuditException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
