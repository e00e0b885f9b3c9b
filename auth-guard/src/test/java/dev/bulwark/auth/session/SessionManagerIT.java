package dev.bulwark.auth.session;

import dev.bulwark.auth.Backing;
import dev.bulwark.testkit.MutableClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Session lifecycle on the in-memory, H2 and PostgreSQL stores. */
class SessionManagerIT {

    static final class Rig implements AutoCloseable {
        final Backing.Opened opened;
        final MutableClock clock = MutableClock.at("2026-05-01T09:00:00Z");
        final SessionStore store;
        final SessionManager sessions;

        Rig(Backing backing) {
            opened = backing.open();
            store = opened.inMemory() ? new InMemorySessionStore() : new JdbcSessionStore(opened.dataSource());
            sessions = SessionManager.builder().store(store).clock(clock).build();
        }

        @Override
        public void close() {
            opened.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void newSessionValidatesAndTokenIsStoredOnlyAsHash(Backing backing) {
        try (Rig r = new Rig(backing)) {
            NewSession s = r.sessions.create("u1", "192.0.2.1", "Firefox");
            assertThat(s.token()).hasSize(43);
            assertThat(r.sessions.validate(s.token())).get().extracting(VerifiedSession::userId).isEqualTo("u1");
            SessionRecord stored = r.store.findByUser("u1").get(0);
            assertThat(List.of(stored.sessionId(), stored.tokenHash(), stored.userId(), String.valueOf(stored.ipAddress()), String.valueOf(stored.userAgent())))
                    .noneMatch(v -> v.contains(s.token()));
            assertThat(stored.tokenHash()).isEqualTo(SessionManager.hash(s.token())).hasSize(64);
            assertThat(s.toString()).doesNotContain(s.token());
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void sessionExpiresAfterIdleTimeoutButUseKeepsItAlive(Backing backing) {
        try (Rig r = new Rig(backing)) {
            String token = r.sessions.create("u1", null, null).token();
            for (int i = 0; i < 5; i++) {
                r.clock.advance(Duration.ofHours(23));
                assertThat(r.sessions.check(token).valid()).isTrue();
            }
            r.clock.advance(Duration.ofHours(24));
            assertThat(r.sessions.check(token).reason()).contains(SessionCheck.Reason.IDLE_EXPIRED);
            assertThat(r.sessions.check(token).reason()).contains(SessionCheck.Reason.UNKNOWN); // deleted on expiry
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void sessionEndsAtAbsoluteLifetimeEvenWhenUsed(Backing backing) {
        try (Rig r = new Rig(backing)) {
            String token = r.sessions.create("u1", null, null).token();
            for (int i = 0; i < 27; i++) { // used every 12 h for 13.5 days
                r.clock.advance(Duration.ofHours(12));
                assertThat(r.sessions.check(token).valid()).isTrue();
            }
            r.clock.advance(Duration.ofDays(1));
            assertThat(r.sessions.check(token).reason()).contains(SessionCheck.Reason.ABSOLUTE_EXPIRED);
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void lastSeenIsWrittenAtMostOncePerTouchInterval(Backing backing) {
        try (Rig r = new Rig(backing)) {
            NewSession s = r.sessions.create("u1", null, null);
            r.clock.advance(Duration.ofSeconds(30));
            r.sessions.check(s.token());
            assertThat(r.store.findByUser("u1").get(0).lastSeenAt()).isEqualTo(s.info().createdAt());
            r.clock.advance(Duration.ofSeconds(31));
            r.sessions.check(s.token());
            assertThat(r.store.findByUser("u1").get(0).lastSeenAt()).isEqualTo(r.clock.instant());
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void rotationReplacesTheTokenAndKeepsTheSession(Backing backing) {
        try (Rig r = new Rig(backing)) {
            NewSession s = r.sessions.create("u1", "192.0.2.1", "Firefox");
            r.clock.advance(Duration.ofMinutes(5));
            NewSession rotated = r.sessions.rotate(s.token()).orElseThrow();
            assertThat(rotated.token()).isNotEqualTo(s.token());
            assertThat(rotated.info().sessionId()).isEqualTo(s.info().sessionId());
            assertThat(rotated.info().expiresAt()).isEqualTo(s.info().expiresAt());
            assertThat(r.sessions.check(s.token()).reason()).contains(SessionCheck.Reason.UNKNOWN);
            assertThat(r.sessions.check(rotated.token()).valid()).isTrue();
            assertThat(r.sessions.rotate(s.token())).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void loginRotatesAwayAPlantedSession(Backing backing) {
        try (Rig r = new Rig(backing)) {
            String planted = r.sessions.create("anonymous", null, null).token();
            NewSession fresh = r.sessions.startAfterLogin("u1", "192.0.2.1", "Firefox", planted);
            assertThat(r.sessions.check(planted).valid()).isFalse();
            assertThat(r.sessions.validate(fresh.token())).get().extracting(VerifiedSession::userId).isEqualTo("u1");
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void revokeOneRevokeAllAndList(Backing backing) {
        try (Rig r = new Rig(backing)) {
            NewSession a = r.sessions.create("u1", "192.0.2.1", "Firefox");
            r.clock.advance(Duration.ofSeconds(1));
            NewSession b = r.sessions.create("u1", "192.0.2.2", "Safari");
            r.clock.advance(Duration.ofSeconds(1));
            NewSession c = r.sessions.create("u1", "192.0.2.3", "Chrome");
            NewSession other = r.sessions.create("u2", null, null);
            assertThat(r.sessions.list("u1")).extracting(SessionInfo::userAgent).containsExactly("Firefox", "Safari", "Chrome");
            assertThat(r.sessions.list("u1")).extracting(SessionInfo::ipAddress).containsExactly("192.0.2.1", "192.0.2.2", "192.0.2.3");
            assertThat(r.sessions.revokeSession("u2", b.info().sessionId())).as("another user's session id").isFalse();
            assertThat(r.sessions.revokeSession("u1", b.info().sessionId())).isTrue();
            assertThat(r.sessions.check(b.token()).valid()).isFalse();
            assertThat(r.sessions.revokeAllExcept("u1", c.info().sessionId())).isEqualTo(1);
            assertThat(r.sessions.check(a.token()).valid()).isFalse();
            assertThat(r.sessions.check(c.token()).valid()).isTrue();
            assertThat(r.sessions.revokeAll("u1")).isEqualTo(1);
            assertThat(r.sessions.list("u1")).isEmpty();
            assertThat(r.sessions.check(other.token()).valid()).isTrue();
            assertThat(r.sessions.revoke(other.token())).isTrue();
            assertThat(r.sessions.check(other.token()).valid()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void purgeDeletesOnlyExpiredSessions(Backing backing) {
        try (Rig r = new Rig(backing)) {
            r.sessions.create("u1", null, null);
            r.clock.advance(Duration.ofHours(23));
            String live = r.sessions.create("u1", null, null).token();
            r.clock.advance(Duration.ofHours(2));
            assertThat(r.sessions.purgeExpired()).isEqualTo(1);
            assertThat(r.sessions.check(live).valid()).isTrue();
        }
    }
}
