package dev.bulwark.links;

/** A link store could not be read or written. The verifier fails closed: no link is accepted. */
public final class LinkStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LinkStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
