package dev.bulwark.app.backup;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Rolling retention (grandfather-father-son): the newest backup of each of the last {@code daily} days that have a
 * backup, of each of the last {@code weekly} ISO weeks, and of each of the last {@code monthly} months (UTC), plus
 * the newest backup overall; and every backup younger than {@link #GRACE} (so a manual or pre-migration backup is not
 * replaced by the next scheduled one on the same day), plus the {@value #PRE_MIGRATION_KEPT} newest pre-migration
 * backups. Everything else may be deleted. Counting days "that have a backup" (rather than calendar days) means a
 * stopped server never loses its last good backups to the calendar.
 */
public record BackupRetention(int daily, int weekly, int monthly) {

    public BackupRetention {
        if (daily < 0 || weekly < 0 || monthly < 0) throw new IllegalArgumentException("retention counts must be >= 0");
    }

    public static final BackupRetention DEFAULT = new BackupRetention(7, 4, 6);
    public static final java.time.Duration GRACE = java.time.Duration.ofHours(24);
    public static final int PRE_MIGRATION_KEPT = 3;

    /** One backup: its id and when it was taken. */
    public record Dated(String id, Instant time) {
        public Dated {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(time, "time");
        }
    }

    /** The ids to keep out of {@code backups} (any order) at time {@code now}. */
    public Set<String> keep(List<Dated> backups, Instant now) {
        List<Dated> newestFirst = new ArrayList<>(backups);
        newestFirst.sort(Comparator.comparing(Dated::time).thenComparing(Dated::id).reversed());
        Set<String> keep = new LinkedHashSet<>();
        if (newestFirst.isEmpty()) return keep;
        keep.add(newestFirst.get(0).id());
        keep.addAll(newestPerBucket(newestFirst, daily, t -> LocalDate.ofInstant(t, ZoneOffset.UTC)));
        keep.addAll(newestPerBucket(newestFirst, weekly, t -> {
            LocalDate d = LocalDate.ofInstant(t, ZoneOffset.UTC);
            return d.get(IsoFields.WEEK_BASED_YEAR) * 100 + d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        }));
        keep.addAll(newestPerBucket(newestFirst, monthly, t -> YearMonth.from(LocalDate.ofInstant(t, ZoneOffset.UTC))));
        for (Dated d : newestFirst) if (d.time().isAfter(now.minus(GRACE))) keep.add(d.id());
        newestFirst.stream().filter(d -> d.id().contains("-pre-migration-")).limit(PRE_MIGRATION_KEPT).forEach(d -> keep.add(d.id()));
        return keep;
    }

    /** The ids that {@link #keep} leaves out. */
    public List<String> expired(List<Dated> backups, Instant now) {
        Set<String> keep = keep(backups, now);
        return backups.stream().map(Dated::id).filter(id -> !keep.contains(id)).toList();
    }

    private static List<String> newestPerBucket(List<Dated> newestFirst, int buckets, Function<Instant, Object> bucketOf) {
        List<String> out = new ArrayList<>();
        Set<Object> seen = new HashSet<>();
        for (Dated d : newestFirst) {
            if (seen.size() >= buckets) break;
            if (seen.add(bucketOf.apply(d.time()))) out.add(d.id());
        }
        return out;
    }

    @Override
    public String toString() {
        return daily + " daily, " + weekly + " weekly, " + monthly + " monthly";
    }
}
