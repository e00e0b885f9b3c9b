package dev.bulwark.upload;

/**
 * How far an accepted ZIP-family archive may expand. Counted over every entry of every nested level, on the bytes
 * actually inflated (declared sizes in headers are never trusted).
 *
 * @param maxEntries       most entries across all nesting levels
 * @param maxExpandedBytes most bytes all entries may inflate to, together
 * @param maxRatio         most inflated bytes per compressed upload byte (checked once {@link #RATIO_GRACE_BYTES} have inflated)
 * @param maxNestingDepth  how many archive-in-archive levels are inspected; deeper nesting is refused (0 = none)
 */
public record ArchiveLimits(int maxEntries, long maxExpandedBytes, int maxRatio, int maxNestingDepth) {
    /** Small archives may legitimately compress very well; the ratio applies only beyond this much output. */
    public static final long RATIO_GRACE_BYTES = 1L << 20;

    public ArchiveLimits {
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be positive");
        if (maxExpandedBytes < 1) throw new IllegalArgumentException("maxExpandedBytes must be positive");
        if (maxRatio < 1) throw new IllegalArgumentException("maxRatio must be positive");
        if (maxNestingDepth < 0 || maxNestingDepth > 5) throw new IllegalArgumentException("maxNestingDepth must be 0..5");
    }

    /** 10 000 entries, 512 MiB expanded, ratio 100, one nested level. */
    public static ArchiveLimits defaults() {
        return new ArchiveLimits(10_000, 512L << 20, 100, 1);
    }
}
