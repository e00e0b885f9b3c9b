package dev.bulwark.app.product;

import java.util.List;

/** The product's workspace tables (V100): each carries workspace_id and, on PostgreSQL, the tenancy RLS policy (V101). */
public final class ProductTables {
    private ProductTables() {}

    public static final List<String> WORKSPACE_TABLES = List.of("prod_profile", "prod_customers", "prod_services", "prod_staff_hours",
            "prod_time_off", "prod_appointments", "prod_appointment_slots", "prod_invoices", "prod_invoice_lines", "prod_payments",
            "prod_stripe_accounts", "prod_attachments", "prod_connections", "prod_oauth_pending", "prod_calendar_events");
}
