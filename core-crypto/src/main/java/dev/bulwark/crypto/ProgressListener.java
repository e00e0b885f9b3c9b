package dev.bulwark.crypto;

/** Told after every batch of a long walk, with the totals so far. */
@FunctionalInterface
public interface ProgressListener {
    void afterBatch(RewriteReport soFar);

    ProgressListener NONE = r -> { };
}
