package dev.bulwark.crypto;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;

/** Run in a child JVM with a small heap by {@link StreamCipherTest}: encrypts N pseudo-random bytes to a file and back. */
public final class StreamMemoryCheck {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long size = Long.parseLong(args[1]);
        Keyring k = TestKeyrings.fresh();
        StreamContext ctx = StreamContext.of("ws1", "big");
        MessageDigest in = MessageDigest.getInstance("SHA-256");
        Random r = new Random(42);
        byte[] buf = new byte[64 * 1024];
        Path file = dir.resolve("cipher.bin");
        try (OutputStream os = k.files().encrypting(new BufferedOutputStream(Files.newOutputStream(file)), ctx)) {
            for (long done = 0; done < size; done += buf.length) {
                r.nextBytes(buf);
                int n = (int) Math.min(buf.length, size - done);
                in.update(buf, 0, n);
                os.write(buf, 0, n);
            }
        }
        MessageDigest out = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (InputStream is = k.files().decrypting(new BufferedInputStream(Files.newInputStream(file)), ctx)) {
            int n;
            while ((n = is.read(buf)) > 0) {
                out.update(buf, 0, n);
                total += n;
            }
        }
        if (!Arrays.equals(in.digest(), out.digest()) || total != size) {
            System.out.println("MISMATCH after " + total + " bytes");
            System.exit(2);
        }
        System.out.println("OK " + total + " bytes, max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB");
    }
}
