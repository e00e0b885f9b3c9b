package dev.bulwark.crypto;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Password-pepper keys (values that cannot be rewritten without their owner): an old key may be disabled and destroyed
 * only when a complete scan finds no value naming it.
 */
class KeyReferenceScanTest {
    static final KeysetName PEPPER = KeysetName.of(KeyPurpose.PASSWORD_PEPPER);

    /** Stored values by cursor: the key id each names, or null for none. */
    static KeyReferenceScan.Source source(Map<String, Integer> rows) {
        return (after, limit) -> {
            List<KeyReferenceScan.Reference> out = new ArrayList<>();
            for (Map.Entry<String, Integer> e : new TreeMap<>(rows).tailMap(after == null ? "" : after, after == null).entrySet()) {
                if (out.size() == limit) break;
                out.add(e.getValue() == null ? KeyReferenceScan.Reference.none(e.getKey()) : KeyReferenceScan.Reference.to(e.getKey(), e.getValue()));
            }
            return out;
        };
    }

    @Test
    void anOldPepperKeyCannotBeDisabledOrDestroyedWhileAValueStillNamesIt() {
        Keyring k = TestKeyrings.fresh();
        int old = k.info(PEPPER).primaryKeyId();
        int fresh = k.rotate(PEPPER);
        Map<String, Integer> rows = new TreeMap<>();
        for (int i = 0; i < 7; i++) rows.put("u" + i, fresh);
        rows.put("u3", old);
        rows.put("u5", null); // made before the pepper existed: names no key

        RewriteReport r = new KeyReferenceScan(k, PEPPER).batchSize(2).run(source(rows));
        assertThat(r.complete()).isTrue();
        assertThat(r.clean()).as("a scan rewrites nothing and fails nothing").isTrue();
        assertThat(r.scanned()).isEqualTo(7);
        assertThat(r.alreadyCurrent()).isEqualTo(6);
        assertThat(r.rewritten()).isZero();
        assertThat(r.keyIdsStillReferenced()).containsExactly(old);
        assertThat(r.lastCursor()).isEqualTo("u6");
        for (Runnable change : new Runnable[] {() -> k.disableKey(PEPPER, old, List.of(r)), () -> k.destroyKey(PEPPER, old, List.of(r))}) {
            assertThatThrownBy(change::run).isInstanceOfSatisfying(KeyringException.class,
                    e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.KEY_STILL_IN_USE));
        }
        assertThat(k.macKeys(KeyPurpose.PASSWORD_PEPPER).activeKeyIds()).containsExactly(fresh, old);

        rows.put("u3", fresh); // its owner signed in: the hash moved to the new key
        RewriteReport after = new KeyReferenceScan(k, PEPPER).batchSize(2).run(source(rows));
        assertThat(after.keyIdsStillReferenced()).isEmpty();
        assertThatThrownBy(() -> k.destroyKey(PEPPER, old, List.of(after))).as("disable first")
                .isInstanceOfSatisfying(KeyringException.class, e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.INVALID_KEY_OPERATION));
        k.disableKey(PEPPER, old, List.of(after));
        k.destroyKey(PEPPER, old, List.of(after));
        assertThat(k.info(PEPPER).keys()).extracting(KeysetInfo.Key::id).containsExactly(fresh);
    }

    @Test
    void aScanOfAnotherKeysetOrOfTheCurrentKeyIsNoEvidence() {
        Keyring k = TestKeyrings.fresh();
        KeysetName links = KeysetName.of(KeyPurpose.LINK_SIGNING);
        int oldLink = k.info(links).primaryKeyId();
        k.rotate(links);
        RewriteReport pepperScan = new KeyReferenceScan(k, PEPPER).run(source(Map.of()));
        assertThat(pepperScan.clean()).isTrue();
        assertThatThrownBy(() -> k.disableKey(links, oldLink, List.of(pepperScan))).isInstanceOfSatisfying(KeyringException.class,
                e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.KEY_STILL_IN_USE));
        assertThatThrownBy(() -> k.disableKey(PEPPER, k.info(PEPPER).primaryKeyId(), List.of(pepperScan)))
                .isInstanceOfSatisfying(KeyringException.class, e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.INVALID_KEY_OPERATION));
    }

    @Test
    void everyBatchIsReportedAndAnExactlyFullLastBatchStillEnds() {
        Keyring k = TestKeyrings.fresh();
        int primary = k.info(PEPPER).primaryKeyId();
        Map<String, Integer> rows = new TreeMap<>();
        for (int i = 0; i < 4; i++) rows.put("u" + i, primary);
        List<Long> seen = new ArrayList<>();
        RewriteReport r = new KeyReferenceScan(k, PEPPER).batchSize(2).progress(p -> seen.add(p.scanned())).run(source(rows));
        assertThat(seen).containsExactly(2L, 4L, 4L);
        assertThat(r.complete()).isTrue();
        assertThat(r.alreadyCurrent()).isEqualTo(4);
        assertThat(r.toString()).startsWith("RewriteReport[password-pepper:");
        assertThat(KeyReferenceScan.Reference.to("u1", -1).toString()).isEqualTo("Reference[u1 -> 4294967295]");
        assertThatThrownBy(() -> new KeyReferenceScan(k, PEPPER).batchSize(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
