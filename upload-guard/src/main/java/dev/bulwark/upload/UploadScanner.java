package dev.bulwark.upload;

import java.io.IOException;
import java.io.InputStream;

/**
 * A content scanner (e.g. ClamAV through clamd's INSTREAM command) run after the built-in checks pass and before the
 * file becomes visible. None by default. A scanner that throws, returns null or times out fails the upload
 * ({@link UploadRejected.Reason#SCANNER_FAILED}): uploads fail closed.
 */
@FunctionalInterface
public interface UploadScanner {

    /** What the scanner may look at: the checked type and size, and the plaintext, re-read from the encrypted temp file. */
    interface Subject {
        String purpose();

        String contentType();

        long size();

        /** A fresh stream over the content; may be opened more than once. */
        InputStream openContent() throws IOException;
    }

    /** The scanner's answer. */
    record Verdict(boolean clean, String threat) {
        public static Verdict passed() {
            return new Verdict(true, null);
        }

        /** @param threat the signature name the scanner reported, e.g. "Eicar-Signature" */
        public static Verdict infected(String threat) {
            return new Verdict(false, threat == null ? "unnamed threat" : threat);
        }
    }

    Verdict scan(Subject subject) throws IOException;
}
