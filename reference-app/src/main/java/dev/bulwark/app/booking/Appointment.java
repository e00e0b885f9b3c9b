package dev.bulwark.app.booking;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/** An appointment; {@code blockedUntilMs} is the end plus the service's buffer (the staff member is busy until then). */
public record Appointment(String id, String staffMemberId, String serviceId, String customerId, long startsAtMs, long endsAtMs,
                          long blockedUntilMs, String status, String source, long createdAtMs) {
    public static final String BOOKED = "booked";
    public static final String CANCELLED = "cancelled";

    public boolean booked() {
        return BOOKED.equals(status);
    }

    public JsonObject json() {
        return new JsonObject().put("id", id).put("staffMemberId", staffMemberId).put("serviceId", serviceId).put("customerId", customerId)
                .put("start", Instant.ofEpochMilli(startsAtMs).toString()).put("end", Instant.ofEpochMilli(endsAtMs).toString())
                .put("status", status).put("source", source);
    }
}
