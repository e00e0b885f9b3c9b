package dev.bulwark.crypto;

import com.google.crypto.tink.StreamingAead;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * Streaming encryption for files and backups: AES-256-GCM-HKDF with 1 MB segments (Tink {@link StreamingAead}).
 * Memory stays constant whatever the size; every segment is authenticated, and truncation, reordering or
 * splicing of segments is detected as an {@link IOException} while reading. A 4-byte header ({@code BWS1}) marks
 * the format version. Associated data binds the stream to a {@link StreamContext} (workspace, object id).
 */
public final class StreamCipher {
    private static final byte[] HEADER = {'B', 'W', 'S', '1'};

    private final Keyring keyring;
    private final KeysetName keyset;

    StreamCipher(Keyring keyring, KeysetName keyset) {
        this.keyring = keyring;
        this.keyset = keyset;
    }

    public KeysetName keyset() {
        return keyset;
    }

    /** Wraps {@code sink}: bytes written are encrypted; {@code close()} writes the final segment and closes the sink. */
    public OutputStream encrypting(OutputStream sink, StreamContext context) throws IOException {
        LoadedKeyset k = keyring.load(keyset);
        Keyring.requireAlive(k);
        sink.write(HEADER);
        try {
            return Keyring.streaming(k).newEncryptingStream(sink, context.associatedData());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot start encryption under " + keyset.id(), e);
        }
    }

    /**
     * Wraps {@code source}: bytes read are decrypted and authenticated segment by segment. A tampered, truncated or
     * reordered stream, or one bound to another context, fails with an {@link IOException} no later than the segment
     * in question; never trust data from a stream that did not reach EOF cleanly.
     *
     * @throws KeyDestroyedException if the keyset was destroyed (crypto-shredded)
     */
    public InputStream decrypting(InputStream source, StreamContext context) throws IOException, KeyDestroyedException {
        byte[] header = source.readNBytes(HEADER.length);
        if (!Arrays.equals(header, HEADER)) {
            throw new IOException("not a Bulwark encrypted stream (missing BWS1 header)");
        }
        LoadedKeyset k = keyring.load(keyset);
        if (k.destroyed()) throw new KeyDestroyedException(keyset);
        try {
            return Keyring.streaming(k).newDecryptingStream(source, context.associatedData());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot start decryption under " + keyset.id(), e);
        }
    }

    @Override
    public String toString() {
        return "StreamCipher[" + keyset.id() + "]";
    }
}
