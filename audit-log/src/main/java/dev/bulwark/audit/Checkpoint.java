package dev.bulwark.audit;

import java.time.Instant;

/**
 * Left behind when retention prunes the start of a chain: the seq and MAC of the last pruned entry, signed with the
 * audit key, so the remaining entries still verify and nobody can drop more entries without the key.
 */
public record Checkpoint(ChainId chain, long throughSeq, String lastMac, Instant prunedAt, int keyId, String mac) {
}
