package dev.bulwark.links;

import dev.bulwark.testkit.MutableClock;
import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JDBC link stores on in-memory H2 in the unit suite (LinkStoresIT runs them on PostgreSQL too): single use and
 * revocation through a shared database, keep-until boundaries, and failing closed when the database fails.
 */
class JdbcLinkStoresH2Test {
    static final String AUD = "https://app.example";
    final TestDatabase db = TestDatabase.h2();
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    final LinkKeyset keyset = LinkKeyset.of(LinkKey.generate("k1"));

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void schemaIsCreatedIdempotentlyFromTheShippedDdl() throws Exception {
        assertThat(LinkStoreSchema.ddl()).contains("bulwark_used_link", "bulwark_link_revocation");
        LinkStoreSchema.create(db.dataSource());
        LinkStoreSchema.create(db.dataSource());
        try (Connection c = db.dataSource().getConnection();
             var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM bulwark_used_link")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void singleUseLinkIsAcceptedOnceAcrossVerifiersSharingTheDatabase() throws Exception {
        LinkStoreSchema.create(db.dataSource());
        LinkSigner signer = LinkSigner.builder().keys(keyset).audience(AUD).clock(clock).build();
        LinkVerifier nodeA = LinkVerifier.builder().keys(keyset).audience(AUD).clock(clock).usedLinks(new JdbcUsedLinkStore(db.dataSource())).build();
        LinkVerifier nodeB = LinkVerifier.builder().keys(keyset).audience(AUD).clock(clock).usedLinks(new JdbcUsedLinkStore(db.dataSource())).build();
        String reset = signer.issue(LinkPurpose.PASSWORD_RESET, "ws1", "user_1");
        assertThat(nodeB.preview(reset, LinkPurpose.PASSWORD_RESET, "ws1")).isEmpty();
        assertThat(nodeA.verify(reset, LinkPurpose.PASSWORD_RESET, "ws1").resourceId()).isEqualTo("user_1");
        assertThatThrownBy(() -> nodeB.verify(reset, LinkPurpose.PASSWORD_RESET, "ws1"))
                .isInstanceOfSatisfying(LinkRejected.class, r -> assertThat(r.reason()).isEqualTo(LinkRejected.Reason.ALREADY_USED));
        assertThat(nodeB.preview(reset, LinkPurpose.PASSWORD_RESET, "ws1"))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(LinkRejected.Reason.ALREADY_USED));
    }

    @Test
    void usedRecordsCountUntilTheirKeepUntilSecondAndArePurgedAfterIt() {
        LinkStoreSchema.create(db.dataSource());
        UsedLinkStore store = new JdbcUsedLinkStore(db.dataSource());
        Instant t = clock.instant();
        assertThat(store.markUsed("aaaaaaaaaaaaaaaaaaaaaa", t)).isTrue();
        assertThat(store.markUsed("aaaaaaaaaaaaaaaaaaaaaa", t.plusSeconds(60))).isFalse();
        assertThat(store.isUsed("aaaaaaaaaaaaaaaaaaaaaa", t)).isTrue();
        assertThat(store.isUsed("aaaaaaaaaaaaaaaaaaaaaa", t.plusSeconds(1))).isFalse();
        assertThat(store.isUsed("bbbbbbbbbbbbbbbbbbbbbb", t.minusSeconds(5))).isFalse();
        assertThat(store.purgeExpired(t)).isZero();
        assertThat(store.purgeExpired(t.plusSeconds(1))).isEqualTo(1);
        assertThat(store.markUsed("aaaaaaaaaaaaaaaaaaaaaa", t.plusSeconds(60))).isTrue();
    }

    @Test
    void revocationVersionsCountPerResourceAndVoidEarlierLinks() throws Exception {
        LinkStoreSchema.create(db.dataSource());
        JdbcLinkRevocationStore revocations = new JdbcLinkRevocationStore(db.dataSource());
        assertThat(revocations.currentVersion("ws1", "inv_1")).isZero();
        assertThat(revocations.revokeAll("ws1", "inv_1")).isEqualTo(1);
        assertThat(revocations.revokeAll("ws1", "inv_1")).isEqualTo(2);
        assertThat(revocations.revokeAll("ws1", "inv_2")).isEqualTo(1);
        assertThat(revocations.currentVersion("ws1", "inv_1")).isEqualTo(2);
        assertThat(revocations.currentVersion("ws2", "inv_1")).isZero();

        LinkSigner signer = LinkSigner.builder().keys(keyset).audience(AUD).clock(clock).revocations(revocations).build();
        LinkVerifier verifier = LinkVerifier.builder().keys(keyset).audience(AUD).clock(clock).revocations(revocations).build();
        String link = signer.issue(LinkPurpose.INVOICE_VIEW, "ws1", "inv_1");
        assertThat(verifier.verify(link, LinkPurpose.INVOICE_VIEW, "ws1").resourceVersion()).isEqualTo(2);
        revocations.revokeAll("ws1", "inv_1");
        assertThat(verifier.preview(link, LinkPurpose.INVOICE_VIEW, "ws1"))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(LinkRejected.Reason.REVOKED));
        assertThatThrownBy(() -> revocations.revokeAll(null, "inv_1")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> revocations.revokeAll("ws1", null)).isInstanceOf(NullPointerException.class);
    }

    /** Like a connection pool: hands out connections with the given auto-commit and records it when they go back. */
    private static DataSource pool(DataSource real, boolean autoCommit, java.util.List<Boolean> autoCommitOnReturn) {
        return (DataSource) Proxy.newProxyInstance(JdbcLinkStoresH2Test.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (p, m, args) -> {
                    if (!m.getName().equals("getConnection")) return m.invoke(real, args);
                    Connection c = real.getConnection();
                    c.setAutoCommit(autoCommit);
                    return Proxy.newProxyInstance(JdbcLinkStoresH2Test.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (cp, cm, cargs) -> {
                                if (cm.getName().equals("close")) autoCommitOnReturn.add(c.getAutoCommit());
                                try {
                                    return cm.invoke(c, cargs);
                                } catch (InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
                });
    }

    @Test
    void revokingReturnsPooledConnectionsWithTheirAutoCommitRestored() {
        LinkStoreSchema.create(db.dataSource());
        java.util.List<Boolean> onReturn = new java.util.ArrayList<>();
        JdbcLinkRevocationStore revocations = new JdbcLinkRevocationStore(pool(db.dataSource(), true, onReturn));
        assertThat(revocations.revokeAll("ws1", "inv_1")).isEqualTo(1);
        assertThat(revocations.revokeAll("ws1", "inv_1")).isEqualTo(2);
        assertThat(onReturn).containsExactly(true, true);
        assertThat(new JdbcLinkRevocationStore(db.dataSource()).currentVersion("ws1", "inv_1")).isEqualTo(2);
    }

    @Test
    void usedLinkIsCommittedEvenFromAPoolWithoutAutoCommit() {
        LinkStoreSchema.create(db.dataSource());
        java.util.List<Boolean> onReturn = new java.util.ArrayList<>();
        UsedLinkStore pooled = new JdbcUsedLinkStore(pool(db.dataSource(), false, onReturn));
        assertThat(pooled.markUsed("aaaaaaaaaaaaaaaaaaaaaa", clock.instant())).isTrue();
        // Seen by another node (another connection): the first use is durable, so a replay elsewhere is refused.
        assertThat(new JdbcUsedLinkStore(db.dataSource()).isUsed("aaaaaaaaaaaaaaaaaaaaaa", clock.instant())).isTrue();
        assertThat(new JdbcUsedLinkStore(db.dataSource()).markUsed("aaaaaaaaaaaaaaaaaaaaaa", clock.instant())).isFalse();
    }

    @Test
    void concurrentFirstRevocationsEachBumpTheVersion() throws Exception {
        LinkStoreSchema.create(db.dataSource());
        JdbcLinkRevocationStore revocations = new JdbcLinkRevocationStore(db.dataSource());
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Long>> fs = new java.util.ArrayList<>();
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            for (int i = 0; i < 8; i++) {
                fs.add(threads.submit(() -> {
                    go.await();
                    return revocations.revokeAll("ws1", "inv_9");
                }));
            }
            go.countDown();
            java.util.List<Long> versions = new java.util.ArrayList<>();
            for (var f : fs) versions.add(f.get());
            assertThat(versions).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void databaseFailuresFailClosed() {
        LinkStoreSchema.create(db.dataSource());
        DataSource down = proxy(db.dataSource(), null, new SQLException("connection refused", "08001"));
        LinkVerifier verifier = LinkVerifier.builder().keys(keyset).audience(AUD).clock(clock)
                .usedLinks(new JdbcUsedLinkStore(down)).revocations(new JdbcLinkRevocationStore(down)).build();
        String link = LinkSigner.builder().keys(keyset).audience(AUD).clock(clock).build().issue(LinkPurpose.PASSWORD_RESET, "ws1", "u1");
        assertThatThrownBy(() -> verifier.verify(link, LinkPurpose.PASSWORD_RESET, "ws1")).isInstanceOf(LinkStoreException.class)
                .hasCauseInstanceOf(SQLException.class);
        UsedLinkStore used = new JdbcUsedLinkStore(down);
        assertThatThrownBy(() -> used.markUsed("aaaaaaaaaaaaaaaaaaaaaa", clock.instant())).isInstanceOf(LinkStoreException.class);
        assertThatThrownBy(() -> used.isUsed("aaaaaaaaaaaaaaaaaaaaaa", clock.instant())).isInstanceOf(LinkStoreException.class);
        assertThatThrownBy(() -> used.purgeExpired(clock.instant())).isInstanceOf(LinkStoreException.class);
        LinkRevocationStore revocations = new JdbcLinkRevocationStore(down);
        assertThatThrownBy(() -> revocations.currentVersion("ws1", "r")).isInstanceOf(LinkStoreException.class);
        assertThatThrownBy(() -> revocations.revokeAll("ws1", "r")).isInstanceOf(LinkStoreException.class);
        assertThatThrownBy(() -> LinkStoreSchema.create(down)).isInstanceOf(LinkStoreException.class);
    }

    @Test
    void missingTablesAreStoreErrorsNotFirstUse() {
        // Without the schema an insert fails with "table not found", which must not read as "already used".
        UsedLinkStore used = new JdbcUsedLinkStore(db.dataSource());
        assertThatThrownBy(() -> used.markUsed("aaaaaaaaaaaaaaaaaaaaaa", clock.instant())).isInstanceOf(LinkStoreException.class);
        assertThatThrownBy(() -> new JdbcLinkRevocationStore(db.dataSource()).revokeAll("ws1", "r"))
                .isInstanceOf(LinkStoreException.class);
    }

    private interface ConnectionSink {
        void accept(Connection c);
    }

    private static DataSource proxy(DataSource real, ConnectionSink sink, SQLException failure) {
        return (DataSource) Proxy.newProxyInstance(JdbcLinkStoresH2Test.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (p, m, args) -> {
                    if (m.getName().equals("getConnection")) {
                        if (failure != null) throw failure;
                        Connection c = (Connection) m.invoke(real, args);
                        if (sink != null) sink.accept(c);
                        return c;
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
