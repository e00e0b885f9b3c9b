package dev.bulwark.app.invoicing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InvoiceMathTest {
    @Test
    void documentedExampleRoundsPerLineHalfToEven() {
        InvoiceMath.Totals t = InvoiceMath.compute(List.of(new InvoiceMath.Line("Haircut", 2, 4500, 1900),
                new InvoiceMath.Line("Shampoo", 1, 1999, 700)), 1000);
        assertThat(t.subtotal()).isEqualTo(10999);
        assertThat(t.discount()).isEqualTo(900 + 200);   // 199.9 -> 200
        assertThat(t.tax()).isEqualTo(1539 + 126);        // 1539.0 and 125.93 -> 126
        assertThat(t.total()).isEqualTo(11564);
    }

    @Test
    void halfwayCasesRoundToEven() {
        assertThat(InvoiceMath.rate(250, 100)).isEqualTo(2);  // 2.5 -> 2
        assertThat(InvoiceMath.rate(350, 100)).isEqualTo(4);  // 3.5 -> 4
    }

    @Test
    void overflowIsRefusedNotWrapped() {
        assertThatThrownBy(() -> InvoiceMath.compute(List.of(new InvoiceMath.Line("x", Long.MAX_VALUE / 2, 3, 0)), 0))
                .isInstanceOf(ArithmeticException.class);
    }

    @Provide
    Arbitrary<List<InvoiceMath.Line>> lines() {
        Arbitrary<InvoiceMath.Line> line = Combinators.combine(Arbitraries.longs().between(1, 1000), Arbitraries.longs().between(0, 10_000_000),
                Arbitraries.integers().between(0, 10_000)).as((q, u, t) -> new InvoiceMath.Line("l", q, u, t));
        return line.list().ofMinSize(0).ofMaxSize(20);
    }

    @Property(tries = 2000)
    void totalIsSubtotalMinusDiscountPlusTaxAndLinesAddUp(@ForAll("lines") List<InvoiceMath.Line> lines, @ForAll @IntRange(max = 10_000) int discountBp) {
        InvoiceMath.Totals t = InvoiceMath.compute(lines, discountBp);
        assertThat(t.total()).isEqualTo(t.subtotal() - t.discount() + t.tax());
        assertThat(t.lines().stream().mapToLong(InvoiceMath.LineTotals::net).sum()).isEqualTo(t.subtotal());
        assertThat(t.total()).isNotNegative();
        assertThat(t.discount()).isBetween(0L, t.subtotal());
    }

    @Property(tries = 2000)
    void eachLineIsWithinHalfAMinorUnitOfTheExactAmount(@ForAll("lines") List<InvoiceMath.Line> lines, @ForAll @IntRange(max = 10_000) int discountBp) {
        InvoiceMath.Totals t = InvoiceMath.compute(lines, discountBp);
        for (int i = 0; i < lines.size(); i++) {
            InvoiceMath.LineTotals lt = t.lines().get(i);
            BigDecimal exactDiscount = BigDecimal.valueOf(lt.net()).multiply(BigDecimal.valueOf(discountBp)).divide(BigDecimal.valueOf(10_000), 10, RoundingMode.UNNECESSARY);
            assertThat(exactDiscount.subtract(BigDecimal.valueOf(lt.discount())).abs()).isLessThanOrEqualTo(new BigDecimal("0.5"));
            BigDecimal exactTax = BigDecimal.valueOf(lt.net() - lt.discount()).multiply(BigDecimal.valueOf(lines.get(i).taxBp()))
                    .divide(BigDecimal.valueOf(10_000), 10, RoundingMode.UNNECESSARY);
            assertThat(exactTax.subtract(BigDecimal.valueOf(lt.tax())).abs()).isLessThanOrEqualTo(new BigDecimal("0.5"));
        }
    }
}
