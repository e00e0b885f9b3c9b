package dev.bulwark.links;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryStoresTest {
    final Instant now = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void usedLinkIsRecordedOnceAndPurgedAfterExpiry() {
        InMemoryUsedLinkStore store = new InMemoryUsedLinkStore();
        assertThat(store.markUsed("a", now.plusSeconds(60))).isTrue();
        assertThat(store.markUsed("a", now.plusSeconds(60))).isFalse();
        assertThat(store.isUsed("a", now)).isTrue();
        assertThat(store.isUsed("b", now)).isFalse();
        assertThat(store.purgeExpired(now)).isZero();
        assertThat(store.purgeExpired(now.plusSeconds(61))).isEqualTo(1);
        assertThat(store.isUsed("a", now)).isFalse();
    }

    @Test
    void revocationVersionStartsAtZeroAndCountsPerResource() {
        InMemoryLinkRevocationStore store = new InMemoryLinkRevocationStore();
        assertThat(store.currentVersion("ws", "r")).isZero();
        assertThat(store.revokeAll("ws", "r")).isEqualTo(1);
        assertThat(store.revokeAll("ws", "r")).isEqualTo(2);
        assertThat(store.currentVersion("ws", "r")).isEqualTo(2);
        assertThat(store.currentVersion("ws", "r2")).isZero();
        assertThat(store.currentVersion("ws2", "r")).isZero();
    }
}
