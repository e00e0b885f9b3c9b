package dev.bulwark.webhook;

/** The seen-event store could not be read or written. The verifier fails closed: the event is not accepted. */
public final class WebhookStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WebhookStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
