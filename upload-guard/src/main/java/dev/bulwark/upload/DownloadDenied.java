package dev.bulwark.upload;

import java.util.Objects;

/**
 * A stored file was not opened (or deleted). Applications should answer NOT_FOUND and WRONG_WORKSPACE alike (404),
 * so that ids of other workspaces' files cannot be probed.
 */
public final class DownloadDenied extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** No file with this id is recorded (or its ciphertext is gone). */
        NOT_FOUND("no such file"),
        /** The file belongs to another workspace than the access decision's. */
        WRONG_WORKSPACE("the file belongs to another workspace"),
        /** The access check refused. */
        ACCESS_DENIED("access to this file is not permitted"),
        /** The workspace's keys were destroyed (crypto-shredding); the file is permanently unreadable. */
        KEY_DESTROYED("the file's workspace keys were destroyed");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final Reason reason;

    DownloadDenied(Reason reason) {
        super(reason.description(), null, false, false);
        this.reason = Objects.requireNonNull(reason);
    }

    public Reason reason() {
        return reason;
    }
}
