package dev.bulwark.auth.session;

/** A session whose token was found, unexpired and not revoked; only {@link SessionManager} creates it. */
public final class VerifiedSession {
    private final SessionInfo info;

    VerifiedSession(SessionInfo info) {
        this.info = info;
    }

    public String userId() {
        return info.userId();
    }

    public String sessionId() {
        return info.sessionId();
    }

    public SessionInfo info() {
        return info;
    }

    @Override
    public String toString() {
        return "VerifiedSession[sessionId=" + info.sessionId() + ", userId=" + info.userId() + "]";
    }
}
