package dev.bulwark.app.backup;

import dev.bulwark.app.platform.Config;
import dev.bulwark.app.platform.ConfigException;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Operations options (declared in {@link Config}, parsed and checked here). Every option has a safe default: daily
 * encrypted backups kept 7 daily / 4 weekly / 6 monthly, a backup before every schema migration, a weekly restore
 * drill and a daily retention run. {@code off} switches a schedule off (the subcommands still work).
 */
public final class OpsConfig {
    /** Where backups live; default {@code <data dir>/backups}. Keep it on another disk (or sync it off the host). */
    public final Path backupDir;
    /** Empty when scheduled backups are off. */
    public final Optional<Duration> backupInterval;
    public final BackupRetention retention;
    public final boolean backupBeforeMigration;
    public final Optional<Duration> drillInterval;
    public final Optional<Duration> retentionInterval;
    /** Directory holding pg_dump / pg_restore / psql, or empty to use the PATH. */
    public final Optional<Path> pgBinDir;

    private OpsConfig(Path backupDir, Optional<Duration> backupInterval, BackupRetention retention, boolean backupBeforeMigration,
                      Optional<Duration> drillInterval, Optional<Duration> retentionInterval, Optional<Path> pgBinDir) {
        this.backupDir = backupDir;
        this.backupInterval = backupInterval;
        this.retention = retention;
        this.backupBeforeMigration = backupBeforeMigration;
        this.drillInterval = drillInterval;
        this.retentionInterval = retentionInterval;
        this.pgBinDir = pgBinDir;
    }

    public static OpsConfig from(Config config) {
        List<String> problems = new ArrayList<>();
        String dir = config.option("BULWARK_BACKUP_DIR");
        Path backupDir = config.dataDir.resolve("backups");
        if (!dir.isEmpty()) {
            try {
                backupDir = Path.of(dir).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                problems.add("BULWARK_BACKUP_DIR is not a usable path: " + e.getReason());
            }
        }
        Optional<Duration> backup = interval(config, "BULWARK_BACKUP_INTERVAL", Duration.ofDays(1), Duration.ofMinutes(5), problems);
        int daily = count(config, "BULWARK_BACKUP_KEEP_DAILY", 7, problems);
        int weekly = count(config, "BULWARK_BACKUP_KEEP_WEEKLY", 4, problems);
        int monthly = count(config, "BULWARK_BACKUP_KEEP_MONTHLY", 6, problems);
        if (daily + weekly + monthly == 0) problems.add("BULWARK_BACKUP_KEEP_DAILY/WEEKLY/MONTHLY are all 0: no backup would be kept");
        String before = config.option("BULWARK_BACKUP_BEFORE_MIGRATION").toLowerCase(Locale.ROOT);
        if (!before.isEmpty() && !before.equals("true") && !before.equals("false")) {
            problems.add("BULWARK_BACKUP_BEFORE_MIGRATION must be true or false, got '" + before + "'");
        }
        Optional<Duration> drill = interval(config, "BULWARK_RESTORE_DRILL_INTERVAL", Duration.ofDays(7), Duration.ofMinutes(5), problems);
        Optional<Duration> retention = interval(config, "BULWARK_RETENTION_INTERVAL", Duration.ofDays(1), Duration.ofMinutes(5), problems);
        String bin = config.option("BULWARK_PG_BIN_DIR");
        Optional<Path> pgBin = Optional.empty();
        if (!bin.isEmpty()) {
            try {
                pgBin = Optional.of(Path.of(bin));
            } catch (InvalidPathException e) {
                problems.add("BULWARK_PG_BIN_DIR is not a usable path: " + e.getReason());
            }
        }
        if (!problems.isEmpty()) throw new ConfigException(problems);
        return new OpsConfig(backupDir, backup, new BackupRetention(daily, weekly, monthly), !before.equals("false"), drill, retention, pgBin);
    }

    private static Optional<Duration> interval(Config config, String key, Duration dflt, Duration min, List<String> problems) {
        String v = config.option(key).trim();
        if (v.isEmpty()) return Optional.of(dflt);
        if (v.equalsIgnoreCase("off")) return Optional.empty();
        try {
            Duration d = Duration.parse(v);
            if (d.compareTo(min) < 0) problems.add(key + " must be at least " + min + " (or 'off'), got " + v);
            return Optional.of(d);
        } catch (RuntimeException e) {
            problems.add(key + " must be an ISO-8601 duration such as P1D or PT6H, or 'off', got '" + v + "'");
            return Optional.of(dflt);
        }
    }

    private static int count(Config config, String key, int dflt, List<String> problems) {
        String v = config.option(key).trim();
        if (v.isEmpty()) return dflt;
        try {
            int i = Integer.parseInt(v);
            if (i < 0 || i > 1000) problems.add(key + " must be between 0 and 1000, got " + i);
            return i;
        } catch (NumberFormatException e) {
            problems.add(key + " must be a whole number, got '" + v + "'");
            return dflt;
        }
    }

    @Override
    public String toString() {
        return "OpsConfig[backupDir=" + backupDir + ", backup=" + backupInterval.map(Duration::toString).orElse("off") + ", keep=" + retention
                + ", beforeMigration=" + backupBeforeMigration + ", drill=" + drillInterval.map(Duration::toString).orElse("off") + "]";
    }
}
