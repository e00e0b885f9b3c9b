package dev.bulwark.auth.login;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lockout arithmetic at its boundaries: threshold, failure window, escalation reset, permanence, caps. */
class LockoutPolicyTest {
    private static final Instant T = Instant.parse("2026-04-01T08:00:00Z");

    private static AttemptState fail(LockoutPolicy p, AttemptState s, Instant at, int times) {
        for (int i = 0; i < times; i++) s = p.afterFailure(s, at);
        return s;
    }

    @Test
    void lockIsSetByTheThresholdthFailureAndEndsExactlyAtLockedUntil() {
        LockoutPolicy p = LockoutPolicy.defaults();
        AttemptState nine = fail(p, AttemptState.EMPTY, T, 9);
        assertThat(nine.failures()).isEqualTo(9);
        assertThat(nine.lockedAt(T)).isFalse();
        AttemptState locked = p.afterFailure(nine, T);
        assertThat(locked.lockedUntil()).isEqualTo(T.plus(Duration.ofMinutes(30)));
        assertThat(locked.lockouts()).isEqualTo(1);
        assertThat(locked.failures()).as("counter restarts after a lockout").isZero();
        assertThat(locked.lockedAt(T.plus(Duration.ofMinutes(30)).minusMillis(1))).isTrue();
        assertThat(locked.lockedAt(T.plus(Duration.ofMinutes(30)))).isFalse();
    }

    @Test
    void failuresOlderThanTheWindowAreForgottenButNotOnTheBoundary() {
        LockoutPolicy p = LockoutPolicy.defaults();
        AttemptState nine = fail(p, AttemptState.EMPTY, T, 9);
        AttemptState atWindow = p.afterFailure(nine, T.plus(Duration.ofHours(24)));
        assertThat(atWindow.lockedAt(T.plus(Duration.ofHours(24)))).as("24 h later still counts").isTrue();
        AttemptState afterWindow = p.afterFailure(nine, T.plus(Duration.ofHours(24)).plusMillis(1));
        assertThat(afterWindow.failures()).isEqualTo(1);
        assertThat(afterWindow.firstFailureAt()).isEqualTo(T.plus(Duration.ofHours(24)).plusMillis(1));
        assertThat(nine.firstFailureAt()).isEqualTo(T);
    }

    @Test
    void escalationStartsAfreshOnlyAfterTheResetPeriod() {
        LockoutPolicy p = LockoutPolicy.defaults();
        AttemptState first = fail(p, AttemptState.EMPTY, T, 10);
        Instant atReset = T.plus(Duration.ofDays(7));
        AttemptState second = fail(p, first, atReset, 10);
        assertThat(second.lockouts()).isEqualTo(2);
        assertThat(second.lockedUntil()).isEqualTo(atReset.plus(Duration.ofHours(1)));
        assertThat(second.lastLockoutAt()).isEqualTo(atReset);
        Instant afterReset = T.plus(Duration.ofDays(7)).plusMillis(1);
        AttemptState fresh = fail(p, first, afterReset, 10);
        assertThat(fresh.lockouts()).isEqualTo(1);
        assertThat(fresh.lockedUntil()).isEqualTo(afterReset.plus(Duration.ofMinutes(30)));
    }

    @Test
    void escalationIsNotResetWhileTheAccountIsStillLocked() {
        LockoutPolicy p = new LockoutPolicy(3, Duration.ofHours(2), 2, Duration.ofHours(24), Duration.ofHours(24), Duration.ofHours(1), 0);
        AttemptState locked = fail(p, AttemptState.EMPTY, T, 3);
        // 90 minutes on the reset period has passed but the 2-hour lock has not: this lock still counts.
        AttemptState again = fail(p, locked, T.plus(Duration.ofMinutes(90)), 3);
        assertThat(again.lockouts()).isEqualTo(2);
        assertThat(again.lockedUntil()).isEqualTo(T.plus(Duration.ofMinutes(90)).plus(Duration.ofHours(4)));
    }

    @Test
    void permanentLockStartsAtTheConfiguredLockoutCount() {
        LockoutPolicy p = LockoutPolicy.defaults().withPermanentAfter(2);
        AttemptState first = fail(p, AttemptState.EMPTY, T, 10);
        assertThat(first.lockedUntil()).isEqualTo(T.plus(Duration.ofMinutes(30)));
        Instant later = T.plus(Duration.ofHours(1));
        AttemptState second = fail(p, first, later, 10);
        assertThat(second.lockedUntil()).isEqualTo(LockoutPolicy.PERMANENT);
    }

    @Test
    void durationsEscalateByTheFactorUpToTheCap() {
        LockoutPolicy p = LockoutPolicy.defaults().withEscalation(3, Duration.ofHours(6));
        assertThat(p.durationOf(1)).isEqualTo(Duration.ofMinutes(30));
        assertThat(p.durationOf(2)).isEqualTo(Duration.ofMinutes(90));
        assertThat(p.durationOf(3)).isEqualTo(Duration.ofMinutes(270));
        assertThat(p.durationOf(4)).isEqualTo(Duration.ofHours(6));
        LockoutPolicy flat = LockoutPolicy.defaults().withEscalation(1, Duration.ofHours(24));
        assertThat(flat.durationOf(7)).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void longerFirstLockRaisesTheCapButShorterOneKeepsIt() {
        assertThat(LockoutPolicy.defaults().withLockDuration(Duration.ofHours(48)).maxLockDuration()).isEqualTo(Duration.ofHours(48));
        assertThat(LockoutPolicy.defaults().withLockDuration(Duration.ofMinutes(10)).maxLockDuration()).isEqualTo(Duration.ofHours(24));
        assertThat(LockoutPolicy.defaults().withLockDuration(Duration.ofMinutes(10)).durationOf(1)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void unsafeOrInconsistentSettingsAreRejected() {
        LockoutPolicy d = LockoutPolicy.defaults();
        assertThatThrownBy(() -> d.withThreshold(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withThreshold(1001)).isInstanceOf(IllegalArgumentException.class);
        assertThat(d.withThreshold(3).threshold()).isEqualTo(3);
        assertThat(d.withThreshold(1000).threshold()).isEqualTo(1000);
        assertThatThrownBy(() -> d.withEscalation(0, Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withEscalation(11, Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(d.withEscalation(10, Duration.ofMinutes(30)).escalationFactor()).isEqualTo(10);
        assertThatThrownBy(() -> d.withEscalation(2, Duration.ofMinutes(29))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withPermanentAfter(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withLockDuration(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withLockDuration(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LockoutPolicy(10, Duration.ofMinutes(30), 2, Duration.ofHours(1), null, Duration.ofDays(7), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LockoutPolicy(10, Duration.ofMinutes(30), 2, Duration.ofHours(1), Duration.ofHours(1), Duration.ZERO, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyStateMeansNoFailuresNoLockoutsAndNoLock() {
        assertThat(AttemptState.EMPTY.isEmpty()).isTrue();
        assertThat(new AttemptState(1, T, Instant.EPOCH, 0, Instant.EPOCH).isEmpty()).isFalse();
        assertThat(new AttemptState(0, Instant.EPOCH, Instant.EPOCH, 1, T).isEmpty()).isFalse();
        assertThat(new AttemptState(0, Instant.EPOCH, T, 0, Instant.EPOCH).isEmpty()).isFalse();
    }
}
