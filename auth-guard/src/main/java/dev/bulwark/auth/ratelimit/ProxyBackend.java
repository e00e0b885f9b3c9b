package dev.bulwark.auth.ratelimit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.proxy.ProxyManager;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.IntSupplier;

/** Buckets shared by every node through a Bucket4j ProxyManager (PostgreSQL or Redis). */
final class ProxyBackend implements Backend {
    private final ProxyManager<String> proxies;
    private final String prefix;
    private final IntSupplier evictor;
    private final Runnable closer;

    ProxyBackend(ProxyManager<String> proxies, String prefix, IntSupplier evictor, Runnable closer) {
        this.proxies = proxies;
        this.prefix = prefix;
        this.evictor = evictor;
        this.closer = closer;
    }

    @Override
    public ConsumptionProbe tryConsume(LimitKind kind, String subject, BucketConfiguration configuration, long capacity) {
        return proxies.getProxy(key(kind, subject), () -> configuration).tryConsumeAndReturnRemaining(1);
    }

    /** Long subjects (e.g. long e-mail addresses) are replaced by their SHA-256 so keys fit any column. */
    String key(LimitKind kind, String subject) {
        String s = subject.length() <= 160 ? subject : sha256(subject);
        return prefix + kind.name() + ":" + s;
    }

    private static String sha256(String s) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int evictIdle() {
        return evictor.getAsInt();
    }

    @Override
    public long trackedKeys() {
        return -1;
    }

    @Override
    public void close() {
        closer.run();
    }
}
