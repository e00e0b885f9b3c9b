package dev.bulwark.auth.sso;

/** A sign-in store could not be read or written. Sign-in fails closed: no attempt is completed. */
public final class SsoStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SsoStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
