package dev.bulwark.auth.session;

import java.util.Optional;

/** The result of {@link SessionManager#check}: a verified session, or why the token was refused. */
public final class SessionCheck {
    /** Why a token was refused. Every refusal means "sign in again". */
    public enum Reason {
        /** Not a token this library could have issued (wrong length or characters). */
        MALFORMED,
        /** No such session: never existed, revoked, rotated away or purged. */
        UNKNOWN,
        /** Not used for longer than the idle timeout. */
        IDLE_EXPIRED,
        /** Older than the absolute lifetime. */
        ABSOLUTE_EXPIRED
    }

    private final VerifiedSession session;
    private final Reason reason;

    private SessionCheck(VerifiedSession session, Reason reason) {
        this.session = session;
        this.reason = reason;
    }

    static SessionCheck ok(VerifiedSession s) {
        return new SessionCheck(s, null);
    }

    static SessionCheck refused(Reason r) {
        return new SessionCheck(null, r);
    }

    public boolean valid() {
        return session != null;
    }

    public Optional<VerifiedSession> session() {
        return Optional.ofNullable(session);
    }

    /** Present only when refused. */
    public Optional<Reason> reason() {
        return Optional.ofNullable(reason);
    }

    @Override
    public String toString() {
        return valid() ? "SessionCheck[valid " + session.sessionId() + "]" : "SessionCheck[" + reason + "]";
    }
}
