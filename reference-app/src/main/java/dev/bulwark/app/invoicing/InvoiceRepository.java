package dev.bulwark.app.invoicing;

import dev.bulwark.tenancy.Permission;
import dev.bulwark.tenancy.ScopedTable;
import dev.bulwark.tenancy.ScopedTransaction;
import dev.bulwark.tenancy.TenantContext;
import dev.bulwark.tenancy.TenantScopedJdbc;
import dev.bulwark.tenancy.Where;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Invoices, their lines, payments and the per-workspace number sequence, through tenancy's scoped JDBC. */
public final class InvoiceRepository {
    static final ScopedTable INVOICES = ScopedTable.named("prod_invoices").reads(Permission.INVOICES_VIEW).writes(Permission.INVOICES_MANAGE);
    static final ScopedTable LINES = ScopedTable.named("prod_invoice_lines").reads(Permission.INVOICES_VIEW).writes(Permission.INVOICES_MANAGE);
    static final ScopedTable PAYMENTS = ScopedTable.named("prod_payments").reads(Permission.PAYMENTS_VIEW).writes(Permission.PAYMENTS_MANAGE);
    /** The profile row seen as the invoice number sequence (accountants may advance it, not change settings). */
    static final ScopedTable SEQUENCE = ScopedTable.named("prod_profile").reads(Permission.INVOICES_VIEW).writes(Permission.INVOICES_MANAGE);
    private static final String COLUMNS = "id, number, customer_id, status, currency, discount_bp, subtotal_minor, discount_minor, tax_minor, "
            + "total_minor, paid_minor, refunded_minor, due_date, issued_at_ms, payment_intent_id, payment_state, disputed, notes";

    public record Payment(String id, String invoiceId, String method, long amountMinor, String currency, String reference, String recordedBy, long createdAtMs) {}

    private final TenantScopedJdbc jdbc;

    public InvoiceRepository(TenantScopedJdbc jdbc) {
        this.jdbc = jdbc;
    }

    public TenantScopedJdbc jdbc() {
        return jdbc;
    }

    public void insert(ScopedTransaction tx, Invoice i) throws SQLException {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", i.id());
        v.put("customer_id", i.customerId());
        v.put("status", i.status());
        v.put("currency", i.currency());
        v.put("discount_bp", i.discountBp());
        v.put("subtotal_minor", i.subtotal());
        v.put("discount_minor", i.discount());
        v.put("tax_minor", i.tax());
        v.put("total_minor", i.total());
        v.put("paid_minor", 0L);
        v.put("refunded_minor", 0L);
        v.put("due_date", i.dueDate().toString());
        v.put("disputed", false);
        v.put("notes", i.notes());
        v.put("created_at_ms", System.currentTimeMillis());
        v.put("updated_at_ms", System.currentTimeMillis());
        tx.insert(INVOICES, v);
        int n = 1;
        for (InvoiceMath.Line l : i.lines()) {
            tx.insert(LINES, Map.of("invoice_id", i.id(), "line_no", n++, "description", l.description(), "quantity", l.quantity(),
                    "unit_minor", l.unitMinor(), "tax_bp", l.taxBp()));
        }
    }

    public Optional<Invoice> byId(ScopedTransaction tx, String id) throws SQLException {
        Optional<Invoice> head = tx.select(INVOICES, COLUMNS, Where.eq("id", id), rs -> map(rs, List.of())).stream().findFirst();
        if (head.isEmpty()) return head;
        List<InvoiceMath.Line> lines = tx.select(LINES, "description, quantity, unit_minor, tax_bp", Where.eq("invoice_id", id), "line_no", 1000,
                rs -> new InvoiceMath.Line(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getInt(4)));
        Invoice i = head.get();
        return Optional.of(new Invoice(i.id(), i.number(), i.customerId(), i.status(), i.currency(), i.discountBp(), i.subtotal(), i.discount(),
                i.tax(), i.total(), i.paid(), i.refunded(), i.dueDate(), i.issuedAtMs(), i.paymentIntentId(), i.paymentState(), i.disputed(), i.notes(), lines));
    }

    public Optional<Invoice> byId(TenantContext ctx, String id) {
        return jdbc.inTransaction(ctx, tx -> byId(tx, id));
    }

    public List<Invoice> list(TenantContext ctx) {
        return jdbc.select(ctx, INVOICES, COLUMNS, Where.all(), "created_at_ms DESC", 1000, rs -> map(rs, List.of()));
    }

    public int update(ScopedTransaction tx, String id, Map<String, Object> values) throws SQLException {
        Map<String, Object> v = new LinkedHashMap<>(values);
        v.put("updated_at_ms", System.currentTimeMillis());
        return tx.update(INVOICES, v, Where.eq("id", id));
    }

    /**
     * Takes the invoice's row lock for the rest of the transaction (an UPDATE that changes only updated_at_ms: portable,
     * unlike SELECT ... FOR UPDATE through the scoped JDBC). A concurrent transaction on the same invoice, on this node or
     * another, waits here and then reads what the first committed. Returns 0 when the invoice is not in this workspace.
     */
    public int lock(ScopedTransaction tx, String id) throws SQLException {
        return tx.update(INVOICES, Map.of("updated_at_ms", System.currentTimeMillis()), Where.eq("id", id));
    }

    /** The next invoice number (optimistic compare-and-set on the profile row; the unique index is the last word). */
    public long nextNumber(ScopedTransaction tx) throws SQLException {
        for (int attempt = 0; attempt < 5; attempt++) {
            List<Long> cur = tx.select(SEQUENCE, "next_invoice_number", Where.all(), rs -> rs.getLong(1));
            if (cur.isEmpty()) {
                tx.insert(SEQUENCE, Map.of("time_zone", "UTC", "currency", "EUR", "booking_enabled", false, "next_invoice_number", 2L,
                        "updated_at_ms", System.currentTimeMillis()));
                return 1;
            }
            long n = cur.get(0);
            if (tx.update(SEQUENCE, Map.of("next_invoice_number", n + 1), Where.of("next_invoice_number = ?", n)) == 1) return n;
        }
        throw new IllegalStateException("invoice number sequence is contended; retry");
    }

    public boolean insertPayment(ScopedTransaction tx, Payment p) throws SQLException {
        if (!tx.select(PAYMENTS, "id", Where.of("method = ? AND reference = ?", p.method(), p.reference()), rs -> rs.getString(1)).isEmpty()) {
            return false;
        }
        tx.insert(PAYMENTS, Map.of("id", p.id(), "invoice_id", p.invoiceId(), "method", p.method(), "amount_minor", p.amountMinor(),
                "currency", p.currency(), "reference", p.reference(), "recorded_by", p.recordedBy(), "created_at_ms", p.createdAtMs()));
        return true;
    }

    public List<Payment> payments(TenantContext ctx, String invoiceId) {
        return jdbc.select(ctx, PAYMENTS, "id, invoice_id, method, amount_minor, currency, reference, recorded_by, created_at_ms",
                Where.eq("invoice_id", invoiceId), "created_at_ms", 1000,
                rs -> new Payment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6),
                        rs.getString(7), rs.getLong(8)));
    }

    private static Invoice map(ResultSet rs, List<InvoiceMath.Line> lines) throws SQLException {
        long num = rs.getLong(2);
        Long number = rs.wasNull() ? null : num;
        long issued = rs.getLong(14);
        Long issuedAt = rs.wasNull() ? null : issued;
        return new Invoice(rs.getString(1), number, rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6), rs.getLong(7),
                rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12), LocalDate.parse(rs.getString(13)), issuedAt,
                rs.getString(15), rs.getString(16), rs.getBoolean(17), rs.getString(18), lines);
    }
}
