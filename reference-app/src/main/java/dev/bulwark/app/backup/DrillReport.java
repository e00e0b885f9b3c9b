package dev.bulwark.app.backup;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;

/**
 * The outcome of a restore drill, with its figures. {@code failure} is null when the drill passed; otherwise it is
 * the first problem found, with a machine-readable reason.
 */
public record DrillReport(String backupId, Instant startedAt, Duration took, boolean passed, BackupException.Reason failure, String message,
                          String database, String schemaVersion, int tablesVerified, long rowsVerified, int filesVerified, long fileBytes,
                          int fieldsSampled, int fieldsDecrypted, int fieldsShredded, int filesSampled, int filesDecrypted, int filesShredded) {

    public String summary() {
        if (!passed) return "FAIL " + failure + ": " + message;
        return "PASS: " + tablesVerified + " tables / " + rowsVerified + " rows match the manifest; " + filesVerified + " files (" + fileBytes
                + " bytes) match; sampled " + fieldsSampled + " encrypted fields (" + fieldsDecrypted + " decrypted, " + fieldsShredded
                + " crypto-shredded) and " + filesSampled + " files (" + filesDecrypted + " decrypted, " + filesShredded + " crypto-shredded) in "
                + took.toMillis() + " ms";
    }

    public JsonObject toJson() {
        return new JsonObject().put("backupId", backupId).put("startedAt", startedAt.toString()).put("tookMs", took.toMillis()).put("passed", passed)
                .put("failure", failure == null ? null : failure.name()).put("message", message).put("database", database)
                .put("schemaVersion", schemaVersion).put("tablesVerified", tablesVerified).put("rowsVerified", rowsVerified)
                .put("filesVerified", filesVerified).put("fileBytes", fileBytes).put("fieldsSampled", fieldsSampled)
                .put("fieldsDecrypted", fieldsDecrypted).put("fieldsShredded", fieldsShredded).put("filesSampled", filesSampled)
                .put("filesDecrypted", filesDecrypted).put("filesShredded", filesShredded);
    }
}
