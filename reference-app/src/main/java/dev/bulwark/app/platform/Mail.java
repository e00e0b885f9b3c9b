package dev.bulwark.app.platform;

/** One outgoing e-mail. {@code workspaceId} (may be null) decides which workspace owner may read it in the outbox. */
public record Mail(String to, String subject, String body, String workspaceId) {
    @Override
    public String toString() {
        return "Mail[to=" + to + ", subject=" + subject + ", body=<redacted>]";
    }
}
