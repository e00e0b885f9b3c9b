package dev.bulwark.tenancy;

import dev.bulwark.crypto.InMemoryKeysetStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Tenancy} over the in-memory store; {@code TenancyStoreIT} runs the same scenarios on H2 and PostgreSQL. */
class TenancyTest {

    @Test
    void contextIsCreatedOnlyFromAVerifiedMembership() {
        TenancyScenarios.contextOnlyFromAVerifiedMembership(new InMemoryTenancyStore(), new InMemoryKeysetStore());
    }

    @Test
    void rolesLimitWhoMayChangeMembershipsAndOwnersAreProtected() {
        TenancyScenarios.rolesLimitMembershipChanges(new InMemoryTenancyStore(), new InMemoryKeysetStore());
    }

    @Test
    void deletedWorkspaceValuesFailWithKeyDestroyedAndTheDeletionIsRecorded() throws Exception {
        TenancyScenarios.deletedWorkspaceIsCryptoShreddedAndRecorded(new InMemoryTenancyStore(), new InMemoryKeysetStore());
    }

    @Test
    void interruptedShreddingIsFinishedByResumeShredding() {
        TenancyScenarios.interruptedShreddingIsResumed(new InMemoryTenancyStore(), new InMemoryKeysetStore());
    }

    @Test
    void concurrentDemotionsNeverLeaveAWorkspaceWithoutOwner() throws Exception {
        TenancyScenarios.concurrentDemotionsNeverLeaveAWorkspaceWithoutOwner(new InMemoryTenancyStore(), new InMemoryKeysetStore());
    }

    @Test
    void badIdsAndNamesAreRejectedWithTypedErrors() {
        Tenancy t = TestKeys.tenancy(new InMemoryTenancyStore(), new InMemoryKeysetStore());
        assertThat(TenancyScenarios.failed(() -> t.createWorkspace("bad/id", "n", "alice"))).isEqualTo(TenancyException.Reason.INVALID_INPUT);
        assertThat(TenancyScenarios.failed(() -> t.createWorkspace("", "alice"))).isEqualTo(TenancyException.Reason.INVALID_INPUT);
        assertThat(TenancyScenarios.failed(() -> t.createWorkspace("name\u0000", "alice"))).isEqualTo(TenancyException.Reason.INVALID_INPUT);
        assertThat(TenancyScenarios.failed(() -> t.createWorkspace("ok", "bad member id"))).isEqualTo(TenancyException.Reason.INVALID_INPUT);
        assertThat(Tenancy.newWorkspaceId()).matches("ws_[A-Za-z0-9_-]{20}").isNotEqualTo(Tenancy.newWorkspaceId());
    }

    @Test
    void builderRequiresStoreAndKeyring() {
        assertThatThrownBy(() -> Tenancy.builder().store(new InMemoryTenancyStore()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("keyring");
        assertThatThrownBy(() -> Tenancy.builder().build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("store");
    }
}
