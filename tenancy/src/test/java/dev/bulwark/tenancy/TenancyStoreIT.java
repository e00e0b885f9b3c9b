package dev.bulwark.tenancy;

import dev.bulwark.crypto.JdbcKeysetStore;
import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The same scenarios as {@link TenancyTest}, on {@link JdbcTenancyStore} + core-crypto's JDBC keyset store, H2 and PostgreSQL. */
class TenancyStoreIT {

    interface Scenario {
        void run(TenancyStore store, JdbcKeysetStore keysets) throws Exception;
    }

    private static void onDatabase(TestDatabase.Kind kind, Scenario s) throws Exception {
        try (TestDatabase db = kind.open()) {
            s.run(new JdbcTenancyStore(db.dataSource()).createTablesIfMissing(),
                    new JdbcKeysetStore(db.dataSource()).createTableIfMissing());
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void contextIsCreatedOnlyFromAVerifiedMembership(TestDatabase.Kind kind) throws Exception {
        onDatabase(kind, TenancyScenarios::contextOnlyFromAVerifiedMembership);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void rolesLimitWhoMayChangeMembershipsAndOwnersAreProtected(TestDatabase.Kind kind) throws Exception {
        onDatabase(kind, TenancyScenarios::rolesLimitMembershipChanges);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void deletedWorkspaceValuesFailWithKeyDestroyedAndTheDeletionIsRecorded(TestDatabase.Kind kind) throws Exception {
        onDatabase(kind, TenancyScenarios::deletedWorkspaceIsCryptoShreddedAndRecorded);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void interruptedShreddingIsFinishedByResumeShredding(TestDatabase.Kind kind) throws Exception {
        onDatabase(kind, TenancyScenarios::interruptedShreddingIsResumed);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void concurrentDemotionsNeverLeaveAWorkspaceWithoutOwner(TestDatabase.Kind kind) throws Exception {
        onDatabase(kind, TenancyScenarios::concurrentDemotionsNeverLeaveAWorkspaceWithoutOwner);
    }
}
