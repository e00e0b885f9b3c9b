package dev.bulwark.app.product;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;

/** Amounts are whole minor units (long) of an ISO 4217 currency; never floating point. */
public final class Money {
    private Money() {}

    /** The ISO 4217 code in upper case, or null if it is not a currency Java knows. */
    public static String currency(String code) {
        if (code == null || !code.matches("[A-Za-z]{3}")) return null;
        try {
            return Currency.getInstance(code.toUpperCase(Locale.ROOT)).getCurrencyCode();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public static int digits(String currency) {
        int d = Currency.getInstance(currency).getDefaultFractionDigits();
        return Math.max(d, 0);
    }

    /** "12.50 EUR" for 1250 EUR; "1250 JPY" for 1250 JPY. */
    public static String format(long minor, String currency) {
        return BigDecimal.valueOf(minor, digits(currency)).toPlainString() + " " + currency;
    }

    /** Parses "12.50" (at most the currency's decimals) into minor units; null when not a valid amount. */
    public static Long parse(String text, String currency) {
        if (text == null || !text.strip().matches("-?\\d{1,13}(\\.\\d{1,4})?")) return null;
        try {
            BigDecimal v = new BigDecimal(text.strip());
            if (v.scale() > digits(currency)) return null;
            return v.movePointRight(digits(currency)).longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }
}
