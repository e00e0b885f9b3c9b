package dev.bulwark.crypto;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SearchableFieldsTest {
    static final ColumnContext EMAILS = ColumnContext.of("ws1", "customers", "email_idx");

    @Property(tries = 300)
    void deterministicEncryptionRoundTripsAndIsEqualForEqualInput(@ForAll @StringLength(max = 100) String v) throws Exception {
        Keyring k = KEYRING;
        String a = k.searchableFields().encrypt(v, EMAILS);
        assertThat(k.searchableFields().encrypt(v, EMAILS)).isEqualTo(a);
        assertThat(k.searchableFields().decrypt(a, EMAILS)).isEqualTo(v);
        ColumnContext other = ColumnContext.of("ws2", "customers", "email_idx");
        assertThat(k.searchableFields().encrypt(v, other)).isNotEqualTo(a);
        DecryptionException e = catchThrowableOfType(DecryptionException.class, () -> k.searchableFields().decrypt(a, other));
        assertThat(e.reason()).isEqualTo(DecryptionException.Reason.AUTHENTICATION_FAILED);
    }

    static final Keyring KEYRING = TestKeyrings.fresh();

    @Property(tries = 300)
    void blindIndexIsNormalisedAndColumnBound(@ForAll @StringLength(min = 1, max = 60) String local) {
        BlindIndex idx = KEYRING.blindIndexes().column(EMAILS, Normalizer.EMAIL);
        String email = local + "@Example.COM";
        assertThat(idx.compute("  " + email + " ")).isEqualTo(idx.compute(email.toLowerCase(java.util.Locale.ROOT)));
        BlindIndex otherWorkspace = KEYRING.blindIndexes().column(ColumnContext.of("ws2", "customers", "email_idx"), Normalizer.EMAIL);
        assertThat(otherWorkspace.compute(email)).isNotEqualTo(idx.compute(email));
    }

    @Test
    void lookupsSurviveRotationAndRebuildMovesEveryRowToThePrimary() {
        Keyring k = TestKeyrings.fresh();
        BlindIndex idx = k.blindIndexes().column(EMAILS, Normalizer.EMAIL);
        IndexTable table = new IndexTable();
        for (int i = 0; i < 50; i++) table.put(String.format("%03d", i), "user" + i + "@example.com", idx.compute("user" + i + "@example.com"));
        String oldKeyed = table.index.get("007");

        KeysetName bi = KeysetName.of(KeyPurpose.BLIND_INDEX);
        int old = k.info(bi).primaryKeyId();
        k.rotate(bi);
        // a new row, indexed under the new key
        table.put("050", "new@example.com", idx.compute("new@example.com"));

        // lookups find rows under both keys
        assertThat(table.find(idx.lookupValues("USER7@example.com"))).containsExactly("007");
        assertThat(table.find(idx.lookupValues("new@example.com"))).containsExactly("050");
        assertThat(idx.isCurrent(oldKeyed)).isFalse();
        // the primary-only index would miss the old row: that is what lookupValues is for
        assertThat(table.find(List.of(idx.compute("user7@example.com")))).isEmpty();

        RewriteReport r = new BlindIndexRebuild(idx, k).batchSize(7).run(table);
        assertThat(r.clean()).isTrue();
        assertThat(r.rewritten()).isEqualTo(50);
        assertThat(r.alreadyCurrent()).isEqualTo(1);
        assertThat(table.index.values()).allMatch(idx::isCurrent);
        assertThat(table.find(List.of(idx.compute("user7@example.com")))).containsExactly("007");

        k.disableKey(bi, old, List.of(r));
        assertThat(k.blindIndexes().column(EMAILS, Normalizer.EMAIL).lookupValues("x@example.com")).hasSize(1);
    }

    @Test
    void deterministicLookupSurvivesRotation() throws Exception {
        Keyring k = TestKeyrings.fresh();
        String before = k.searchableFields().encrypt("ann@example.com", EMAILS);
        k.rotate(KeysetName.of(KeyPurpose.SEARCHABLE_FIELDS));
        List<String> lookups = k.searchableFields().lookupValues("ann@example.com", EMAILS);
        assertThat(lookups).hasSize(2).contains(before);
        assertThat(k.searchableFields().needsReencryption(before)).isTrue();
        assertThat(k.searchableFields().decrypt(before, EMAILS)).isEqualTo("ann@example.com");
    }

    /** A table with an email column and its blind index, with compare-and-set index updates. */
    static final class IndexTable implements BatchSource<IndexedRow> {
        final TreeMap<String, String> value = new TreeMap<>();
        final TreeMap<String, String> index = new TreeMap<>();

        void put(String id, String v, String idx) {
            value.put(id, v);
            index.put(id, idx);
        }

        List<String> find(List<String> lookups) {
            List<String> out = new ArrayList<>();
            index.forEach((id, idx) -> {
                if (lookups.contains(idx)) out.add(id);
            });
            return out;
        }

        @Override
        public List<IndexedRow> nextBatch(String afterCursor, int limit) {
            List<IndexedRow> out = new ArrayList<>();
            for (String id : afterCursor == null ? index.keySet() : index.tailMap(afterCursor, false).keySet()) {
                if (out.size() == limit) break;
                out.add(new IndexedRow(id, value.get(id), index.get(id)));
            }
            return out;
        }

        @Override
        public boolean replace(IndexedRow item, String newValue) {
            if (!Objects.equals(index.get(item.cursor()), item.storedIndex())) return false;
            index.put(item.cursor(), newValue);
            return true;
        }

        @Override
        public String cursorOf(IndexedRow item) {
            return item.cursor();
        }
    }
}
