package dev.bulwark.auth.apikey;

import dev.bulwark.auth.Backing;
import dev.bulwark.testkit.MutableClock;
import dev.bulwark.auth.event.SecurityEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** API key lifecycle on the in-memory, H2 and PostgreSQL stores. */
class ApiKeysIT {

    static final class Rig implements AutoCloseable {
        final Backing.Opened opened;
        final MutableClock clock = MutableClock.at("2026-07-01T00:00:00Z");
        final List<SecurityEvent> events = new CopyOnWriteArrayList<>();
        final ApiKeyStore store;
        final ApiKeys keys;

        Rig(Backing backing) {
            opened = backing.open();
            store = opened.inMemory() ? new InMemoryApiKeyStore() : new JdbcApiKeyStore(opened.dataSource());
            keys = ApiKeys.builder().prefix("acme").store(store).clock(clock).events(events::add).build();
        }

        /** Every stored column value of every key, as text. */
        List<String> everythingStored() throws Exception {
            List<String> out = new ArrayList<>();
            if (opened.inMemory()) {
                for (ApiKeyInfo i : keys.list("ws-1")) store.find(i.keyId()).ifPresent(r -> out.addAll(List.of(
                        r.keyId(), r.ownerId(), r.secretHash(), r.last4(), r.scope().name(), String.valueOf(r.label()))));
                return out;
            }
            try (Connection c = opened.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT * FROM bulwark_auth_api_key")) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) for (int i = 1; i <= n; i++) out.add(String.valueOf(rs.getObject(i)));
            }
            return out;
        }

        @Override
        public void close() {
            opened.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void onlyTheHashAndLastFourAreStored(Backing backing) throws Exception {
        try (Rig r = new Rig(backing)) {
            IssuedApiKey k = r.keys.issue("ws-1", ApiKeyScope.READ_ONLY, "export", null);
            assertThat(k.key()).matches("acme_[a-z2-7]{12}_[a-z2-7]{26}");
            String secretPart = k.key().substring(k.key().lastIndexOf('_') + 1);
            List<String> stored = r.everythingStored();
            assertThat(stored).noneMatch(v -> v.contains(k.key()) || v.contains(secretPart));
            assertThat(stored).contains(ApiKeys.sha256(k.key()));
            assertThat(k.toString()).doesNotContain(k.key());
            ApiKeyInfo listed = r.keys.list("ws-1").get(0);
            assertThat(listed.last4()).isEqualTo(k.key().substring(k.key().length() - 4));
            assertThat(listed.masked()).endsWith(listed.last4()).hasSize(8);
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void validKeyAuthenticatesAndRecordsLastUse(Backing backing) {
        try (Rig r = new Rig(backing)) {
            IssuedApiKey k = r.keys.issue("ws-1", ApiKeyScope.READ_WRITE, "sync", null);
            r.clock.advance(Duration.ofHours(1));
            ApiKeyCheck c = r.keys.authenticate(k.key(), ApiKeyScope.READ_WRITE, "192.0.2.1");
            assertThat(c.key()).get().satisfies(v -> {
                assertThat(v.ownerId()).isEqualTo("ws-1");
                assertThat(v.scope()).isEqualTo(ApiKeyScope.READ_WRITE);
            });
            assertThat(r.keys.list("ws-1").get(0).lastUsedAt()).isEqualTo(r.clock.instant());
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void scopeIsEnforced(Backing backing) {
        try (Rig r = new Rig(backing)) {
            IssuedApiKey ro = r.keys.issue("ws-1", ApiKeyScope.READ_ONLY, "ro", null);
            IssuedApiKey rw = r.keys.issue("ws-1", ApiKeyScope.READ_WRITE, "rw", null);
            assertThat(r.keys.authenticate(ro.key(), ApiKeyScope.READ_ONLY, null).valid()).isTrue();
            assertThat(r.keys.authenticate(ro.key(), ApiKeyScope.READ_WRITE, null).reason()).contains(ApiKeyCheck.Reason.INSUFFICIENT_SCOPE);
            assertThat(r.keys.authenticate(rw.key(), ApiKeyScope.READ_ONLY, null).valid()).isTrue();
            assertThat(r.events).filteredOn(e -> e instanceof SecurityEvent.ApiKeyMisuse).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void revokedKeyIsRejected(Backing backing) {
        try (Rig r = new Rig(backing)) {
            IssuedApiKey k = r.keys.issue("ws-1", ApiKeyScope.READ_ONLY, null, null);
            assertThat(r.keys.revoke("ws-2", k.info().keyId())).as("other owner").isFalse();
            assertThat(r.keys.authenticate(k.key(), ApiKeyScope.READ_ONLY, null).valid()).isTrue();
            assertThat(r.keys.revoke("ws-1", k.info().keyId())).isTrue();
            assertThat(r.keys.authenticate(k.key(), ApiKeyScope.READ_ONLY, "203.0.113.5").reason()).contains(ApiKeyCheck.Reason.REVOKED);
            assertThat(r.events).last().isInstanceOfSatisfying(SecurityEvent.ApiKeyMisuse.class, e -> {
                assertThat(e.keyId()).isEqualTo(k.info().keyId());
                assertThat(e.reason()).isEqualTo("revoked");
                assertThat(e.toString()).doesNotContain(k.key());
            });
            assertThat(r.keys.list("ws-1").get(0).revokedAt()).isNotNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void expiredKeyIsRejected(Backing backing) {
        try (Rig r = new Rig(backing)) {
            IssuedApiKey k = r.keys.issue("ws-1", ApiKeyScope.READ_ONLY, null, r.clock.instant().plus(Duration.ofDays(30)));
            r.clock.advance(Duration.ofDays(30).minusSeconds(1));
            assertThat(r.keys.authenticate(k.key(), ApiKeyScope.READ_ONLY, null).valid()).isTrue();
            r.clock.advance(Duration.ofSeconds(1));
            assertThat(r.keys.authenticate(k.key(), ApiKeyScope.READ_ONLY, null).reason()).contains(ApiKeyCheck.Reason.EXPIRED);
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void wrongSecretForAKnownIdLooksUnknownButIsReported(Backing backing) {
        try (Rig r = new Rig(backing)) {
            IssuedApiKey k = r.keys.issue("ws-1", ApiKeyScope.READ_ONLY, null, null);
            char last = k.key().charAt(k.key().length() - 1);
            String forged = k.key().substring(0, k.key().length() - 1) + (last == 'a' ? 'b' : 'a');
            assertThat(r.keys.authenticate(forged, ApiKeyScope.READ_ONLY, null).reason()).contains(ApiKeyCheck.Reason.UNKNOWN);
            String unknownId = "acme_" + "a".repeat(12) + k.key().substring(17);
            assertThat(r.keys.authenticate(unknownId, ApiKeyScope.READ_ONLY, null).reason()).contains(ApiKeyCheck.Reason.UNKNOWN);
            assertThat(r.events).singleElement().isInstanceOfSatisfying(SecurityEvent.ApiKeyMisuse.class,
                    e -> assertThat(e.reason()).isEqualTo("wrong secret"));
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void keyIsDueForRotationAfterNinetyDays(Backing backing) {
        try (Rig r = new Rig(backing)) {
            r.keys.issue("ws-1", ApiKeyScope.READ_ONLY, null, null);
            r.clock.advance(Duration.ofDays(89));
            assertThat(r.keys.list("ws-1").get(0).dueForRotation()).isFalse();
            r.clock.advance(Duration.ofDays(1));
            assertThat(r.keys.list("ws-1").get(0).dueForRotation()).isTrue();
        }
    }
}
