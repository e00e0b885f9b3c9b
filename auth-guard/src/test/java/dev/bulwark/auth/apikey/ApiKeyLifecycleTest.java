package dev.bulwark.auth.apikey;

import dev.bulwark.auth.event.SecurityEvent;
import dev.bulwark.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** API key rules at their exact boundaries, on the in-memory store with a hand-moved clock. */
class ApiKeyLifecycleTest {
    private final MutableClock clock = MutableClock.at("2026-07-01T00:00:00Z");
    private final List<SecurityEvent> events = new ArrayList<>();
    private final ApiKeys keys = ApiKeys.builder().prefix("acme").clock(clock).events(events::add).build();

    private ApiKeyCheck check(String key, ApiKeyScope scope) {
        return keys.authenticate(key, scope, "192.0.2.1");
    }

    @Test
    void issuedKeyShowsOnlyItsLastFourCharactersAfterwards() {
        IssuedApiKey k = keys.issue("ws-1", ApiKeyScope.READ_ONLY, "export", null);
        ApiKeyInfo info = k.info();
        assertThat(info.last4()).hasSize(4).isEqualTo(k.key().substring(k.key().length() - 4));
        assertThat(info.masked()).isEqualTo("\u2022\u2022\u2022\u2022" + info.last4());
        assertThat(info.ownerId()).isEqualTo("ws-1");
        assertThat(info.scope()).isEqualTo(ApiKeyScope.READ_ONLY);
        assertThat(info.label()).isEqualTo("export");
        assertThat(info.createdAt()).isEqualTo(clock.instant());
        assertThat(info.expiresAt()).isNull();
        assertThat(info.dueForRotation()).isFalse();
        assertThat(k.key()).startsWith("acme_" + info.keyId() + "_");
    }

    @Test
    void expiryMustLieInTheFuture() {
        assertThatThrownBy(() -> keys.issue("ws-1", ApiKeyScope.READ_ONLY, null, clock.instant()))
                .isInstanceOf(IllegalArgumentException.class);
        Instant soon = clock.instant().plusMillis(1);
        assertThat(keys.issue("ws-1", ApiKeyScope.READ_ONLY, null, soon).info().expiresAt()).isEqualTo(soon);
        assertThatThrownBy(() -> keys.issue(null, ApiKeyScope.READ_ONLY, null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> keys.issue("ws-1", null, null, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void labelsAreClippedToTwoHundredCharacters() {
        assertThat(keys.issue("ws-1", ApiKeyScope.READ_ONLY, "x".repeat(201), null).info().label()).hasSize(200);
        assertThat(keys.issue("ws-1", ApiKeyScope.READ_ONLY, "y".repeat(200), null).info().label()).isEqualTo("y".repeat(200));
        assertThat(keys.issue("ws-1", ApiKeyScope.READ_ONLY, null, null).info().label()).isNull();
    }

    @Test
    void wellFormedUnknownKeyIsUnknownAndNotReportedAsMisuse() {
        IssuedApiKey k = keys.issue("ws-1", ApiKeyScope.READ_ONLY, null, null);
        String otherId = "acme_" + "b".repeat(12) + k.key().substring(17);
        ApiKeyCheck c = check(otherId, ApiKeyScope.READ_ONLY);
        assertThat(c.valid()).isFalse();
        assertThat(c.key()).isEmpty();
        assertThat(c.reason()).contains(ApiKeyCheck.Reason.UNKNOWN);
        assertThat(events).isEmpty();
    }

    @Test
    void keysOfTheWrongShapeAreMalformed() {
        String key = keys.issue("ws-1", ApiKeyScope.READ_ONLY, null, null).key();
        int sep = key.lastIndexOf('_');
        List<String> bad = List.of(
                key.substring(0, sep) + "a" + key.substring(sep + 1),     // separator replaced by an alphabet character
                key.substring(0, key.length() - 1) + "1",                 // '1' is not in the alphabet
                key.substring(0, 6) + "A" + key.substring(7),             // upper case in the id
                key + "a",
                key.substring(0, key.length() - 1),
                "bwk" + key.substring(4, key.length()) + "a");
        for (String b : bad) assertThat(check(b, ApiKeyScope.READ_ONLY).reason()).as(b).contains(ApiKeyCheck.Reason.MALFORMED);
        assertThat(events).isEmpty();
    }

    @Test
    void validCheckCarriesTheKeyAndNoReason() {
        IssuedApiKey k = keys.issue("ws-1", ApiKeyScope.READ_WRITE, "sync", null);
        ApiKeyCheck c = check(k.key(), ApiKeyScope.READ_WRITE);
        assertThat(c.valid()).isTrue();
        assertThat(c.reason()).isEmpty();
        VerifiedApiKey v = c.key().orElseThrow();
        assertThat(v.keyId()).isEqualTo(k.info().keyId());
        assertThat(v.info().label()).isEqualTo("sync");
    }

    @Test
    void lastUsedIsWrittenAgainOnlyOnceTheWriteIntervalHasPassed() {
        IssuedApiKey k = keys.issue("ws-1", ApiKeyScope.READ_ONLY, null, null);
        Instant first = clock.instant();
        check(k.key(), ApiKeyScope.READ_ONLY);
        clock.advance(Duration.ofSeconds(59));
        assertThat(check(k.key(), ApiKeyScope.READ_ONLY).key().orElseThrow().info().lastUsedAt()).isEqualTo(first);
        assertThat(keys.list("ws-1").get(0).lastUsedAt()).isEqualTo(first);
        clock.advance(Duration.ofSeconds(1));
        assertThat(check(k.key(), ApiKeyScope.READ_ONLY).key().orElseThrow().info().lastUsedAt()).isEqualTo(clock.instant());
        assertThat(keys.list("ws-1").get(0).lastUsedAt()).isEqualTo(clock.instant());
    }

    @Test
    void zeroWriteIntervalRecordsEveryUse() {
        ApiKeys eager = ApiKeys.builder().clock(clock).lastUsedWriteInterval(Duration.ZERO).events(e -> { }).build();
        IssuedApiKey k = eager.issue("o", ApiKeyScope.READ_ONLY, null, null);
        eager.authenticate(k.key(), ApiKeyScope.READ_ONLY, null);
        clock.advance(Duration.ofMillis(1));
        eager.authenticate(k.key(), ApiKeyScope.READ_ONLY, null);
        assertThat(eager.list("o").get(0).lastUsedAt()).isEqualTo(clock.instant());
        assertThatThrownBy(() -> ApiKeys.builder().lastUsedWriteInterval(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rotationIsDueExactlyAtTheConfiguredAgeAndNeverForRevokedKeys() {
        ApiKeys monthly = ApiKeys.builder().clock(clock).rotationAfter(Duration.ofDays(30)).events(e -> { }).build();
        IssuedApiKey live = monthly.issue("o", ApiKeyScope.READ_ONLY, "live", null);
        IssuedApiKey revoked = monthly.issue("o", ApiKeyScope.READ_ONLY, "revoked", null);
        monthly.revoke("o", revoked.info().keyId());
        clock.advance(Duration.ofDays(30).minusSeconds(1));
        assertThat(monthly.list("o")).allSatisfy(i -> assertThat(i.dueForRotation()).isFalse());
        clock.advance(Duration.ofSeconds(1));
        assertThat(monthly.list("o")).filteredOn(i -> i.label().equals("live")).singleElement()
                .satisfies(i -> assertThat(i.dueForRotation()).isTrue());
        assertThat(monthly.list("o")).filteredOn(i -> i.label().equals("revoked")).singleElement()
                .satisfies(i -> assertThat(i.dueForRotation()).isFalse());
        assertThat(monthly.authenticate(live.key(), ApiKeyScope.READ_ONLY, null).key().orElseThrow().info().dueForRotation()).isTrue();
    }

    @Test
    void rotationAgeMustBeWithinOneSecondAndTenYears() {
        assertThatThrownBy(() -> ApiKeys.builder().rotationAfter(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApiKeys.builder().rotationAfter(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApiKeys.builder().rotationAfter(Duration.ofDays(3651))).isInstanceOf(IllegalArgumentException.class);
        assertThat(ApiKeys.builder().rotationAfter(Duration.ofDays(3650)).rotationAfter(Duration.ofSeconds(1)).build()).isNotNull();
        assertThatThrownBy(() -> ApiKeys.builder().prefix(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApiKeys.builder().prefix("a")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void misuseEventsNameTheKeyTheReasonAndTheAddress() {
        IssuedApiKey ro = keys.issue("ws-1", ApiKeyScope.READ_ONLY, null, clock.instant().plusSeconds(60));
        check(ro.key(), ApiKeyScope.READ_WRITE);
        clock.advance(Duration.ofSeconds(60));
        check(ro.key(), ApiKeyScope.READ_ONLY);
        assertThat(events).hasSize(2).allSatisfy(e -> {
            SecurityEvent.ApiKeyMisuse m = (SecurityEvent.ApiKeyMisuse) e;
            assertThat(m.keyId()).isEqualTo(ro.info().keyId());
            assertThat(m.clientAddress()).isEqualTo("192.0.2.1");
        });
        assertThat(events).extracting(e -> ((SecurityEvent.ApiKeyMisuse) e).reason())
                .containsExactly("insufficient scope (READ_ONLY < READ_WRITE)", "expired");
        assertThat(events.get(1).at()).isEqualTo(clock.instant());
    }

    @Test
    void failingListenerDoesNotChangeTheAnswer() {
        ApiKeys k = ApiKeys.builder().events(e -> { throw new IllegalStateException("audit down"); }).build();
        IssuedApiKey key = k.issue("o", ApiKeyScope.READ_ONLY, null, null);
        k.revoke("o", key.info().keyId());
        assertThat(k.authenticate(key.key(), ApiKeyScope.READ_ONLY, null).reason()).contains(ApiKeyCheck.Reason.REVOKED);
    }

    @Test
    void revokingTwiceReportsOnlyTheFirst() {
        IssuedApiKey k = keys.issue("ws-1", ApiKeyScope.READ_ONLY, null, null);
        assertThat(keys.revoke("ws-1", k.info().keyId())).isTrue();
        assertThat(keys.revoke("ws-1", k.info().keyId())).isFalse();
        assertThat(keys.list("ws-1").get(0).revokedAt()).isEqualTo(clock.instant());
        assertThat(keys.list("ws-2")).isEmpty();
    }

    @Test
    void readWriteIncludesReadOnlyButNotTheReverse() {
        assertThat(ApiKeyScope.READ_WRITE.permits(ApiKeyScope.READ_WRITE)).isTrue();
        assertThat(ApiKeyScope.READ_WRITE.permits(ApiKeyScope.READ_ONLY)).isTrue();
        assertThat(ApiKeyScope.READ_ONLY.permits(ApiKeyScope.READ_ONLY)).isTrue();
        assertThat(ApiKeyScope.READ_ONLY.permits(ApiKeyScope.READ_WRITE)).isFalse();
    }

    @Test
    void listIsOldestFirst() {
        keys.issue("ws-1", ApiKeyScope.READ_ONLY, "first", null);
        clock.advance(Duration.ofSeconds(1));
        keys.issue("ws-1", ApiKeyScope.READ_ONLY, "second", null);
        assertThat(keys.list("ws-1")).extracting(ApiKeyInfo::label).containsExactly("first", "second");
    }
}
