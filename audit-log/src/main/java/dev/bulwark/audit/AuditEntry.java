package dev.bulwark.audit;

import java.time.Instant;

/**
 * One sealed event of a chain: the event, its position ({@code seq}, from 1), the time the log stamped, the MAC of the
 * previous entry and its own MAC over all of that. Entries read back from a store or an export are not trusted until
 * an {@link AuditVerifier} has checked the chain.
 *
 * @param prevMac base64url of the previous entry's MAC (or of a genesis value for seq 1)
 * @param mac     base64url of HMAC-SHA256 over {@link Canonical#entry} under key {@code keyId}
 */
public record AuditEntry(ChainId chain, long seq, Instant time, Actor actor, String action, String targetType,
                         String targetId, Outcome outcome, String ip, String userAgent, Details details,
                         boolean suspicious, int keyId, String prevMac, String mac) {

    public ChainHead asHead() {
        return new ChainHead(chain, seq, mac, time);
    }

    @Override
    public String toString() {
        return "AuditEntry[" + chain + " #" + seq + " " + time + " " + actor.type() + ":" + actor.id() + " " + action + " "
                + outcome + (targetType == null ? "" : " " + targetType + ":" + targetId) + "]";
    }
}
