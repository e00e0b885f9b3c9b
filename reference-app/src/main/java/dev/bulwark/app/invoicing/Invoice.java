package dev.bulwark.app.invoicing;

import dev.bulwark.app.product.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.util.List;

/** An invoice with its lines; {@code status} is draft, sent, paid or void ("overdue" is derived from the due date). */
public record Invoice(String id, Long number, String customerId, String status, String currency, int discountBp, long subtotal, long discount,
                      long tax, long total, long paid, long refunded, LocalDate dueDate, Long issuedAtMs, String paymentIntentId,
                      String paymentState, boolean disputed, String notes, List<InvoiceMath.Line> lines) {
    public static final String DRAFT = "draft";
    public static final String SENT = "sent";
    public static final String PAID = "paid";
    public static final String VOID = "void";

    public long due() {
        return Math.max(0, total - paid);
    }

    public boolean overdue(LocalDate today) {
        return SENT.equals(status) && due() > 0 && dueDate.isBefore(today);
    }

    public String displayNumber() {
        return number == null ? "Draft" : String.format("INV-%05d", number);
    }

    public JsonObject json(LocalDate today) {
        JsonArray ls = new JsonArray();
        for (InvoiceMath.Line l : lines) {
            ls.add(new JsonObject().put("description", l.description()).put("quantity", l.quantity()).put("unitMinor", l.unitMinor()).put("taxBp", l.taxBp()));
        }
        return new JsonObject().put("id", id).put("number", number).put("displayNumber", displayNumber()).put("customerId", customerId)
                .put("status", overdue(today) ? "overdue" : status).put("currency", currency).put("discountBp", discountBp)
                .put("subtotalMinor", subtotal).put("discountMinor", discount).put("taxMinor", tax).put("totalMinor", total)
                .put("paidMinor", paid).put("refundedMinor", refunded).put("dueMinor", due()).put("total", Money.format(total, currency))
                .put("dueDate", dueDate.toString()).put("paymentState", paymentState).put("disputed", disputed).put("notes", notes).put("lines", ls);
    }
}
