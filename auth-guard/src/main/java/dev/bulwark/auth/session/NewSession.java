package dev.bulwark.auth.session;

/**
 * A freshly created or rotated session. {@link #token()} is the only copy of the bearer token: put it in a
 * {@code __Host-} HttpOnly Secure SameSite cookie and forget it. toString never prints it.
 */
public final class NewSession {
    private final String token;
    private final SessionInfo info;

    NewSession(String token, SessionInfo info) {
        this.token = token;
        this.info = info;
    }

    public String token() {
        return token;
    }

    public SessionInfo info() {
        return info;
    }

    @Override
    public String toString() {
        return "NewSession[sessionId=" + info.sessionId() + ", userId=" + info.userId() + ", token=<redacted>]";
    }
}
