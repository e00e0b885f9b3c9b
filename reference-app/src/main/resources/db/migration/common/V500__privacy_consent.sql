-- Privacy notice consent (ASVS 8.3.3): which version of the notice a person accepted, and when (epoch ms).
-- Accounts accept at sign-up or when joining through an invitation; a customer accepts with each public booking.
-- Nullable: rows from before the notice existed, accounts created by single sign-on, and appointments staff book.
ALTER TABLE app_users ADD COLUMN privacy_notice_version VARCHAR(20);
ALTER TABLE app_users ADD COLUMN privacy_accepted_at_ms BIGINT;
ALTER TABLE prod_appointments ADD COLUMN privacy_notice_version VARCHAR(20);
ALTER TABLE prod_appointments ADD COLUMN privacy_accepted_at_ms BIGINT;
