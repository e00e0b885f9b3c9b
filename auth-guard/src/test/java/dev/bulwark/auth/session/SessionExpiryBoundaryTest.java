package dev.bulwark.auth.session;

import dev.bulwark.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Idle and absolute expiry, touch throttling and token shape, each at its exact boundary. */
class SessionExpiryBoundaryTest {
    private final MutableClock clock = MutableClock.at("2026-05-01T09:00:00Z");
    private final InMemorySessionStore store = new InMemorySessionStore();
    private final SessionManager sessions = SessionManager.builder().store(store).clock(clock).build();

    @Test
    void sessionIsIdleExpiredExactlyTwentyFourHoursAfterLastUse() {
        String early = sessions.create("u1", null, null).token();
        String onTheDot = sessions.create("u1", null, null).token();
        clock.advance(Duration.ofHours(24).minusMillis(1));
        assertThat(sessions.check(early).valid()).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(sessions.check(onTheDot).reason()).contains(SessionCheck.Reason.IDLE_EXPIRED);
        assertThat(sessions.check(early).valid()).as("touched a millisecond earlier").isTrue();
    }

    @Test
    void sessionIsAbsolutelyExpiredExactlyAtItsLifetimeEvenIfUsedJustBefore() {
        SessionManager longIdle = SessionManager.builder().store(store).clock(clock)
                .idleTimeout(Duration.ofDays(30)).absoluteLifetime(Duration.ofDays(14)).build();
        NewSession a = longIdle.create("u1", null, null);
        String b = longIdle.create("u1", null, null).token();
        assertThat(a.info().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(14)));
        clock.advance(Duration.ofDays(14).minusMillis(1));
        assertThat(longIdle.check(a.token()).valid()).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(longIdle.check(a.token()).reason()).contains(SessionCheck.Reason.ABSOLUTE_EXPIRED);
        assertThat(longIdle.check(b).reason()).contains(SessionCheck.Reason.ABSOLUTE_EXPIRED);
        assertThat(longIdle.check(b).reason()).as("deleted on expiry").contains(SessionCheck.Reason.UNKNOWN);
    }

    @Test
    void lastSeenIsWrittenWhenExactlyOneTouchIntervalHasPassed() {
        NewSession s = sessions.create("u1", null, null);
        Instant created = clock.instant();
        clock.advance(Duration.ofSeconds(60).minusMillis(1));
        assertThat(sessions.check(s.token()).session().orElseThrow().info().lastSeenAt()).isEqualTo(created);
        assertThat(store.findByUser("u1").get(0).lastSeenAt()).isEqualTo(created);
        clock.advance(Duration.ofMillis(1));
        assertThat(sessions.check(s.token()).session().orElseThrow().info().lastSeenAt()).isEqualTo(clock.instant());
        assertThat(store.findByUser("u1").get(0).lastSeenAt()).isEqualTo(clock.instant());
    }

    @Test
    void idleDeadlineShownToTheUserNeverPassesTheAbsoluteExpiry() {
        NewSession s = sessions.create("u1", null, null);
        assertThat(s.info().idleExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));
        Instant absolute = s.info().expiresAt();
        for (int i = 0; i < 27; i++) { // keep it alive for 13.5 days
            clock.advance(Duration.ofHours(12));
            sessions.check(s.token());
        }
        SessionInfo late = sessions.check(s.token()).session().orElseThrow().info();
        assertThat(late.idleExpiresAt()).isEqualTo(absolute);
        assertThat(sessions.list("u1")).singleElement().satisfies(i -> assertThat(i.idleExpiresAt()).isEqualTo(absolute));
    }

    @Test
    void listLeavesOutSessionsAtTheirIdleDeadline() {
        sessions.create("u1", null, null);
        clock.advance(Duration.ofHours(1));
        sessions.create("u1", null, null);
        clock.advance(Duration.ofHours(23).minusMillis(1));
        assertThat(sessions.list("u1")).hasSize(2);
        clock.advance(Duration.ofMillis(1));
        assertThat(sessions.list("u1")).hasSize(1);
        assertThat(sessions.purgeExpired()).isEqualTo(1);
        assertThat(store.findByUser("u1")).hasSize(1);
    }

    @Test
    void purgeRemovesSessionsAtTheirAbsoluteExpiry() {
        SessionManager shortLived = SessionManager.builder().store(store).clock(clock)
                .idleTimeout(Duration.ofDays(30)).absoluteLifetime(Duration.ofDays(1)).build();
        shortLived.create("u1", null, null);
        clock.advance(Duration.ofDays(1).minusMillis(1));
        assertThat(shortLived.purgeExpired()).isZero();
        assertThat(shortLived.list("u1")).hasSize(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(shortLived.list("u1")).isEmpty();
        assertThat(shortLived.purgeExpired()).isEqualTo(1);
    }

    @Test
    void tokensOfTheIssuedAlphabetAreUnknownAndAnythingElseIsMalformed() {
        String boundaryChars = "AZaz09-_";
        String wellFormed = boundaryChars.repeat(6).substring(0, 43);
        assertThat(sessions.check(wellFormed).reason()).contains(SessionCheck.Reason.UNKNOWN);
        for (char c : new char[] {'@', '[', '`', '{', '/', ':', '+', '='}) {
            String t = c + wellFormed.substring(1);
            assertThat(sessions.check(t).reason()).as(String.valueOf(c)).contains(SessionCheck.Reason.MALFORMED);
        }
        assertThat(sessions.check(wellFormed.substring(1)).reason()).contains(SessionCheck.Reason.MALFORMED);
        assertThat(sessions.check(wellFormed + "A").reason()).contains(SessionCheck.Reason.MALFORMED);
        assertThat(sessions.revoke(wellFormed)).isFalse();
        assertThat(sessions.rotate("not a token")).isEmpty();
    }

    @Test
    void rotationMarksTheSessionAsSeenNow() {
        NewSession s = sessions.create("u1", "192.0.2.1", "Firefox");
        clock.advance(Duration.ofMinutes(5));
        NewSession r = sessions.rotate(s.token()).orElseThrow();
        assertThat(r.info().lastSeenAt()).isEqualTo(clock.instant());
        assertThat(r.info().createdAt()).isEqualTo(s.info().createdAt());
        assertThat(r.info().ipAddress()).isEqualTo("192.0.2.1");
        assertThat(store.findByUser("u1").get(0).tokenHash()).isEqualTo(SessionManager.hash(r.token()));
    }

    @Test
    void expiredSessionCannotBeRotated() {
        NewSession s = sessions.create("u1", null, null);
        clock.advance(Duration.ofHours(24));
        assertThat(sessions.rotate(s.token())).isEmpty();
    }

    @Test
    void clientAddressAndUserAgentAreClippedToTheirColumns() {
        SessionInfo i = sessions.create("u1", "a".repeat(65), "b".repeat(513)).info();
        assertThat(i.ipAddress()).isEqualTo("a".repeat(64));
        assertThat(i.userAgent()).isEqualTo("b".repeat(512));
        SessionInfo exact = sessions.create("u1", "c".repeat(64), "d".repeat(512)).info();
        assertThat(exact.ipAddress()).hasSize(64);
        assertThat(exact.userAgent()).hasSize(512);
    }

    @Test
    void revokingUnknownSessionsReportsNothingRevoked() {
        NewSession s = sessions.create("u1", null, null);
        assertThat(sessions.revokeSession("u1", "no-such-id")).isFalse();
        assertThat(sessions.revokeAll("nobody")).isZero();
        assertThatThrownBy(() -> sessions.revokeAllExcept("u1", null)).isInstanceOf(NullPointerException.class);
        NewSession after = sessions.startAfterLogin("u1", null, null, null);
        assertThat(sessions.check(s.token()).valid()).as("no previous token: nothing revoked").isTrue();
        assertThat(sessions.check(after.token()).valid()).isTrue();
        assertThatThrownBy(() -> sessions.create(null, null, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void lastSeenNeverMovesBackwards() {
        NewSession s = sessions.create("u1", null, null);
        store.touch(s.info().sessionId(), clock.instant().minusSeconds(10));
        assertThat(store.findByUser("u1").get(0).lastSeenAt()).isEqualTo(clock.instant());
        store.touch(s.info().sessionId(), clock.instant().plusSeconds(10));
        assertThat(store.findByUser("u1").get(0).lastSeenAt()).isEqualTo(clock.instant().plusSeconds(10));
    }

    @Test
    void timeoutsAreBoundedAndTouchIntervalMustBeShorterThanIdleTimeout() {
        assertThatThrownBy(() -> SessionManager.builder().idleTimeout(Duration.ofSeconds(59))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionManager.builder().idleTimeout(Duration.ofDays(30).plusSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionManager.builder().absoluteLifetime(Duration.ofSeconds(59))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionManager.builder().absoluteLifetime(Duration.ofDays(90).plusSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionManager.builder().touchInterval(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionManager.builder().idleTimeout(Duration.ofMinutes(1)).build()).isInstanceOf(IllegalStateException.class);
        assertThat(SessionManager.builder().idleTimeout(Duration.ofMinutes(1)).touchInterval(Duration.ZERO)
                .absoluteLifetime(Duration.ofMinutes(1)).build()).isNotNull();
        assertThat(SessionManager.builder().idleTimeout(Duration.ofDays(30)).absoluteLifetime(Duration.ofDays(90)).build()).isNotNull();
    }
}
