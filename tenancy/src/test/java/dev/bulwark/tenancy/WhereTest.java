package dev.bulwark.tenancy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WhereTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "id = ?) OR (1 = 1",              // closes the helper's parenthesis
            "id = ? OR 1 = 1)",                // unbalanced
            "(id = ?",                          // unbalanced
            "id = 1; DROP TABLE notes",        // second statement
            "name = 'x'",                       // literal instead of parameter
            "id = ? -- AND workspace_id = ?",  // comment
            "id = ? /* */",                     // comment
            "id IN (SELECT id FROM notes)",    // subquery reads past the predicate
            "1 = 1 UNION ALL SELECT * FROM notes",
            "id = $1",                          // dollar quoting / positional
            "name = \"x\"",
            "name = E\\x27"})
    void conditionsThatCouldEscapeTheWorkspacePredicateAreRejected(String condition) {
        assertThatThrownBy(() -> Where.of(condition, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void plainConditionsAreAccepted() {
        Where w = Where.of("(status = ? OR status = ?) AND amount >= ? AND name LIKE ?", "a", "b", 3, "x%");
        assertThat(w.args()).containsExactly("a", "b", 3, "x%");
        assertThat(Where.of("selected_at IS NULL").args()).isEmpty(); // 'select' inside an identifier is fine
        assertThat(Where.eq("id", 5).sql()).isEqualTo("id = ?");
        assertThat(Where.all().isAll()).isTrue();
    }

    @Test
    void placeholderCountMustMatchArguments() {
        assertThatThrownBy(() -> Where.of("a = ? AND b = ?", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 ? placeholders but 1");
    }

    @Test
    void toStringNeverPrintsParameterValues() {
        assertThat(Where.of("email = ?", "alice@example.com").toString()).doesNotContain("alice");
    }

    @Test
    void identifiersAreChecked() {
        assertThatThrownBy(() -> ScopedTable.named("notes; DROP")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Where.eq("id = 1 OR 1", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SqlFragments.columns("id, (SELECT 1)")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SqlFragments.orderBy("id; DROP")).isInstanceOf(IllegalArgumentException.class);
        assertThat(SqlFragments.orderBy("name desc,  id")).isEqualTo("name desc, id");
    }

    /** Fuzz: any text is either rejected with IllegalArgumentException or accepted as one balanced, quote-free condition. */
    @Property(tries = 10_000)
    void anyConditionIsRejectedCleanlyOrStaysInsideItsParentheses(@ForAll("sqlish") String condition) {
        Where w;
        try {
            int params = SqlFragments.condition(condition);
            w = Where.of(condition, new Object[params]);
        } catch (IllegalArgumentException expected) {
            return;
        }
        String sql = w.sql();
        assertThat(sql).doesNotContain(";", "'", "--", "/*", "\"");
        int depth = 0;
        for (char c : sql.toCharArray()) {
            if (c == '(') depth++;
            if (c == ')') depth--;
            assertThat(depth).isGreaterThanOrEqualTo(0);
        }
        assertThat(depth).isZero();
        assertThat(sql.toUpperCase()).doesNotContainPattern("\\b(SELECT|UNION)\\b");
    }

    @Provide
    Arbitrary<String> sqlish() {
        Arbitrary<String> tokens = Arbitraries.of("id", "=", "?", "(", ")", "OR", "AND", "1", "'", ";", "--", "/*",
                "SELECT", "select", "UNION", "name", " ", "x", "\"", "\\", "$", "\u0000", "-", "/", "*", "LIKE", "NOT");
        return Arbitraries.oneOf(
                tokens.list().ofMaxSize(12).map(l -> String.join(" ", l)),
                tokens.list().ofMaxSize(12).map(l -> String.join("", l)),
                Arbitraries.strings().ofMaxLength(40));
    }
}
