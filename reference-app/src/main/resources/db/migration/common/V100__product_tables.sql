-- Reference app part 2 (the product). Portable SQL (PostgreSQL and H2). Every table with workspace_id is a
-- workspace table: V101 puts it under the tenancy row-level security policy on PostgreSQL, and the app reaches it
-- only through TenantScopedJdbc with a TenantContext. Ids shown to customers are random (128 bits), never sequential.

-- Workspace profile: time zone for schedules, default currency, public booking switch, invoice number sequence.
CREATE TABLE prod_profile (
    workspace_id         VARCHAR(64)  NOT NULL PRIMARY KEY,
    time_zone            VARCHAR(64)  NOT NULL,
    currency             VARCHAR(3)   NOT NULL,
    booking_enabled      BOOLEAN      NOT NULL,
    next_invoice_number  BIGINT       NOT NULL,
    updated_at_ms        BIGINT       NOT NULL
);

-- Customers. e-mail, phone, address and notes are core-crypto ciphertext (bw1...) under the workspace data key,
-- bound to workspace/table/column/row; email_bidx is the blind index (HMAC) for exact-match search.
CREATE TABLE prod_customers (
    workspace_id     VARCHAR(64)   NOT NULL,
    id               VARCHAR(40)   NOT NULL,
    name             VARCHAR(200)  NOT NULL,
    email_enc        VARCHAR(2000),
    email_bidx       VARCHAR(200),
    phone_enc        VARCHAR(2000),
    address_enc      VARCHAR(4000),
    notes_enc        VARCHAR(12000),
    staff_member_id  VARCHAR(128),
    created_at_ms    BIGINT        NOT NULL,
    updated_at_ms    BIGINT        NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE INDEX prod_customers_email ON prod_customers (workspace_id, email_bidx);

-- Services: price in minor units of an ISO 4217 currency (never floating point), duration and buffer in minutes.
CREATE TABLE prod_services (
    workspace_id    VARCHAR(64)   NOT NULL,
    id              VARCHAR(40)   NOT NULL,
    name            VARCHAR(200)  NOT NULL,
    duration_min    INTEGER       NOT NULL,
    buffer_min      INTEGER       NOT NULL,
    price_minor     BIGINT        NOT NULL,
    currency        VARCHAR(3)    NOT NULL,
    active          BOOLEAN       NOT NULL,
    created_at_ms   BIGINT        NOT NULL,
    PRIMARY KEY (workspace_id, id)
);

-- Weekly working hours per staff member (ISO weekday 1 = Monday), minutes after midnight in the workspace zone.
CREATE TABLE prod_staff_hours (
    workspace_id     VARCHAR(64)   NOT NULL,
    staff_member_id  VARCHAR(128)  NOT NULL,
    weekday          INTEGER       NOT NULL,
    start_min        INTEGER       NOT NULL,
    end_min          INTEGER       NOT NULL,
    PRIMARY KEY (workspace_id, staff_member_id, weekday, start_min)
);

CREATE TABLE prod_time_off (
    workspace_id     VARCHAR(64)   NOT NULL,
    id               VARCHAR(40)   NOT NULL,
    staff_member_id  VARCHAR(128)  NOT NULL,
    starts_at_ms     BIGINT        NOT NULL,
    ends_at_ms       BIGINT        NOT NULL,
    reason           VARCHAR(200)  NOT NULL,
    PRIMARY KEY (workspace_id, id)
);

CREATE TABLE prod_appointments (
    workspace_id     VARCHAR(64)   NOT NULL,
    id               VARCHAR(40)   NOT NULL,
    staff_member_id  VARCHAR(128)  NOT NULL,
    service_id       VARCHAR(40)   NOT NULL,
    customer_id      VARCHAR(40)   NOT NULL,
    starts_at_ms     BIGINT        NOT NULL,
    ends_at_ms       BIGINT        NOT NULL,
    blocked_until_ms BIGINT        NOT NULL,
    status           VARCHAR(20)   NOT NULL,
    source           VARCHAR(20)   NOT NULL,
    created_at_ms    BIGINT        NOT NULL,
    updated_at_ms    BIGINT        NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE INDEX prod_appointments_time ON prod_appointments (workspace_id, starts_at_ms);

-- No double booking, enforced by the database: an appointment holds one row per 5-minute block it occupies
-- (duration + buffer); two appointments of one staff member can never hold the same block (primary key), so of
-- concurrent transactions booking overlapping times exactly one commits.
CREATE TABLE prod_appointment_slots (
    workspace_id     VARCHAR(64)   NOT NULL,
    staff_member_id  VARCHAR(128)  NOT NULL,
    slot_ms          BIGINT        NOT NULL,
    appointment_id   VARCHAR(40)   NOT NULL,
    PRIMARY KEY (workspace_id, staff_member_id, slot_ms)
);
CREATE INDEX prod_appointment_slots_appt ON prod_appointment_slots (workspace_id, appointment_id);

-- Invoices: number assigned from prod_profile.next_invoice_number when the invoice is first sent.
CREATE TABLE prod_invoices (
    workspace_id      VARCHAR(64)   NOT NULL,
    id                VARCHAR(40)   NOT NULL,
    number            BIGINT,
    customer_id       VARCHAR(40)   NOT NULL,
    status            VARCHAR(20)   NOT NULL,
    currency          VARCHAR(3)    NOT NULL,
    discount_bp       INTEGER       NOT NULL,
    subtotal_minor    BIGINT        NOT NULL,
    discount_minor    BIGINT        NOT NULL,
    tax_minor         BIGINT        NOT NULL,
    total_minor       BIGINT        NOT NULL,
    paid_minor        BIGINT        NOT NULL,
    refunded_minor    BIGINT        NOT NULL,
    due_date          VARCHAR(10)   NOT NULL,
    issued_at_ms      BIGINT,
    payment_intent_id VARCHAR(255),
    payment_state     VARCHAR(30),
    disputed          BOOLEAN       NOT NULL,
    notes             VARCHAR(2000) NOT NULL,
    created_at_ms     BIGINT        NOT NULL,
    updated_at_ms     BIGINT        NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX prod_invoices_number ON prod_invoices (workspace_id, number);

CREATE TABLE prod_invoice_lines (
    workspace_id     VARCHAR(64)   NOT NULL,
    invoice_id       VARCHAR(40)   NOT NULL,
    line_no          INTEGER       NOT NULL,
    description      VARCHAR(500)  NOT NULL,
    quantity         BIGINT        NOT NULL,
    unit_minor       BIGINT        NOT NULL,
    tax_bp           INTEGER       NOT NULL,
    PRIMARY KEY (workspace_id, invoice_id, line_no)
);

-- Payments recorded against invoices: manual ones, and Stripe PaymentIntents (unique, so a PaymentIntent is
-- counted once however often its webhook arrives).
CREATE TABLE prod_payments (
    workspace_id      VARCHAR(64)   NOT NULL,
    id                VARCHAR(40)   NOT NULL,
    invoice_id        VARCHAR(40)   NOT NULL,
    method            VARCHAR(20)   NOT NULL,
    amount_minor      BIGINT        NOT NULL,
    currency          VARCHAR(3)    NOT NULL,
    reference         VARCHAR(255)  NOT NULL,
    recorded_by       VARCHAR(128)  NOT NULL,
    created_at_ms     BIGINT        NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX prod_payments_reference ON prod_payments (workspace_id, method, reference);

-- The workspace's Stripe connected account (Connect). One per workspace.
CREATE TABLE prod_stripe_accounts (
    workspace_id       VARCHAR(64)   NOT NULL PRIMARY KEY,
    account_id         VARCHAR(255)  NOT NULL,
    charges_enabled    BOOLEAN       NOT NULL,
    details_submitted  BOOLEAN       NOT NULL,
    connected_by       VARCHAR(128)  NOT NULL,
    updated_at_ms      BIGINT        NOT NULL
);

-- Directory: which workspace a connected account belongs to. Read by the Connect webhook before any workspace is
-- known (like memberships), so it is not under the workspace policy; it holds two ids and nothing else.
CREATE TABLE prod_stripe_account_directory (
    account_id    VARCHAR(255)  NOT NULL PRIMARY KEY,
    workspace_id  VARCHAR(64)   NOT NULL UNIQUE
);

-- Files attached to customers, appointments and invoices (the blobs and their metadata live in upload-guard).
CREATE TABLE prod_attachments (
    workspace_id   VARCHAR(64)   NOT NULL,
    blob_id        VARCHAR(32)   NOT NULL,
    subject_type   VARCHAR(20)   NOT NULL,
    subject_id     VARCHAR(40)   NOT NULL,
    uploaded_by    VARCHAR(128)  NOT NULL,
    created_at_ms  BIGINT        NOT NULL,
    PRIMARY KEY (workspace_id, blob_id)
);
CREATE INDEX prod_attachments_subject ON prod_attachments (workspace_id, subject_type, subject_id);

-- Connected services (OAuth 2.0): tokens are ciphertext under core-crypto's connection-credentials keyset.
CREATE TABLE prod_connections (
    workspace_id       VARCHAR(64)   NOT NULL,
    id                 VARCHAR(40)   NOT NULL,
    member_id          VARCHAR(128)  NOT NULL,
    kind               VARCHAR(20)   NOT NULL,
    access_token_enc   VARCHAR(8000) NOT NULL,
    refresh_token_enc  VARCHAR(8000),
    expires_at_ms      BIGINT        NOT NULL,
    scope              VARCHAR(500)  NOT NULL,
    created_at_ms      BIGINT        NOT NULL,
    updated_at_ms      BIGINT        NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX prod_connections_member_kind ON prod_connections (workspace_id, member_id, kind);

-- OAuth authorisations in progress: the PKCE verifier (encrypted) for a state id carried by a signed state token.
CREATE TABLE prod_oauth_pending (
    workspace_id    VARCHAR(64)   NOT NULL,
    id              VARCHAR(40)   NOT NULL,
    member_id       VARCHAR(128)  NOT NULL,
    kind            VARCHAR(20)   NOT NULL,
    verifier_enc    VARCHAR(2000) NOT NULL,
    created_at_ms   BIGINT        NOT NULL,
    PRIMARY KEY (workspace_id, id)
);

-- Appointments pushed to a connected calendar (the provider's event id), so a retry never duplicates.
CREATE TABLE prod_calendar_events (
    workspace_id     VARCHAR(64)   NOT NULL,
    appointment_id   VARCHAR(40)   NOT NULL,
    connection_id    VARCHAR(40)   NOT NULL,
    member_id        VARCHAR(128)  NOT NULL,
    provider_event   VARCHAR(255)  NOT NULL,
    created_at_ms    BIGINT        NOT NULL,
    PRIMARY KEY (workspace_id, appointment_id, connection_id)
);
