package dev.bulwark.audit;

import java.time.Instant;

/**
 * The newest entry of a chain (its seq and MAC). Publish it outside the database from time to time (ops log, SIEM,
 * ticket) and pass it to the verifier: that anchor is what reveals a deleted tail of the chain.
 */
public record ChainHead(ChainId chain, long seq, String mac, Instant time) {
    static ChainHead genesis(ChainId chain) {
        return new ChainHead(chain, 0, Canonical.GENESIS_MAC, Instant.EPOCH);
    }
}
