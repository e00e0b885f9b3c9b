package dev.bulwark.app.catalog;

import dev.bulwark.app.product.Money;
import io.vertx.core.json.JsonObject;

/** A bookable service: duration and buffer in minutes (multiples of 5), price in minor units of its currency. */
public record ServiceOffering(String id, String name, int durationMin, int bufferMin, long priceMinor, String currency, boolean active) {
    public JsonObject json() {
        return new JsonObject().put("id", id).put("name", name).put("durationMinutes", durationMin).put("bufferMinutes", bufferMin)
                .put("priceMinor", priceMinor).put("currency", currency).put("price", Money.format(priceMinor, currency)).put("active", active);
    }
}
