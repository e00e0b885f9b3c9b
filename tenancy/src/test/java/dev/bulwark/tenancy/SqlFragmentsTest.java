package dev.bulwark.tenancy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Limits and error messages of the SQL pieces {@link TenantScopedJdbc} accepts; WhereTest covers the escapes. */
class SqlFragmentsTest {

    @Test
    void conditionMayBe4000CharactersButNotOneMore() {
        String atLimit = "a = ?" + " ".repeat(4000 - 5);
        assertThat(atLimit).hasSize(4000);
        assertThat(Where.of(atLimit, 1).args()).containsExactly(1);
        assertThatThrownBy(() -> Where.of(atLimit + " ", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than 4000");
    }

    @Test
    void conditionMaySpanLinesWithNewlinesTabsAndCarriageReturns() {
        Where w = Where.of("status = ?\n\tAND amount >= ?\r\n", "paid", 3);
        assertThat(w.args()).containsExactly("paid", 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"id = ?\u0000", "id = ?\u001b[2J", "id = ?\u007f", "id\u000b= ?"})
    void otherControlCharactersInAConditionAreRejected(String condition) {
        assertThatThrownBy(() -> Where.of(condition, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("control character");
    }

    @Test
    void blankOrMissingConditionIsRejectedInFavourOfWhereAll() {
        assertThatThrownBy(() -> Where.of("   ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Where.all()");
        assertThatThrownBy(() -> Where.of(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Where.all()");
    }

    @Test
    void nullArgumentArrayCountsAsOneNullParameter() {
        assertThat(Where.of("deleted_at = ?", (Object[]) null).args()).containsExactly((Object) null);
        assertThatThrownBy(() -> Where.of("a = ? AND b = ?", (Object[]) null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whereCopiesItsArgumentsSoLaterChangesToTheCallersArrayDoNotLeakIn() {
        Object[] args = {"a"};
        Where w = Where.of("x = ?", args);
        args[0] = "b";
        assertThat(w.args()).containsExactly("a");
    }

    @Test
    void columnListIsNormalisedAndEveryItemMustBeAnIdentifier() {
        assertThat(SqlFragments.columns("id")).isEqualTo("id");
        assertThat(SqlFragments.columns(" id ,name,  amount")).isEqualTo("id, name, amount");
        for (String bad : new String[] {"", "  ", "id,", ",id", "id,,name", "COUNT(*)", "n.id"}) {
            assertThatThrownBy(() -> SqlFragments.columns(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> SqlFragments.columns(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void orderByAcceptsOnlyColumnsWithAnOptionalDirection() {
        assertThat(SqlFragments.orderBy("starts_at")).isEqualTo("starts_at");
        assertThat(SqlFragments.orderBy("starts_at\tDESC, id asc")).isEqualTo("starts_at DESC, id asc");
        for (String bad : new String[] {" ", "id,", "id DESC NULLS FIRST", "1", "id; DROP TABLE notes", "lower(name)"}) {
            assertThatThrownBy(() -> SqlFragments.orderBy(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> SqlFragments.orderBy(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tableNamesMayBeSchemaQualifiedButNothingMore() {
        assertThat(SqlFragments.tableName("notes")).isEqualTo("notes");
        assertThat(SqlFragments.tableName("app.notes")).isEqualTo("app.notes");
        assertThat(ScopedTable.named("app.notes").name()).isEqualTo("app.notes");
        for (String bad : new String[] {"a.b.c", "notes x", "1notes", ".notes", "notes.", ""}) {
            assertThatThrownBy(() -> SqlFragments.tableName(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> SqlFragments.tableName(null)).isInstanceOf(IllegalArgumentException.class).hasMessageEndingWith("got null");
    }

    @Test
    void identifiersAreLimitedTo63Characters() {
        String max = "c" + "x".repeat(62);
        assertThat(SqlFragments.identifier(max, "column")).isEqualTo(max);
        assertThatThrownBy(() -> SqlFragments.identifier(max + "x", "column")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SqlFragments.identifier(null, "owner column")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("owner column must be a plain SQL identifier ([A-Za-z_][A-Za-z0-9_]*), got null");
    }

    /** A rejected name is echoed so the integrator sees the mistake, but cut short and with control characters masked (no log forging). */
    @Test
    void rejectedNamesAreEchoedTruncatedAndWithoutControlCharacters() {
        IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
                () -> SqlFragments.identifier("bad\nINFO forged log line", "column"));
        assertThat(e.getMessage()).endsWith("got 'bad?INFO forged log line'").doesNotContain("\n");

        String longName = "x".repeat(39) + "-" + "secret-tail";
        e = catchThrowableOfType(IllegalArgumentException.class, () -> SqlFragments.tableName(longName));
        assertThat(e.getMessage()).endsWith("got '" + "x".repeat(39) + "-...'").doesNotContain("secret-tail");

        String exactly40 = "y".repeat(39) + "-";
        e = catchThrowableOfType(IllegalArgumentException.class, () -> SqlFragments.identifier(exactly40, "column"));
        assertThat(e.getMessage()).endsWith("got '" + exactly40 + "'");

        e = catchThrowableOfType(IllegalArgumentException.class, () -> SqlFragments.orderBy("id\r\nDESC; DROP"));
        assertThat(e.getMessage()).endsWith("got 'id??DESC; DROP'");
    }

    /** Only the condition and the number of parameters are printed: parameter values may be personal data. */
    @Test
    void whereToStringShowsTheConditionButNeverParameterValues() {
        assertThat(Where.of("email = ? AND city = ?", "alice@example.com", "Leeds")).hasToString("Where[email = ? AND city = ?, 2 parameters]");
        assertThat(Where.eq("email", "alice@example.com")).hasToString("Where[email = ?, 1 parameters]");
        assertThat(Where.all()).hasToString("Where[all]");
    }

    @Test
    void onlyWhereAllMeansEveryRowOfTheWorkspace() {
        assertThat(Where.all().isAll()).isTrue();
        assertThat(Where.eq("id", 1).isAll()).isFalse();
        assertThat(Where.of("amount > ?", 1).isAll()).isFalse();
    }
}
