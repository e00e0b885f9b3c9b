package dev.bulwark.app.booking;

import dev.bulwark.app.privacy.PrivacyConsent;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * An appointment; {@code blockedUntilMs} is the end plus the service's buffer (the staff member is busy until then).
 * {@code privacyConsent} is the customer's acceptance of the privacy notice when they booked online (null when staff booked).
 */
public record Appointment(String id, String staffMemberId, String serviceId, String customerId, long startsAtMs, long endsAtMs,
                          long blockedUntilMs, String status, String source, long createdAtMs, PrivacyConsent privacyConsent) {
    public static final String BOOKED = "booked";
    public static final String CANCELLED = "cancelled";

    public boolean booked() {
        return BOOKED.equals(status);
    }

    public Appointment withPrivacyConsent(PrivacyConsent consent) {
        return new Appointment(id, staffMemberId, serviceId, customerId, startsAtMs, endsAtMs, blockedUntilMs, status, source, createdAtMs, consent);
    }

    public JsonObject json() {
        JsonObject o = new JsonObject().put("id", id).put("staffMemberId", staffMemberId).put("serviceId", serviceId).put("customerId", customerId)
                .put("start", Instant.ofEpochMilli(startsAtMs).toString()).put("end", Instant.ofEpochMilli(endsAtMs).toString())
                .put("status", status).put("source", source);
        if (privacyConsent != null) {
            o.put("privacyNotice", new JsonObject().put("version", privacyConsent.noticeVersion()).put("acceptedAt", privacyConsent.acceptedAt().toString()));
        }
        return o;
    }
}
