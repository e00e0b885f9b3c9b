package dev.bulwark.app.product;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DatesTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final ZoneId KIRITIMATI = ZoneId.of("Pacific/Kiritimati");
    static final long FIRST_MS = 0L;
    static final long AFTER_LAST_MS = LocalDate.of(10_000, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();

    @Example
    void parsesTheFormsTheAppDocuments() {
        assertThat(Dates.date("2026-12-01")).contains(LocalDate.of(2026, 12, 1));
        assertThat(Dates.instant("2026-12-01T09:00:00Z")).contains(Instant.parse("2026-12-01T09:00:00Z"));
        assertThat(Dates.local("2026-12-01T09:00", BERLIN)).contains(Instant.parse("2026-12-01T08:00:00Z"));
    }

    @Example
    void yearsThatOverflowEpochMillisecondsAreRefusedNotThrown() {
        assertThat(Dates.local("-999999999-01-01T00:00", BERLIN)).isEmpty();
        assertThat(Dates.local("+999999999-12-31T23:59", BERLIN)).isEmpty();
        assertThat(Dates.instant("+999999999-12-31T23:59:59Z")).isEmpty();
        assertThat(Dates.instant("-999999999-01-01T00:00:00Z")).isEmpty();
        assertThat(Dates.date("+999999999-12-31")).isEmpty();
        assertThat(Dates.date("-999999999-01-01")).isEmpty();
    }

    @Example
    void theWindowIs1970To9999Inclusive() {
        assertThat(Dates.date("1970-01-01")).isPresent();
        assertThat(Dates.date("1969-12-31")).isEmpty();
        assertThat(Dates.date("9999-12-31")).isPresent();
        assertThat(Dates.date("+10000-01-01")).isEmpty();
        assertThat(Dates.instant("1970-01-01T00:00:00Z")).contains(Instant.EPOCH);
        assertThat(Dates.instant("1969-12-31T23:59:59.999Z")).isEmpty();
        assertThat(Dates.instant("9999-12-31T23:59:59.999Z")).isPresent();
        assertThat(Dates.instant("+10000-01-01T00:00:00Z")).isEmpty();
        // a local time inside the years whose instant falls outside them: 1970-01-01 00:30 in Berlin is 1969 in UTC
        assertThat(Dates.local("1970-01-01T00:30", BERLIN)).isEmpty();
        assertThat(Dates.local("1970-01-01T01:00", BERLIN)).contains(Instant.EPOCH);
        assertThat(Dates.local("9999-12-31T23:00", KIRITIMATI)).isPresent();
    }

    @Example
    void garbageAndNullAreEmpty() {
        for (String s : new String[] {null, "", " ", "2026-02-30", "2026-13-01", "2026-12-01T25:00", "2026-12-01 09:00", "tomorrow", "\u0000", "2026-12-01T09:00:00"}) {
            assertThat(Dates.date(s)).as("date %s", s).isEmpty();
            assertThat(Dates.instant(s)).as("instant %s", s).isEmpty();
        }
        assertThat(Dates.local(null, BERLIN)).isEmpty();
        assertThat(Dates.local("2026-12-01T09:00", null)).isEmpty();
        assertThat(Dates.local("2026-12-01T09:00Z", BERLIN)).isEmpty();
    }

    @Property(tries = 10_000)
    void anyTextIsEitherEmptyOrAnInstantWhoseMillisecondsFit(@ForAll("dateLike") String text) {
        for (Optional<Instant> i : java.util.List.of(Dates.instant(text), Dates.local(text, BERLIN), Dates.local(text, KIRITIMATI),
                Dates.date(text).map(d -> d.atStartOfDay(KIRITIMATI).toInstant()))) {
            i.ifPresent(v -> assertThat(v.toEpochMilli()).isBetween(FIRST_MS - 86_400_000L, AFTER_LAST_MS + 86_400_000L));
        }
    }

    @Property(tries = 2_000)
    void everyInstantInTheWindowRoundTrips(@ForAll @LongRange(min = FIRST_MS, max = 253_402_300_799_999L) long ms) {
        Instant i = Instant.ofEpochMilli(ms);
        assertThat(Dates.instant(i.toString())).contains(i);
        assertThat(Dates.date(i.atOffset(ZoneOffset.UTC).toLocalDate().toString())).contains(i.atOffset(ZoneOffset.UTC).toLocalDate());
    }

    @Provide
    Arbitrary<String> dateLike() {
        Arbitrary<String> year = Arbitraries.oneOf(Arbitraries.integers().between(1900, 10_100).map(y -> y > 9999 ? "+" + y : String.format("%04d", y)),
                Arbitraries.integers().between(-999_999_999, 999_999_999).map(y -> (y >= 0 ? "+" : "") + y));
        Arbitrary<String> tail = Arbitraries.of("-01-01", "-12-31", "-02-29", "-06-15T12:00", "-01-01T00:00", "-12-31T23:59:59Z", "-01-01T00:00:00Z",
                "-12-31T23:59:59.999999999Z", "-07-04T09:30");
        return Arbitraries.oneOf(year.flatMap(y -> tail.map(t -> y + t)), Arbitraries.strings().ofMaxLength(40));
    }
}
