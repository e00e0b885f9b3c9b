package dev.bulwark.webhook;

import dev.bulwark.testkit.TestDatabase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random histories of claims, completions, releases and forgets over a few event keys, at non-decreasing times, as
 * the verifier issues them (lease 120 s, record kept 360 s): both stores answer alike, and neither ever lets a second
 * delivery act while one holds a live lease or after the event was done.
 */
class SeenEventStoreProperties {
    static final long LEASE = 120;
    static final long KEEP = 360;

    enum Kind { CLAIM, COMPLETE, RELEASE, FORGET, PURGE }

    record Op(Kind kind, int key, int claimant, int advance) {}

    @Provide
    Arbitrary<List<Op>> histories() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, Arbitraries.just(Kind.CLAIM)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.COMPLETE)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.RELEASE)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.FORGET)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.PURGE))),
                Arbitraries.integers().between(0, 1), Arbitraries.integers().between(0, 3),
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, Arbitraries.just(0)),
                        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 130)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(300, 400))))
                .as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(40);
    }

    /** What one history should have answered, from the model's point of view. */
    static final class Model {
        /** Per key: the live holder's claimant and lease end, or done until; absent: free. */
        record State(String holder, long leaseUntil, long keepUntil) {}

        final Map<String, State> state = new HashMap<>();

        void check(String key, long now, SeenEventStore.Claim got, String claimant) {
            State s = state.get(key);
            boolean live = s != null && s.keepUntil >= now;
            if (live && s.holder == null) {
                assertThat(got).as("done at %d", now).isEqualTo(SeenEventStore.Claim.DONE);
            } else if (live && s.leaseUntil >= now) {
                assertThat(got).as("held at %d", now).isEqualTo(SeenEventStore.Claim.IN_PROGRESS);
            } else {
                assertThat(got).as("free at %d", now).isEqualTo(SeenEventStore.Claim.CLAIMED);
                long keep = live ? Math.max(s.keepUntil, now + KEEP) : now + KEEP;
                state.put(key, new State(claimant, now + LEASE, keep));
            }
        }
    }

    @Property(tries = 300)
    void bothStoresAnswerEveryHistoryAsTheModelSays(@ForAll("histories") List<Op> history) {
        try (TestDatabase db = TestDatabase.h2()) {
            WebhookStoreSchema.create(db.dataSource());
            List<SeenEventStore> stores = List.of(new InMemorySeenEventStore(), new JdbcSeenEventStore(db.dataSource()));
            Model model = new Model();
            List<List<Object>> answers = new ArrayList<>();
            for (int i = 0; i < stores.size(); i++) answers.add(new ArrayList<>());
            long now = SeenEventStoresIT.NOW;
            for (Op op : history) {
                now += op.advance();
                String key = "stripe:evt_" + op.key();
                String claimant = "c" + op.claimant();
                Instant at = Instant.ofEpochSecond(now);
                for (int i = 0; i < stores.size(); i++) {
                    SeenEventStore store = stores.get(i);
                    Object answer = switch (op.kind()) {
                        case CLAIM -> store.claim(key, claimant, at.plusSeconds(LEASE), at.plusSeconds(KEEP), at);
                        case COMPLETE -> {
                            store.complete(key);
                            yield "completed";
                        }
                        case RELEASE -> {
                            store.release(key, claimant);
                            yield "released";
                        }
                        case FORGET -> {
                            store.forget(key);
                            yield "forgotten";
                        }
                        case PURGE -> store.purgeExpired(at);
                    };
                    answers.get(i).add(answer);
                    if (i == 0) applyToModel(model, op, key, claimant, now, answer);
                }
            }
            assertThat(answers.get(1)).as("JDBC store vs in-memory store").isEqualTo(answers.get(0));
        }
    }

    static void applyToModel(Model model, Op op, String key, String claimant, long now, Object answer) {
        Model.State s = model.state.get(key);
        switch (op.kind()) {
            case CLAIM -> model.check(key, now, (SeenEventStore.Claim) answer, claimant);
            case COMPLETE -> {
                if (s != null) model.state.put(key, new Model.State(null, 0, s.keepUntil()));
            }
            case RELEASE -> {
                if (s != null && claimant.equals(s.holder())) model.state.remove(key);
            }
            case FORGET -> model.state.remove(key);
            case PURGE -> {
                long expired = model.state.values().stream().filter(v -> v.keepUntil() < now).count();
                assertThat(answer).as("purged at %d", now).isEqualTo((int) expired);
                model.state.values().removeIf(v -> v.keepUntil() < now);
            }
        }
    }
}
