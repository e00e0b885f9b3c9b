package dev.bulwark.upload;

import dev.bulwark.crypto.DecryptionException;
import dev.bulwark.crypto.FieldContext;
import dev.bulwark.crypto.KeyDestroyedException;
import dev.bulwark.crypto.Keyring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The upload-guard entry point. Uploaded files are checked by type and size while they stream in, stored encrypted
 * outside any web root under random names, and served only through {@link #open}, which applies the caller's
 * {@link AccessCheck} on every download.
 *
 * <pre>{@code
 * UploadGuard guard = UploadGuard.builder()
 *         .keyring(keyring)                                  // per-workspace file keys (core-crypto)
 *         .dataDirectory(Path.of("/var/lib/app/uploads"))    // outside the web root
 *         .metadataStore(new JdbcUploadMetadataStore(dataSource))
 *         .build();                                          // purposes: images, documents, attachments, csv-import
 * StoredUpload stored = guard.store(new UploadRequest(ws, "images", part.fileName(), part.contentType(), userId), part.stream());
 * try (Download d = guard.open(stored.id(), AccessCheck.of(ws, u -> membership.canRead(u)))) { ... }
 * }</pre>
 */
public final class UploadGuard {
    private static final Logger log = LoggerFactory.getLogger(UploadGuard.class);
    static final String TABLE = "bulwark_upload";
    static final String NAME_COLUMN = "display_name";

    private final Map<String, UploadPurpose> purposes;
    private final Keyring keyring;
    private final EncryptedBlobStore blobs;
    private final UploadMetadataStore metadata;
    private final UploadScanner scanner;
    private final Clock clock;

    private UploadGuard(Builder b, EncryptedBlobStore blobs) {
        this.purposes = Collections.unmodifiableMap(new LinkedHashMap<>(b.purposes));
        this.keyring = b.keyring;
        this.blobs = blobs;
        this.metadata = b.metadata;
        this.scanner = b.scanner;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Map<String, UploadPurpose> purposes() {
        return purposes;
    }

    public EncryptedBlobStore blobStore() {
        return blobs;
    }

    /**
     * Runs the built-in checks only, consuming {@code content} once and keeping nothing (e.g. to validate before a
     * slow step). The scanner is not called; {@link #store} is what accepts a file.
     */
    public CheckedUpload check(UploadRequest request, InputStream content) throws UploadRejected, IOException {
        Objects.requireNonNull(content, "content");
        FileNames.SafeName name = FileNames.check(request.originalName());
        return Inspection.run(purpose(request), name, request.declaredType(), content, OutputStream.nullOutputStream());
    }

    /**
     * Checks and stores an upload in one pass over {@code content}: the bytes are checked while they are encrypted
     * into a temp file; the file becomes visible (and is recorded) only if every check and the scanner pass.
     *
     * @throws UploadRejected the file is not accepted; nothing was kept
     * @throws IOException    reading {@code content} or writing the store failed; nothing was kept
     */
    public StoredUpload store(UploadRequest request, InputStream content) throws UploadRejected, IOException {
        Objects.requireNonNull(content, "content");
        FileNames.SafeName name = FileNames.check(request.originalName());
        UploadPurpose purpose = purpose(request);
        String ws = request.workspaceId();
        BlobId id = BlobId.random();
        try (EncryptedBlobStore.PendingBlob pending = blobs.create(ws, id)) {
            CheckedUpload checked = Inspection.run(purpose, name, request.declaredType(), content, pending.out());
            pending.finishWriting();
            if (scanner != null) scan(checked, pending);
            String encryptedName = keyring.workspaceFields(ws).encrypt(name.displayName(), nameContext(ws, id));
            Instant now = clock.instant();
            UploadRecord record = new UploadRecord(id, ws, purpose.name(), checked.contentType().toString(),
                    checked.size(), encryptedName, request.uploadedBy(), now);
            pending.commit();
            try {
                metadata.insert(record);
            } catch (RuntimeException e) {
                blobs.delete(ws, id);
                throw e;
            }
            log.info("stored upload {} in workspace {} ({}, {} bytes, purpose {})", id, ws, record.contentType(),
                    record.size(), purpose.name());
            return new StoredUpload(id, ws, purpose.name(), record.contentType(), record.size(), name.displayName(),
                    request.uploadedBy(), now);
        } catch (UploadRejected rejected) {
            log.debug("upload to workspace {} rejected: {}", ws, rejected.reason());
            throw rejected;
        }
    }

    /**
     * Opens a stored file for download after the access decision: the file must belong to the decision's workspace
     * and {@link AccessCheck#permits} must say yes. Close the returned download.
     */
    public Download open(BlobId id, AccessCheck access) throws DownloadDenied, IOException {
        StoredUpload upload = authorize(id, access);
        try {
            return new Download(upload, blobs.read(upload.workspaceId(), id));
        } catch (NoSuchFileException e) {
            throw new DownloadDenied(DownloadDenied.Reason.NOT_FOUND);
        } catch (KeyDestroyedException e) {
            throw new DownloadDenied(DownloadDenied.Reason.KEY_DESTROYED);
        }
    }

    /** A file's metadata, under the same access decision as {@link #open}. */
    public StoredUpload describe(BlobId id, AccessCheck access) throws DownloadDenied {
        return authorize(id, access);
    }

    /** The files of the decision's workspace that the decision permits, oldest first. Files whose keys were shredded are left out. */
    public List<StoredUpload> list(AccessCheck access) {
        List<StoredUpload> out = new ArrayList<>();
        for (UploadRecord r : metadata.listWorkspace(access.workspaceId())) {
            if (!r.workspaceId().equals(access.workspaceId())) continue;
            try {
                StoredUpload u = toStored(r);
                if (access.permits(u)) out.add(u);
            } catch (DownloadDenied shredded) {
                // keys destroyed: nothing readable to list
            }
        }
        return out;
    }

    /**
     * How many files {@code uploadedBy} keeps in a workspace for a purpose, and their total size: for per-member quotas,
     * counted by the metadata store (one aggregate query in {@link JdbcUploadMetadataStore}), never by listing files.
     */
    public UploadUsage usage(String workspaceId, String uploadedBy, String purpose) {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(uploadedBy, "uploadedBy");
        Objects.requireNonNull(purpose, "purpose");
        return metadata.usage(workspaceId, uploadedBy, purpose);
    }

    /** Deletes a file for real (ciphertext and record), under the same access decision as {@link #open}. */
    public void delete(BlobId id, AccessCheck access) throws DownloadDenied, IOException {
        StoredUpload upload = authorize(id, access);
        blobs.delete(upload.workspaceId(), id);
        metadata.delete(id);
        log.info("deleted upload {} of workspace {}", id, upload.workspaceId());
    }

    /**
     * Deletes every file and record of a workspace (when the workspace itself is deleted; pair it with
     * {@link Keyring#destroyWorkspaceKeys} so copies in backups are shredded too). Returns the files removed.
     */
    public int deleteWorkspace(String workspaceId) throws IOException {
        int files = blobs.deleteWorkspace(workspaceId);
        metadata.deleteWorkspace(workspaceId);
        log.warn("deleted all {} upload file(s) of workspace {}", files, workspaceId);
        return files;
    }

    private StoredUpload authorize(BlobId id, AccessCheck access) throws DownloadDenied {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(access, "access");
        UploadRecord r = metadata.find(id).orElseThrow(() -> new DownloadDenied(DownloadDenied.Reason.NOT_FOUND));
        if (!r.workspaceId().equals(access.workspaceId())) {
            throw new DownloadDenied(DownloadDenied.Reason.WRONG_WORKSPACE);
        }
        StoredUpload upload = toStored(r);
        if (!access.permits(upload)) throw new DownloadDenied(DownloadDenied.Reason.ACCESS_DENIED);
        return upload;
    }

    private StoredUpload toStored(UploadRecord r) throws DownloadDenied {
        String name;
        try {
            name = keyring.workspaceFields(r.workspaceId()).decrypt(r.encryptedDisplayName(), nameContext(r.workspaceId(), r.id()));
        } catch (KeyDestroyedException e) {
            throw new DownloadDenied(DownloadDenied.Reason.KEY_DESTROYED);
        } catch (DecryptionException e) {
            if (e.reason() == DecryptionException.Reason.KEY_DESTROYED) throw new DownloadDenied(DownloadDenied.Reason.KEY_DESTROYED);
            throw new UploadStoreException("the stored name of upload " + r.id() + " does not decrypt (" + e.reason()
                    + "): the metadata was altered or belongs to another row", e);
        }
        return new StoredUpload(r.id(), r.workspaceId(), r.purpose(), r.contentType(), r.size(), name, r.uploadedBy(), r.createdAt());
    }

    private static FieldContext nameContext(String workspaceId, BlobId id) {
        return FieldContext.of(workspaceId, TABLE, NAME_COLUMN, id.value());
    }

    private UploadPurpose purpose(UploadRequest request) throws UploadRejected {
        UploadPurpose p = purposes.get(request.purpose());
        if (p == null) {
            throw new UploadRejected(UploadRejected.Reason.UNKNOWN_PURPOSE, "unknown upload purpose (configured: "
                    + purposes.keySet() + ")");
        }
        return p;
    }

    private void scan(CheckedUpload checked, EncryptedBlobStore.PendingBlob pending) throws UploadRejected {
        UploadScanner.Subject subject = new UploadScanner.Subject() {
            @Override
            public String purpose() {
                return checked.purpose();
            }

            @Override
            public String contentType() {
                return checked.contentType().toString();
            }

            @Override
            public long size() {
                return checked.size();
            }

            @Override
            public InputStream openContent() throws IOException {
                try {
                    return pending.readBack();
                } catch (KeyDestroyedException e) {
                    throw new IOException("the workspace's keys were destroyed during the upload", e);
                }
            }
        };
        UploadScanner.Verdict verdict;
        try {
            verdict = scanner.scan(subject);
        } catch (IOException | RuntimeException e) {
            log.warn("upload scanner failed: {}", e.toString());
            throw new UploadRejected(UploadRejected.Reason.SCANNER_FAILED);
        }
        if (verdict == null) throw new UploadRejected(UploadRejected.Reason.SCANNER_FAILED);
        if (!verdict.clean()) {
            log.warn("upload scanner reported a threat: {}", verdict.threat());
            throw new UploadRejected(UploadRejected.Reason.MALWARE_DETECTED,
                    UploadRejected.Reason.MALWARE_DETECTED.description() + " (" + verdict.threat() + ")");
        }
    }

    @Override
    public String toString() {
        return "UploadGuard[" + purposes.keySet() + ", " + blobs + "]";
    }

    public static final class Builder {
        private final Map<String, UploadPurpose> purposes = new LinkedHashMap<>();
        private Keyring keyring;
        private Path dataDirectory;
        private final List<Path> webRoots = new ArrayList<>();
        private UploadMetadataStore metadata;
        private UploadScanner scanner;
        private Clock clock = Clock.systemUTC();

        private Builder() {
            for (UploadPurpose p : UploadPurpose.defaults()) purposes.put(p.name(), p);
        }

        /** The keyring whose per-workspace file keys encrypt blobs (workspace keys must exist: {@code createWorkspaceKeys}). */
        public Builder keyring(Keyring keyring) {
            this.keyring = Objects.requireNonNull(keyring);
            return this;
        }

        /** Where encrypted blobs live. Must be outside every {@link #webRoot}. */
        public Builder dataDirectory(Path dir) {
            this.dataDirectory = Objects.requireNonNull(dir);
            return this;
        }

        /** A directory a web server serves statically; the data directory is refused if it lies inside one. */
        public Builder webRoot(Path dir) {
            this.webRoots.add(Objects.requireNonNull(dir));
            return this;
        }

        public Builder metadataStore(UploadMetadataStore store) {
            this.metadata = Objects.requireNonNull(store);
            return this;
        }

        /** Adds a purpose, or replaces the one with the same name. */
        public Builder purpose(UploadPurpose purpose) {
            purposes.put(purpose.name(), purpose);
            return this;
        }

        /** Replaces all purposes (the defaults included) with these. */
        public Builder onlyPurposes(UploadPurpose... list) {
            purposes.clear();
            for (UploadPurpose p : list) purpose(p);
            return this;
        }

        /** A scanner called after the built-in checks (none by default). */
        public Builder scanner(UploadScanner scanner) {
            this.scanner = Objects.requireNonNull(scanner);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public UploadGuard build() {
            if (keyring == null) throw new IllegalStateException("keyring is required (blobs are always encrypted)");
            if (dataDirectory == null) throw new IllegalStateException("dataDirectory is required");
            if (metadata == null) {
                throw new IllegalStateException("metadataStore is required (InMemoryUploadMetadataStore for one node "
                        + "and tests, JdbcUploadMetadataStore otherwise)");
            }
            if (purposes.isEmpty()) throw new IllegalStateException("at least one purpose is required");
            return new UploadGuard(this, EncryptedBlobStore.open(dataDirectory, keyring, webRoots));
        }
    }
}
