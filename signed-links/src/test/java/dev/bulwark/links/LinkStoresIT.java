package dev.bulwark.links;

import dev.bulwark.testkit.MutableClock;

import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Single use and revocation through the JDBC stores, on real PostgreSQL and on H2, by the same tests. */
class LinkStoresIT {
    static final String AUD = "https://app.example";
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    final LinkKeyset keyset = LinkKeyset.of(LinkKey.generate("k1"));

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void singleUseLinkIsAcceptedOnceAcrossVerifiersSharingTheDatabase(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = kind.open()) {
            LinkStoreSchema.create(db.dataSource());
            LinkStoreSchema.create(db.dataSource()); // idempotent
            LinkSigner signer = LinkSigner.builder().keys(keyset).audience(AUD).clock(clock).build();
            LinkVerifier nodeA = verifier(new JdbcUsedLinkStore(db.dataSource()), null);
            LinkVerifier nodeB = verifier(new JdbcUsedLinkStore(db.dataSource()), null);

            String reset = signer.issue(LinkPurpose.PASSWORD_RESET, "ws1", "user_1");
            assertThat(nodeA.preview(reset, LinkPurpose.PASSWORD_RESET, "ws1")).isEmpty();
            assertThat(nodeA.verify(reset, LinkPurpose.PASSWORD_RESET, "ws1").resourceId()).isEqualTo("user_1");
            assertThatThrownBy(() -> nodeB.verify(reset, LinkPurpose.PASSWORD_RESET, "ws1"))
                    .isInstanceOfSatisfying(LinkRejected.class,
                            r -> assertThat(r.reason()).isEqualTo(LinkRejected.Reason.ALREADY_USED));
            assertThat(nodeB.preview(reset, LinkPurpose.PASSWORD_RESET, "ws1"))
                    .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(LinkRejected.Reason.ALREADY_USED));

            String other = signer.issue(LinkPurpose.PASSWORD_RESET, "ws1", "user_1");
            assertThat(nodeB.verify(other, LinkPurpose.PASSWORD_RESET, "ws1").tokenId()).isNotEqualTo(reset);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void concurrentRedemptionsOfOneLinkSucceedExactlyOnce(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = kind.open()) {
            LinkStoreSchema.create(db.dataSource());
            LinkSigner signer = LinkSigner.builder().keys(keyset).audience(AUD).clock(clock).build();
            LinkVerifier verifier = verifier(new JdbcUsedLinkStore(db.dataSource()), null);
            String invite = signer.issue(LinkPurpose.TEAM_INVITE, "ws1", "invite_1");
            int threads = 8;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    Callable<Boolean> redeem = () -> {
                        start.await();
                        try {
                            verifier.verify(invite, LinkPurpose.TEAM_INVITE, "ws1");
                            return true;
                        } catch (LinkRejected r) {
                            assertThat(r.reason()).isEqualTo(LinkRejected.Reason.ALREADY_USED);
                            return false;
                        }
                    };
                    results.add(pool.submit(redeem));
                }
                start.countDown();
                int accepted = 0;
                for (Future<Boolean> f : results) if (f.get()) accepted++;
                assertThat(accepted).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void revokingAResourceRejectsEveryEarlierLinkToItAndNoOther(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = kind.open()) {
            LinkStoreSchema.create(db.dataSource());
            JdbcLinkRevocationStore revocations = new JdbcLinkRevocationStore(db.dataSource());
            LinkSigner signer = LinkSigner.builder().keys(keyset).audience(AUD).clock(clock).revocations(revocations).build();
            LinkVerifier verifier = verifier(new JdbcUsedLinkStore(db.dataSource()), revocations);

            String first = signer.issue(LinkPurpose.INVOICE_VIEW, "ws1", "inv_1");
            String second = signer.issue(LinkPurpose.INVOICE_VIEW, "ws1", "inv_1");
            String otherInvoice = signer.issue(LinkPurpose.INVOICE_VIEW, "ws1", "inv_2");
            String otherWorkspace = signer.issue(LinkPurpose.INVOICE_VIEW, "ws2", "inv_1");
            verifier.verify(first, LinkPurpose.INVOICE_VIEW, "ws1");

            assertThat(revocations.revokeAll("ws1", "inv_1")).isEqualTo(1);
            for (String t : List.of(first, second)) {
                assertThatThrownBy(() -> verifier.verify(t, LinkPurpose.INVOICE_VIEW, "ws1"))
                        .isInstanceOfSatisfying(LinkRejected.class,
                                r -> assertThat(r.reason()).isEqualTo(LinkRejected.Reason.REVOKED));
            }
            assertThat(verifier.verify(otherInvoice, LinkPurpose.INVOICE_VIEW, "ws1").resourceVersion()).isZero();
            assertThat(verifier.verify(otherWorkspace, LinkPurpose.INVOICE_VIEW, "ws2").resourceVersion()).isZero();

            String reissued = signer.issue(LinkPurpose.INVOICE_VIEW, "ws1", "inv_1");
            assertThat(verifier.verify(reissued, LinkPurpose.INVOICE_VIEW, "ws1").resourceVersion()).isEqualTo(1);
            assertThat(revocations.revokeAll("ws1", "inv_1")).isEqualTo(2);
            assertThat(revocations.currentVersion("ws1", "inv_1")).isEqualTo(2);
            assertThatThrownBy(() -> verifier.verify(reissued, LinkPurpose.INVOICE_VIEW, "ws1"))
                    .isInstanceOf(LinkRejected.class);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void concurrentFirstRevocationsEachBumpTheVersion(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = kind.open()) {
            LinkStoreSchema.create(db.dataSource());
            JdbcLinkRevocationStore revocations = new JdbcLinkRevocationStore(db.dataSource());
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Long>> fs = new ArrayList<>();
                for (int i = 0; i < 4; i++) fs.add(pool.submit(() -> revocations.revokeAll("ws1", "inv_9")));
                List<Long> versions = new ArrayList<>();
                for (Future<Long> f : fs) versions.add(f.get());
                assertThat(versions).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void usedLinkRecordsArePurgedOnlyAfterTheyExpire(TestDatabase.Kind kind) {
        try (TestDatabase db = kind.open()) {
            LinkStoreSchema.create(db.dataSource());
            UsedLinkStore store = new JdbcUsedLinkStore(db.dataSource());
            Instant now = clock.instant();
            assertThat(store.markUsed("aaaaaaaaaaaaaaaaaaaaaa", now.plusSeconds(60))).isTrue();
            assertThat(store.markUsed("aaaaaaaaaaaaaaaaaaaaaa", now.plusSeconds(60))).isFalse();
            assertThat(store.markUsed("bbbbbbbbbbbbbbbbbbbbbb", now.minusSeconds(1))).isTrue();
            assertThat(store.isUsed("aaaaaaaaaaaaaaaaaaaaaa", now)).isTrue();
            assertThat(store.isUsed("bbbbbbbbbbbbbbbbbbbbbb", now)).isFalse();
            assertThat(store.purgeExpired(now)).isEqualTo(1);
            assertThat(store.purgeExpired(now.plus(Duration.ofMinutes(2)))).isEqualTo(1);
            assertThat(store.isUsed("aaaaaaaaaaaaaaaaaaaaaa", now)).isFalse();
        }
    }

    private LinkVerifier verifier(UsedLinkStore used, LinkRevocationStore revocations) {
        LinkVerifier.Builder b = LinkVerifier.builder().keys(keyset).audience(AUD).clock(clock).usedLinks(used);
        if (revocations != null) b.revocations(revocations);
        return b.build();
    }
}
