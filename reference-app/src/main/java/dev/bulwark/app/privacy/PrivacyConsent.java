package dev.bulwark.app.privacy;

import java.time.Instant;

/** A person's opt-in to one version of the privacy notice, and when it was given. */
public record PrivacyConsent(String noticeVersion, Instant acceptedAt) {
    /** Consent to the notice as it stands now. */
    public static PrivacyConsent now() {
        return new PrivacyConsent(PrivacyNotice.VERSION, Instant.now());
    }
}
