package dev.bulwark.app.backup;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a backup holds: when it was taken and why, the database engine and schema version, each table's row count and
 * content checksum, the upload files with their sizes and checksums, and each encrypted part's size and checksum.
 * Stored encrypted and authenticated under the backups keyset (bound to the backup id), so it can be neither read
 * nor edited nor swapped with another backup's manifest without detection.
 */
public record BackupManifest(String id, Instant createdAt, String kind, String database, String schema, String schemaVersion,
                             Map<String, TableChecksums.Figures> tables, List<String> dataExcluded, List<FileEntry> files,
                             Map<String, Part> parts) {
    public static final int FORMAT = 1;

    public record FileEntry(String path, long size, String sha256) {}

    public record Part(long size, String sha256) {}

    public BackupManifest {
        tables = new TreeMap<>(tables);
        dataExcluded = List.copyOf(dataExcluded);
        files = List.copyOf(files);
        parts = new TreeMap<>(parts);
    }

    public long totalRows() {
        return tables.values().stream().mapToLong(TableChecksums.Figures::rows).sum();
    }

    public long totalFileBytes() {
        return files.stream().mapToLong(FileEntry::size).sum();
    }

    public JsonObject toJson() {
        JsonObject t = new JsonObject();
        tables.forEach((k, v) -> t.put(k, new JsonObject().put("rows", v.rows()).put("checksum", v.checksum())));
        JsonArray f = new JsonArray();
        for (FileEntry e : files) f.add(new JsonObject().put("path", e.path()).put("size", e.size()).put("sha256", e.sha256()));
        JsonObject p = new JsonObject();
        parts.forEach((k, v) -> p.put(k, new JsonObject().put("size", v.size()).put("sha256", v.sha256())));
        return new JsonObject().put("format", FORMAT).put("id", id).put("createdAt", createdAt.toString()).put("kind", kind)
                .put("database", database).put("schema", schema).put("schemaVersion", schemaVersion).put("tables", t)
                .put("dataExcluded", new JsonArray(new ArrayList<>(dataExcluded))).put("files", f).put("parts", p);
    }

    /** Parses a decrypted manifest; any shape error is MANIFEST_UNREADABLE. */
    public static BackupManifest fromJson(String json) throws BackupException {
        try {
            JsonObject o = new JsonObject(json);
            if (o.getInteger("format", 0) != FORMAT) {
                throw new BackupException(BackupException.Reason.MANIFEST_UNREADABLE, "unknown manifest format " + o.getValue("format"));
            }
            Map<String, TableChecksums.Figures> tables = new LinkedHashMap<>();
            JsonObject t = o.getJsonObject("tables");
            for (String k : t.fieldNames()) {
                JsonObject v = t.getJsonObject(k);
                tables.put(k, new TableChecksums.Figures(v.getLong("rows"), v.getString("checksum")));
            }
            List<FileEntry> files = new ArrayList<>();
            for (Object x : o.getJsonArray("files")) {
                JsonObject e = (JsonObject) x;
                files.add(new FileEntry(e.getString("path"), e.getLong("size"), e.getString("sha256")));
            }
            Map<String, Part> parts = new LinkedHashMap<>();
            JsonObject p = o.getJsonObject("parts");
            for (String k : p.fieldNames()) parts.put(k, new Part(p.getJsonObject(k).getLong("size"), p.getJsonObject(k).getString("sha256")));
            List<String> excluded = new ArrayList<>();
            for (Object x : o.getJsonArray("dataExcluded")) excluded.add((String) x);
            return new BackupManifest(o.getString("id"), Instant.parse(o.getString("createdAt")), o.getString("kind"), o.getString("database"),
                    o.getString("schema"), o.getString("schemaVersion"), tables, excluded, files, parts);
        } catch (BackupException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BackupException(BackupException.Reason.MANIFEST_UNREADABLE, "the manifest is not valid (" + e.getClass().getSimpleName() + ")");
        }
    }
}
