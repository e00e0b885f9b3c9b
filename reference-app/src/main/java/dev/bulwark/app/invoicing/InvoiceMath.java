package dev.bulwark.app.invoicing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Invoice totals in whole minor units, never floating point. Documented rounding, per line:
 * <ol>
 *   <li>net = quantity × unit price (exact; overflow is refused);</li>
 *   <li>discount = net × discount rate, rounded half-to-even to a minor unit;</li>
 *   <li>tax = (net − discount) × the line's tax rate, rounded half-to-even to a minor unit;</li>
 * </ol>
 * and the invoice's subtotal, discount and tax are the sums of the rounded line amounts, with
 * total = subtotal − discount + tax. Rates are basis points (1 % = 100 bp, 0–10 000).
 */
public final class InvoiceMath {
    private InvoiceMath() {}

    public record Line(String description, long quantity, long unitMinor, int taxBp) {}

    public record LineTotals(long net, long discount, long tax) {}

    public record Totals(long subtotal, long discount, long tax, long total, List<LineTotals> lines) {}

    public static Totals compute(List<Line> lines, int discountBp) {
        if (discountBp < 0 || discountBp > 10_000) throw new IllegalArgumentException("discount must be 0..10000 basis points");
        long subtotal = 0, discount = 0, tax = 0;
        List<LineTotals> out = new ArrayList<>();
        for (Line l : lines) {
            if (l.quantity() < 0 || l.unitMinor() < 0 || l.taxBp() < 0 || l.taxBp() > 10_000) {
                throw new IllegalArgumentException("quantities, prices and tax rates must not be negative; tax at most 10000 bp");
            }
            long net = Math.multiplyExact(l.quantity(), l.unitMinor());
            long d = rate(net, discountBp);
            long t = rate(net - d, l.taxBp());
            subtotal = Math.addExact(subtotal, net);
            discount = Math.addExact(discount, d);
            tax = Math.addExact(tax, t);
            out.add(new LineTotals(net, d, t));
        }
        return new Totals(subtotal, discount, tax, Math.addExact(subtotal - discount, tax), List.copyOf(out));
    }

    /** amount × bp / 10 000, rounded half-to-even. */
    static long rate(long amount, int bp) {
        return BigDecimal.valueOf(amount).multiply(BigDecimal.valueOf(bp)).divide(BigDecimal.valueOf(10_000), 0, RoundingMode.HALF_EVEN)
                .longValueExact();
    }
}
