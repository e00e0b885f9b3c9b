package dev.bulwark.app.customers;

import io.vertx.core.json.JsonObject;

/** A customer with its personal fields decrypted (only ever in memory, for one request). */
public record Customer(String id, String name, String email, String phone, String address, String notes, String staffMemberId,
                       long createdAtMs, long updatedAtMs) {
    public JsonObject json() {
        return new JsonObject().put("id", id).put("name", name).put("email", email).put("phone", phone).put("address", address)
                .put("notes", notes).put("staffMemberId", staffMemberId).put("createdAt", createdAtMs).put("updatedAt", updatedAtMs);
    }

    @Override
    public String toString() {
        return "Customer[" + id + ", <personal data redacted>]";
    }
}
