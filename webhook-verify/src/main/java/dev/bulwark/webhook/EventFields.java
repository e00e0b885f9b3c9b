package dev.bulwark.webhook;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;

/**
 * The few top-level fields of an event body, read with a streaming reader after the signature was verified.
 * Nested values are skipped, not built. A field we read that appears twice makes the body malformed, so no
 * other JSON reader (e.g. stripe-java's) can see a different event than we did.
 */
final class EventFields {
    String id;
    String type;
    Instant created;
    Boolean livemode;
    String account;

    private EventFields() {}

    /** @return the fields, or null if the text is not a single JSON object with well-typed fields */
    static EventFields read(String json) {
        EventFields f = new EventFields();
        boolean seenId = false, seenType = false, seenCreated = false, seenLive = false, seenAccount = false;
        try (JsonReader r = new JsonReader(new StringReader(json))) {
            r.setStrictness(Strictness.STRICT);
            if (r.peek() != JsonToken.BEGIN_OBJECT) return null;
            r.beginObject();
            while (r.hasNext()) {
                String name = r.nextName();
                switch (name) {
                    case "id" -> {
                        if (seenId) return null;
                        seenId = true;
                        f.id = stringOrNull(r);
                    }
                    case "type" -> {
                        if (seenType) return null;
                        seenType = true;
                        f.type = stringOrNull(r);
                    }
                    case "created" -> {
                        if (seenCreated) return null;
                        seenCreated = true;
                        JsonToken t = r.peek();
                        if (t == JsonToken.NUMBER) f.created = Instant.ofEpochSecond(r.nextLong());
                        else if (t == JsonToken.STRING) f.created = Instant.parse(r.nextString()); // Stripe v2 events
                        else r.skipValue();
                    }
                    case "livemode" -> {
                        if (seenLive) return null;
                        seenLive = true;
                        if (r.peek() == JsonToken.BOOLEAN) f.livemode = r.nextBoolean();
                        else r.skipValue();
                    }
                    case "account" -> {
                        if (seenAccount) return null;
                        seenAccount = true;
                        f.account = stringOrNull(r);
                    }
                    default -> r.skipValue();
                }
            }
            r.endObject();
            if (r.peek() != JsonToken.END_DOCUMENT) return null;
            return f;
        } catch (IOException | RuntimeException e) {
            // MalformedJsonException, IllegalStateException, NumberFormatException, DateTimeParseException, ...
            return null;
        }
    }

    private static String stringOrNull(JsonReader r) throws IOException {
        if (r.peek() == JsonToken.STRING) return r.nextString();
        r.skipValue();
        return null;
    }

}
