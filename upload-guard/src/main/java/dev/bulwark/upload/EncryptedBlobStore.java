package dev.bulwark.upload;

import dev.bulwark.crypto.KeyDestroyedException;
import dev.bulwark.crypto.Keyring;
import dev.bulwark.crypto.StreamContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Files at rest: {@code <dataDir>/<workspace folder>/<blob id>}, each encrypted with the workspace's streaming keyset
 * ({@link Keyring#workspaceFiles(String)}) and bound to workspace and blob id, so a file copied into another
 * workspace's folder or renamed does not decrypt, and destroying the workspace's keys shreds its files.
 *
 * <p>Writes are atomic: the ciphertext goes to a temp file in the same folder, is fsynced, then renamed into place,
 * and the folder is fsynced; a crash leaves at most an invisible temp file, removed by {@link #purgeTempFiles()}.
 * Reading is package-private: applications read through {@link UploadGuard#open}, which applies their access check.
 */
public final class EncryptedBlobStore {
    private static final Logger log = LoggerFactory.getLogger(EncryptedBlobStore.class);
    static final String TEMP_PREFIX = ".tmp-";
    private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_PERMS = PosixFilePermissions.fromString("rw-------");

    private final Path root;
    private final Keyring keyring;

    private EncryptedBlobStore(Path root, Keyring keyring) {
        this.root = root;
        this.keyring = keyring;
    }

    /**
     * @param dataDirectory where blobs live; created (owner-only) if missing
     * @param webRoots      directories a web server serves statically; the data directory may not be inside one
     */
    public static EncryptedBlobStore open(Path dataDirectory, Keyring keyring, List<Path> webRoots) {
        Objects.requireNonNull(keyring, "keyring");
        Path dir = dataDirectory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
            restrict(dir, DIR_PERMS);
            Path real = dir.toRealPath();
            for (Path webRoot : webRoots) {
                Path w = webRoot.toAbsolutePath().normalize();
                Path wReal = Files.exists(w) ? w.toRealPath() : w;
                if (real.startsWith(wReal) || dir.startsWith(w)) {
                    throw new IllegalArgumentException("the upload data directory must be outside the web root " + w);
                }
            }
            return new EncryptedBlobStore(real, keyring);
        } catch (IOException e) {
            throw new UploadStoreException("cannot prepare the upload data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    /** Starts writing a new blob; nothing is visible until {@link PendingBlob#commit()}. */
    PendingBlob create(String workspaceId, BlobId id) throws IOException {
        Path folder = workspaceFolder(workspaceId);
        Files.createDirectories(folder);
        restrict(folder, DIR_PERMS);
        Path temp = folder.resolve(TEMP_PREFIX + BlobId.random().value());
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        restrict(temp, FILE_PERMS);
        return new PendingBlob(workspaceId, id, folder, temp, channel);
    }

    /** Opens a blob's plaintext; package-private so that every read goes through the guard's access check. */
    InputStream read(String workspaceId, BlobId id) throws IOException, KeyDestroyedException {
        Path file = workspaceFolder(workspaceId).resolve(id.value());
        InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
        try {
            return keyring.workspaceFiles(workspaceId).decrypting(in, StreamContext.of(workspaceId, id.value()));
        } catch (IOException | KeyDestroyedException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    boolean exists(String workspaceId, BlobId id) {
        return Files.isRegularFile(workspaceFolder(workspaceId).resolve(id.value()), LinkOption.NOFOLLOW_LINKS);
    }

    /** Deletes the blob's ciphertext; true if it existed. */
    boolean delete(String workspaceId, BlobId id) throws IOException {
        boolean deleted = Files.deleteIfExists(workspaceFolder(workspaceId).resolve(id.value()));
        if (deleted) syncDirectory(workspaceFolder(workspaceId));
        return deleted;
    }

    /** Deletes a workspace's folder and everything in it; returns how many files were removed. */
    int deleteWorkspace(String workspaceId) throws IOException {
        Path folder = workspaceFolder(workspaceId);
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) return 0;
        int n = 0;
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
                n++;
            }
        }
        Files.delete(folder);
        syncDirectory(root);
        return n;
    }

    /** Removes temp files left by writes interrupted by a crash; run at start-up. Returns how many. */
    public int purgeTempFiles() {
        int n = 0;
        try (Stream<Path> folders = Files.list(root)) {
            for (Path folder : (Iterable<Path>) folders::iterator) {
                if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) continue;
                try (Stream<Path> files = Files.list(folder)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        if (f.getFileName().toString().startsWith(TEMP_PREFIX)) {
                            Files.deleteIfExists(f);
                            n++;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UploadStoreException("cannot purge temp files under " + root + ": " + e.getMessage(), e);
        }
        if (n > 0) log.info("removed {} unfinished upload temp file(s)", n);
        return n;
    }

    /**
     * One folder per workspace. The folder name is derived from a hash so that any workspace id is a safe, fixed-
     * length, case-insensitive-file-system-proof name.
     */
    Path workspaceFolder(String workspaceId) {
        if (workspaceId == null || workspaceId.isBlank()) throw new IllegalArgumentException("workspaceId is required");
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest(("bulwark.upload.workspace:" + workspaceId).getBytes(StandardCharsets.UTF_8));
            return root.resolve("ws-" + HexFormat.of().formatHex(h, 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void restrict(Path p, Set<PosixFilePermission> perms) throws IOException {
        try {
            Files.setPosixFilePermissions(p, perms);
        } catch (UnsupportedOperationException notPosix) {
            // Windows: ACLs of the parent apply
        }
    }

    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // Some platforms cannot open or sync a directory; the rename is still atomic there.
        }
    }

    @Override
    public String toString() {
        return "EncryptedBlobStore[" + root + "]";
    }

    /** A blob being written: encrypt into {@link #out()}, then {@link #commit()} or {@link #abort()}. */
    final class PendingBlob implements AutoCloseable {
        private final String workspaceId;
        private final BlobId id;
        private final Path folder;
        private final Path temp;
        private final FileChannel channel;
        private final OutputStream encrypting;
        private boolean done;

        private PendingBlob(String workspaceId, BlobId id, Path folder, Path temp, FileChannel channel) throws IOException {
            this.workspaceId = workspaceId;
            this.id = id;
            this.folder = folder;
            this.temp = temp;
            this.channel = channel;
            OutputStream file = new java.io.BufferedOutputStream(Channels.newOutputStream(new Unclosable(channel)), 64 * 1024);
            try {
                this.encrypting = keyring.workspaceFiles(workspaceId).encrypting(file, StreamContext.of(workspaceId, id.value()));
            } catch (IOException | RuntimeException e) {
                abort();
                throw e;
            }
        }

        OutputStream out() {
            return encrypting;
        }

        BlobId id() {
            return id;
        }

        /** Re-reads what was written so far (after {@link #finishWriting()}): for the scanner. */
        InputStream readBack() throws IOException, KeyDestroyedException {
            InputStream in = Files.newInputStream(temp, LinkOption.NOFOLLOW_LINKS);
            try {
                return keyring.workspaceFiles(workspaceId).decrypting(in, StreamContext.of(workspaceId, id.value()));
            } catch (IOException | KeyDestroyedException | RuntimeException e) {
                in.close();
                throw e;
            }
        }

        /** Writes the final segment and forces the ciphertext to disk; the blob is still invisible. */
        void finishWriting() throws IOException {
            encrypting.close();
            channel.force(true);
            channel.close();
        }

        /** Makes the blob visible under its id, atomically. */
        void commit() throws IOException {
            Path target = folder.resolve(id.value());
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system cannot rename atomically; choose another upload data directory", e);
            } catch (FileAlreadyExistsException e) {
                throw new IOException("blob " + id + " already exists", e);
            }
            done = true;
            syncDirectory(folder);
        }

        /** Discards the temp file. */
        void abort() {
            if (done) return;
            done = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing is best effort; deleting below is what matters
            }
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                log.warn("cannot delete upload temp file {}: {}", temp.getFileName(), e.getMessage());
            }
        }

        @Override
        public void close() {
            abort();
        }
    }

    /** Lets the encrypting stream's close() finish the ciphertext without closing the channel we still fsync. */
    private static final class Unclosable implements java.nio.channels.WritableByteChannel {
        private final FileChannel ch;

        Unclosable(FileChannel ch) {
            this.ch = ch;
        }

        @Override
        public int write(java.nio.ByteBuffer src) throws IOException {
            return ch.write(src);
        }

        @Override
        public boolean isOpen() {
            return ch.isOpen();
        }

        @Override
        public void close() {
            // the pending blob closes the channel after fsync
        }
    }
}
