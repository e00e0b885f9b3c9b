package dev.bulwark.app.backup;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The rolling retention of backups (7 daily, 4 weekly, 6 monthly by default). */
class OpsBackupRetentionTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @Test
    void oneNightlyBackupForAYearKeepsExactlySevenDailyFourWeeklyAndSixMonthly() {
        List<BackupRetention.Dated> nightly = new ArrayList<>();
        for (int d = 1; d <= 365; d++) {
            Instant t = NOW.minus(Duration.ofDays(d)).minus(Duration.ofHours(9)); // 03:00 UTC each night
            nightly.add(new BackupRetention.Dated("b" + d, t));
        }
        Set<String> keep = BackupRetention.DEFAULT.keep(nightly, NOW);
        // days 1..7 (daily); newest of each of the last 4 ISO weeks; newest of each of the last 6 months; overlaps merge.
        Set<LocalDate> days = nightly.stream().filter(b -> keep.contains(b.id())).map(b -> LocalDate.ofInstant(b.time(), ZoneOffset.UTC))
                .collect(Collectors.toSet());
        for (int d = 1; d <= 7; d++) assertThat(days).contains(LocalDate.ofInstant(NOW.minus(Duration.ofDays(d)).minus(Duration.ofHours(9)), ZoneOffset.UTC));
        assertThat(days).contains(LocalDate.parse("2026-10-31"), LocalDate.parse("2026-09-30"), LocalDate.parse("2026-08-31"),
                LocalDate.parse("2026-07-31"), LocalDate.parse("2026-06-30"));
        assertThat(days).doesNotContain(LocalDate.parse("2026-05-31"), LocalDate.parse("2026-10-25"), LocalDate.parse("2026-11-02"));
        assertThat(keep.size()).isBetween(7 + 5, 7 + 4 + 6);
    }

    @Property(tries = 300)
    void newestAndRecentBackupsAreAlwaysKept(@ForAll("histories") List<BackupRetention.Dated> backups,
                                             @ForAll @IntRange(max = 10) int daily, @ForAll @IntRange(max = 6) int weekly,
                                             @ForAll @IntRange(max = 12) int monthly) {
        BackupRetention r = new BackupRetention(daily, weekly, monthly);
        Set<String> keep = r.keep(backups, NOW);
        if (backups.isEmpty()) {
            assertThat(keep).isEmpty();
            return;
        }
        BackupRetention.Dated newest = backups.stream().max((a, b) -> a.time().compareTo(b.time()) != 0 ? a.time().compareTo(b.time()) : a.id().compareTo(b.id())).orElseThrow();
        assertThat(keep).contains(newest.id());
        backups.stream().filter(b -> b.time().isAfter(NOW.minus(BackupRetention.GRACE))).forEach(b -> assertThat(keep).contains(b.id()));
        long old = backups.stream().filter(b -> keep.contains(b.id()) && !b.time().isAfter(NOW.minus(BackupRetention.GRACE))).count();
        assertThat(old).isLessThanOrEqualTo(1L + daily + weekly + monthly + BackupRetention.PRE_MIGRATION_KEPT);
    }

    @Property(tries = 300)
    void retentionIsIdempotentAndOnlyEverRemoves(@ForAll("histories") List<BackupRetention.Dated> backups) {
        Set<String> ids = backups.stream().map(BackupRetention.Dated::id).collect(Collectors.toSet());
        Set<String> keep = BackupRetention.DEFAULT.keep(backups, NOW);
        assertThat(ids).containsAll(keep);
        List<BackupRetention.Dated> survivors = backups.stream().filter(b -> keep.contains(b.id())).toList();
        assertThat(BackupRetention.DEFAULT.keep(survivors, NOW)).isEqualTo(keep);
        Set<String> expired = new HashSet<>(BackupRetention.DEFAULT.expired(backups, NOW));
        assertThat(expired).noneMatch(keep::contains);
        assertThat(expired.size() + keep.size()).isEqualTo(ids.size());
    }

    @Property(tries = 300)
    void eachOfTheLastSevenBackupDaysKeepsItsNewestBackup(@ForAll("histories") List<BackupRetention.Dated> backups) {
        Set<String> keep = BackupRetention.DEFAULT.keep(backups, NOW);
        List<LocalDate> days = backups.stream().map(b -> LocalDate.ofInstant(b.time(), ZoneOffset.UTC)).distinct()
                .sorted((a, b) -> b.compareTo(a)).limit(7).toList();
        for (LocalDate day : days) {
            BackupRetention.Dated newestOfDay = backups.stream().filter(b -> LocalDate.ofInstant(b.time(), ZoneOffset.UTC).equals(day))
                    .max((a, b) -> a.time().compareTo(b.time()) != 0 ? a.time().compareTo(b.time()) : a.id().compareTo(b.id())).orElseThrow();
            assertThat(keep).contains(newestOfDay.id());
        }
    }

    @Provide
    Arbitrary<List<BackupRetention.Dated>> histories() {
        Arbitrary<Long> ageMinutes = Arbitraries.longs().between(0, 400L * 24 * 60);
        Arbitrary<String> kind = Arbitraries.of("scheduled", "manual", "pre-migration");
        return net.jqwik.api.Combinators.combine(ageMinutes, kind).as((age, k) -> new Object[] {age, k}).list().ofMaxSize(80)
                .map(list -> {
                    List<BackupRetention.Dated> out = new ArrayList<>();
                    for (int i = 0; i < list.size(); i++) {
                        Instant t = NOW.minus(Duration.ofMinutes((Long) list.get(i)[0]));
                        out.add(new BackupRetention.Dated(ID_TIME.format(t) + "-" + list.get(i)[1] + "-" + String.format("%06x", i), t));
                    }
                    return out;
                });
    }

    @Test
    void pruneDeletesExactlyTheExpiredBackupDirectoriesAndNothingElse() throws Exception {
        Path dir = Files.createTempDirectory("bulwark-prune");
        List<String> ids = new ArrayList<>();
        for (int d = 0; d < 60; d++) {
            String id = ID_TIME.format(NOW.minus(Duration.ofDays(d)).minus(Duration.ofHours(1))) + "-scheduled-" + String.format("%06x", d);
            Files.createDirectories(dir.resolve(id));
            Files.writeString(dir.resolve(id).resolve("manifest.bwm"), "x");
            ids.add(id);
        }
        Files.createDirectories(dir.resolve("not-a-backup"));
        Files.writeString(dir.resolve(KeyringEscrow.FILE), "{}");
        BackupService s = new BackupService(null, null, dir, dir.resolve("files"), Optional.empty(), Clock.fixed(NOW, ZoneOffset.UTC));
        List<BackupRetention.Dated> dated = new ArrayList<>();
        for (BackupService.Entry e : s.list()) dated.add(new BackupRetention.Dated(e.id(), e.time()));
        List<String> expected = BackupRetention.DEFAULT.expired(dated, NOW);
        List<String> deleted = s.prune(BackupRetention.DEFAULT);
        assertThat(deleted).containsExactlyInAnyOrderElementsOf(expected).isNotEmpty();
        for (String id : ids) assertThat(Files.exists(dir.resolve(id))).isEqualTo(!expected.contains(id));
        assertThat(dir.resolve("not-a-backup")).exists();
        assertThat(dir.resolve(KeyringEscrow.FILE)).exists();
        assertThat(s.list()).hasSize(60 - expected.size());
    }
}
