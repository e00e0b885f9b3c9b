package dev.bulwark.auth.login;

import java.time.Duration;

/** Outcome of {@link LoginGuard#verifySecondFactor}. A locked second factor answers DENIED like a wrong code. */
public record SecondFactorResult(Status status, Duration retryAfter) {
    public enum Status { ACCEPTED, DENIED, RATE_LIMITED }

    public boolean accepted() {
        return status == Status.ACCEPTED;
    }
}
