package dev.bulwark.auth.event;

/**
 * Receives security events: the "suspicious activity is logged for review" promise. Implementations should be
 * fast and must not throw (a thrown exception is caught and logged by the caller, never shown to the client).
 * Typical use: log ({@link Slf4jSecurityEventListener}), write an audit record, e-mail the owner on
 * {@link SecurityEvent.AccountLocked} or {@link SecurityEvent.NewAddressForAccount}.
 */
@FunctionalInterface
public interface SecurityEventListener {

    void on(SecurityEvent event);

    /** A listener that drops every event. */
    static SecurityEventListener none() {
        return e -> { };
    }

    /** Delivers to this listener, then to {@code next}; a failure in one does not stop the other. */
    default SecurityEventListener andThen(SecurityEventListener next) {
        SecurityEventListener first = this;
        return e -> {
            try {
                first.on(e);
            } finally {
                next.on(e);
            }
        };
    }
}
