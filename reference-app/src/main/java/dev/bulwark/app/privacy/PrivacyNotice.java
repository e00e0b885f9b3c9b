package dev.bulwark.app.privacy;

import dev.bulwark.app.backup.BackupRetention;
import dev.bulwark.app.platform.Html;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Services;
import dev.bulwark.app.platform.WorkspaceSettings;
import dev.bulwark.app.retention.DataRetention;

import java.time.Duration;
import java.util.Map;

/**
 * The privacy notice (ASVS 8.3.3) and the opt-in that every form collecting personal data carries: sign-up, accepting
 * an invitation as a new account, and public booking. The box is never ticked for the person; the server refuses the
 * request without it, and stores which {@link #VERSION} was accepted and when.
 */
public final class PrivacyNotice {
    /** Changes whenever the text below changes in substance; stored with every acceptance. */
    public static final String VERSION = "2026-12-01";
    /** The form / JSON field: "true" (or JSON true) when the person ticked the box. */
    public static final String FIELD = "acceptPrivacy";
    public static final String REQUIRED = "Accept the privacy notice to continue.";
    /** The audit action of an acceptance (details: the notice version). */
    public static final String AUDIT_ACTION = "privacy.accepted";

    private PrivacyNotice() {}

    /** True only for an explicit "true": absent, empty, "false" or anything else is no consent. */
    public static boolean accepted(Req req) {
        return "true".equalsIgnoreCase(req.field(FIELD));
    }

    /** Adds the field error when the box was not ticked. */
    public static void check(Req req, Map<String, String> errors) {
        if (!accepted(req)) errors.put(FIELD, REQUIRED);
    }

    /** The unticked box with a link to the notice (ticked again only if this very request ticked it), and its error. */
    public static String checkbox(Req req, Map<String, String> errors) {
        String err = errors == null ? null : errors.get(FIELD);
        boolean ticked = req != null && accepted(req);
        return "<div class=\"consent\"><label class=\"check\" for=\"" + FIELD + "\"><input type=\"checkbox\" id=\"" + FIELD + "\" name=\""
                + FIELD + "\" value=\"true\" required" + (ticked ? " checked" : "")
                + (err != null ? " aria-invalid=\"true\" aria-describedby=\"" + FIELD + "-error\"" : "") + "> I have read the "
                + "<a href=\"/privacy\" target=\"_blank\" rel=\"noopener\" class=\"privacy-link\">privacy notice</a> (version "
                + VERSION + ") and agree that my details are used as it describes.</label>"
                + (err != null ? "<p class=\"field-error\" id=\"" + FIELD + "-error\">" + Html.esc(err) + "</p>" : "") + "</div>";
    }

    /** The notice itself: session limits as this server is configured, other retention periods as their defaults. */
    static String body(Services s) {
        BackupRetention backups = BackupRetention.DEFAULT;
        String contact = s.config().securityContact;
        String contactLink = "<a href=\"" + Html.esc(contact) + "\" id=\"privacy-contact\">" + Html.esc(contact.replaceFirst("^mailto:", "")) + "</a>";
        return "<h1>Privacy notice</h1>"
                + "<p class=\"hint\">Version <strong id=\"privacy-version\">" + VERSION + "</strong>. Every sign-up with a password, invitation and "
                + "online booking records which version the person accepted and when. An account that single sign-on creates for a "
                + "workspace's members records no acceptance here: that workspace's organisation answers for it.</p>"
                + "<p>Bulwark helps service businesses run appointments, customers and invoices. This notice says, in plain words, what "
                + "personal data this server keeps, why, for how long, who else sees it, how it is protected, and how to get a copy or "
                + "have it deleted. The operator of this server (" + contactLink + ") is responsible for your account. For customer records, "
                + "the business you deal with decides what it keeps; this server stores and processes them on its behalf.</p>"

                + "<h2 id=\"what\">What we collect and why</h2><ul class=\"list\">"
                + "<li><strong>Your account</strong>: your name and e-mail address, your business name, and your password, which is stored "
                + "only as a one-way hash (Argon2id). If you turn on two-factor authentication, its secret is stored encrypted. "
                + "<em>Why</em>: to sign you in, keep your account safe and send you account e-mails (confirmation, password reset, "
                + "security alerts).</li>"
                + "<li><strong>Staff and customer records a business enters</strong>: names, e-mail addresses, phone numbers, postal "
                + "addresses, notes, services, appointments and invoices. <em>Why</em>: so the business can schedule, serve and bill its "
                + "customers.</li>"
                + "<li><strong>Online bookings</strong>: the name and e-mail address you type on a business's public booking page, and the "
                + "service and time you pick. <em>Why</em>: to book the appointment, send you a confirmation with a link to see, move or "
                + "cancel it, and let the business know who is coming.</li>"
                + "<li><strong>Uploads</strong>: files a business attaches to a customer record. <em>Why</em>: they are part of the "
                + "business's records.</li>"
                + "<li><strong>IP addresses, browser details and the audit log</strong>: the address and browser of each request that signs "
                + "in, changes something, is refused, or reads a customer record, recorded in a tamper-evident audit log. <em>Why</em>: "
                + "security: limiting repeated attempts, locking out password guessing, and investigating misuse.</li>"
                + "<li><strong>Cookies</strong>: only the ones the service needs, no advertising or analytics cookies and no tracking: a "
                + "session cookie that keeps you signed in, a cookie that protects forms against cross-site requests, a device cookie "
                + "(180 days) that lets a device that signed in before get past a lockout, and a five-minute cookie during two-factor "
                + "sign-in.</li>"
                + "<li><strong>Card payments</strong>: card details are typed into Stripe's hosted payment fields and go straight to "
                + "Stripe; this server never sees a card number, only a payment reference.</li></ul>"

                + "<h2 id=\"retention\">How long we keep it</h2><ul class=\"list\">"
                + "<li>A signed-in session ends after " + human(s.config().sessionIdleTimeout) + " without activity and after "
                + human(s.config().sessionAbsoluteLifetime) + " at most.</li>"
                + "<li>Audit log entries (with IP addresses) are deleted after " + WorkspaceSettings.DEFAULTS.auditRetentionDays()
                + " days unless the workspace owner chooses another period (30 to 3650 days).</li>"
                + "<li>When a business deletes a customer, the customer's record and files go at once; their past appointments are removed "
                + DataRetention.DEFAULT_DELETED_CUSTOMER_DAYS + " days later.</li>"
                + "<li>Invoices and payment records are kept as long as tax law requires; they hold no customer contact details.</li>"
                + "<li>When a workspace is deleted, its encryption keys are destroyed, so its data can no longer be read, also in older "
                + "backups.</li>"
                + "<li>Encrypted backups, when the operator turns them on, are kept in rotation: by default the last " + backups.daily()
                + " daily, " + backups.weekly() + " weekly and " + backups.monthly() + " monthly copies.</li>"
                + "<li>Your account is kept until you ask for it to be deleted.</li></ul>"

                + "<h2 id=\"processors\">Who else handles it</h2><ul class=\"list\">"
                + "<li><strong>Stripe</strong>, when a business takes card payments online: Stripe receives the card details in its own "
                + "hosted fields and processes the payment on the business's own Stripe account.</li>"
                + "<li><strong>The mail sender</strong>: e-mails (confirmations, invitations, password resets, booking confirmations) are "
                + "delivered through the operator's mail server; without one, they are stored in an outbox on this server.</li>"
                + "<li><strong>A connected calendar</strong>, only if a staff member connects one: the service name and the start and end "
                + "time of their appointments, never customer details.</li>"
                + "<li>Nobody else. Data is not sold or shared for advertising.</li></ul>"

                + "<h2 id=\"protection\">How it is protected</h2><ul class=\"list\">"
                + "<li>In transit: HTTPS only (TLS 1.3), with strict transport security.</li>"
                + "<li>At rest: customer contact details, notes, uploaded files, two-factor secrets and connection tokens are encrypted "
                + "with authenticated encryption under keys of their own workspace; backups are encrypted too.</li>"
                + "<li>Access: members see only their own workspaces, within the permissions of their role; reads of customer records "
                + "are audited.</li></ul>"

                + "<h2 id=\"rights\">Getting a copy or having it deleted</h2><ul class=\"list\">"
                + "<li>If you booked with a business or are its customer: ask that business. It can show you your record, give you a copy, "
                + "correct it or delete it in Bulwark.</li>"
                + "<li>If you have an account: write to the operator at " + contactLink + " for a copy of your account data, to have your "
                + "account deleted, or to withdraw your consent. Workspace owners can also delete their whole workspace themselves and "
                + "export its audit log.</li></ul>"
                + "<p>Questions about security: see the <a href=\"/SECURITY.md\">security policy</a>.</p>";
    }

    static String human(Duration d) {
        if (d.toDays() > 0 && d.toHours() % 24 == 0) return plural(d.toDays(), "day");
        if (d.toHours() > 0 && d.toMinutes() % 60 == 0) return plural(d.toHours(), "hour");
        if (d.toMinutes() > 0 && d.toSeconds() % 60 == 0) return plural(d.toMinutes(), "minute");
        return plural(d.toSeconds(), "second");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
