package dev.bulwark.app.catalog;

import java.time.ZoneId;

/** A workspace's product profile: the time zone schedules are kept in, its default currency, public booking switch. */
public record Profile(ZoneId zone, String currency, boolean bookingEnabled) {
    public static final Profile DEFAULTS = new Profile(ZoneId.of("UTC"), "EUR", false);
}
