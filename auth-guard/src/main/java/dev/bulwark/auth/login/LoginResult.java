package dev.bulwark.auth.login;

import java.time.Duration;
import java.util.Optional;

/**
 * The answer to a login attempt as the client may see it. A wrong password, an unknown account and a locked
 * account all give the same {@link Status#DENIED} with the same message: the reason goes to the security-event
 * listener only.
 */
public final class LoginResult {
    /** What to tell the client. */
    public enum Status { SUCCESS, DENIED, RATE_LIMITED }

    static final String DENIED_MESSAGE = "Incorrect e-mail or password.";

    private final Status status;
    private final VerifiedLogin login;
    private final Duration retryAfter;

    private LoginResult(Status status, VerifiedLogin login, Duration retryAfter) {
        this.status = status;
        this.login = login;
        this.retryAfter = retryAfter;
    }

    static LoginResult success(VerifiedLogin login) {
        return new LoginResult(Status.SUCCESS, login, Duration.ZERO);
    }

    static LoginResult denied() {
        return new LoginResult(Status.DENIED, null, Duration.ZERO);
    }

    static LoginResult rateLimited(Duration retryAfter) {
        return new LoginResult(Status.RATE_LIMITED, null, retryAfter);
    }

    public Status status() {
        return status;
    }

    public boolean succeeded() {
        return status == Status.SUCCESS;
    }

    /** Present only on success. */
    public Optional<VerifiedLogin> verified() {
        return Optional.ofNullable(login);
    }

    /** For RATE_LIMITED: how long to wait (HTTP Retry-After). Zero otherwise. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** A message safe to show the user. */
    public String userMessage() {
        return switch (status) {
            case SUCCESS -> "Signed in.";
            case DENIED -> DENIED_MESSAGE;
            case RATE_LIMITED -> "Too many attempts. Try again in " + Math.max(1, (retryAfter.toMillis() + 999) / 1000) + " seconds.";
        };
    }

    @Override
    public String toString() {
        return "LoginResult[" + status + "]";
    }
}
