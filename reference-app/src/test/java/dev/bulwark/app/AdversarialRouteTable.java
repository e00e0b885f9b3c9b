package dev.bulwark.app;

import dev.bulwark.tenancy.Permission;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import static dev.bulwark.tenancy.Permission.AUDIT_VIEW;
import static dev.bulwark.tenancy.Permission.CUSTOMERS_MANAGE;
import static dev.bulwark.tenancy.Permission.CUSTOMERS_VIEW;
import static dev.bulwark.tenancy.Permission.FILES_UPLOAD;
import static dev.bulwark.tenancy.Permission.FILES_VIEW;
import static dev.bulwark.tenancy.Permission.INTEGRATIONS_MANAGE;
import static dev.bulwark.tenancy.Permission.INVOICES_MANAGE;
import static dev.bulwark.tenancy.Permission.INVOICES_VIEW;
import static dev.bulwark.tenancy.Permission.MEMBERS_MANAGE;
import static dev.bulwark.tenancy.Permission.MEMBERS_VIEW;
import static dev.bulwark.tenancy.Permission.PAYMENTS_MANAGE;
import static dev.bulwark.tenancy.Permission.PAYMENTS_VIEW;
import static dev.bulwark.tenancy.Permission.SCHEDULE_MANAGE;
import static dev.bulwark.tenancy.Permission.SCHEDULE_VIEW;
import static dev.bulwark.tenancy.Permission.WORKSPACE_DELETE;
import static dev.bulwark.tenancy.Permission.WORKSPACE_SETTINGS_MANAGE;
import static dev.bulwark.tenancy.Permission.WORKSPACE_VIEW;

/**
 * Every route the app registers, classified: who may call it (static asset, open, signed-in user, platform admin,
 * signature-verified webhook, or workspace member with a declared tenancy {@link Permission}) and how to call it
 * (path, query and body built from the world's records). The route matrix reads the router and fails on any route
 * missing here, so a new route cannot ship unclassified. The permission declared here is the one the role table is
 * checked against: a handler that asks for a different permission shows up as a wrong cell.
 */
final class AdversarialRouteTable {
    private AdversarialRouteTable() {}

    enum Access {
        /** A fixed resource served without the request pipeline (no session is read). */
        STATIC,
        /** Anyone; some carry a signed link that is the only authority. */
        OPEN,
        /** Any signed-in user (session cookie). */
        USER,
        /** A signed-in user on BULWARK_PLATFORM_ADMINS; everyone else gets 404. */
        PLATFORM_ADMIN,
        /** Authenticated by the Stripe signature of the raw body (cookies and roles are irrelevant). */
        WEBHOOK,
        /** A member of the workspace in the path with the declared permission. */
        WORKSPACE
    }

    enum Flag {
        /**
         * Rows belong to the member who made them (OAuth connections): other members holding the permission get 404,
         * exactly like a missing row.
         */
        MEMBER_ROWS,
        /**
         * The handler further limits the declared permission to workspace owners (the mail outbox holds one-time links of
         * every member): other roles get 403.
         */
        OWNER_ONLY,
        /** An open sign-in route of a feature the world's workspaces have not configured (SSO): 404 is a correct answer. */
        UNCONFIGURED_IS_404,
        /** The route ends the caller's session (logout): run with a fresh login of the same user. */
        FRESH_ACTOR
    }

    /** What a cell sends. Query strings are part of the path. */
    record Call(String method, String path, JsonObject body) {}

    @FunctionalInterface
    interface Target {
        Call call(AdversarialFx f) throws Exception;
    }

    record Spec(String key, Access access, Permission permission, Target target, Set<Flag> flags) {}

    static final Map<String, Spec> TABLE;

    private static final Map<String, Spec> T = new LinkedHashMap<>();

    private static void add(Access a, String key, Permission p, Target t, Flag... flags) {
        Set<Flag> f = flags.length == 0 ? EnumSet.noneOf(Flag.class) : EnumSet.of(flags[0], flags);
        if (T.put(key, new Spec(key, a, p, t, f)) != null) throw new IllegalStateException("declared twice: " + key);
    }

    private static void stat(String key) {
        String path = key.substring(key.indexOf(' ') + 1);
        add(Access.STATIC, key, null, f -> new Call("GET", path, null));
    }

    private static void open(String key, Target t, Flag... flags) {
        add(Access.OPEN, key, null, t, flags);
    }

    private static void user(String key, Target t, Flag... flags) {
        add(Access.USER, key, null, t, flags);
    }

    private static void ws(String key, Permission p, Target t, Flag... flags) {
        add(Access.WORKSPACE, key, p, t, flags);
    }

    private static Call get(String path) {
        return new Call("GET", path, null);
    }

    private static Call post(String path, JsonObject body) {
        return new Call("POST", path, body);
    }

    private static Call post(String path) {
        return new Call("POST", path, new JsonObject());
    }

    private static Call put(String path, JsonObject body) {
        return new Call("PUT", path, body);
    }

    private static Call delete(String path) {
        return new Call("DELETE", path, null);
    }

    private static JsonObject o() {
        return new JsonObject();
    }

    private static String api(AdversarialFx f, String rest) {
        return "/api/v1/workspaces/" + f.ws() + rest;
    }

    private static String w(AdversarialFx f, String rest) {
        return "/w/" + f.ws() + rest;
    }

    private static String timeOffDay() {
        return LocalDate.now(AdversarialWorld.ZONE).plusDays(300).toString();
    }

    private static JsonObject customerBody() {
        return o().put("name", "Private Person").put("phone", "+49 30 1234 5678");
    }

    private static JsonObject invoiceBody(AdversarialFx f) {
        return o().put("customerId", f.customer()).put("currency", "EUR").put("lines", new io.vertx.core.json.JsonArray()
                .add(o().put("description", "Consultation").put("quantity", 1).put("unitMinor", 1000)));
    }

    private static JsonObject timeOff() {
        return o().put("start", timeOffDay() + "T09:00").put("end", timeOffDay() + "T10:00").put("reason", "matrix");
    }

    static {
        // ---- static resources (no request pipeline)
        stat("GET /favicon.ico");
        stat("GET /health/live");
        stat("GET /.well-known/security.txt");
        stat("GET /SECURITY.md");
        stat("GET /api/openapi.yaml");
        stat("GET /static/app.css");
        stat("GET /static/product/upload.js");
        stat("GET /static/product/pay.js");
        stat("GET /static/account/webauthn.js");
        open("GET /health/ready", f -> get("/health/ready"));

        // ---- account (open: sign-up, login, links; bodies without credentials so nothing changes)
        open("GET /", f -> get("/"));
        open("GET /privacy", f -> get("/privacy"));
        open("GET /signup", f -> get("/signup"));
        open("POST /signup", f -> post("/signup"));
        open("GET /verify-email", f -> get("/verify-email"));
        open("POST /verify-email", f -> post("/verify-email"));
        open("GET /login", f -> get("/login"));
        open("POST /login", f -> post("/login"));
        open("GET /login/mfa", f -> get("/login/mfa"));
        open("POST /login/mfa", f -> post("/login/mfa"));
        open("POST /logout", f -> post("/logout"), Flag.FRESH_ACTOR);
        open("GET /password/forgot", f -> get("/password/forgot"));
        open("POST /password/forgot", f -> post("/password/forgot"));
        open("GET /password/reset", f -> get("/password/reset"));
        open("POST /password/reset", f -> post("/password/reset"));
        open("GET /account/email/confirm", f -> get("/account/email/confirm"));
        open("POST /account/email/confirm", f -> post("/account/email/confirm"));
        open("GET /api/v1/csrf", f -> get("/api/v1/csrf"));
        open("POST /api/v1/signup", f -> post("/api/v1/signup"));
        open("POST /api/v1/verify-email", f -> post("/api/v1/verify-email"));
        open("POST /api/v1/verify-email/resend", f -> post("/api/v1/verify-email/resend"));
        open("POST /api/v1/login", f -> post("/api/v1/login"));
        open("POST /api/v1/login/mfa", f -> post("/api/v1/login/mfa"));
        // Security key as second factor: the MFA-step cookie is the only authority (none in the matrix: 401).
        open("POST /api/v1/login/mfa/webauthn/start", f -> post("/api/v1/login/mfa/webauthn/start"));
        open("POST /api/v1/login/mfa/webauthn/finish", f -> post("/api/v1/login/mfa/webauthn/finish",
                o().put("credential", "{\"id\":\"AA\",\"type\":\"public-key\",\"response\":{}}")));
        open("POST /api/v1/password/forgot", f -> post("/api/v1/password/forgot"));
        open("POST /api/v1/password/reset", f -> post("/api/v1/password/reset"));
        open("POST /api/v1/account/email/confirm", f -> post("/api/v1/account/email/confirm"));
        // Invitations: the (workspace, invitation) pair in the link; the token is not the holder's.
        open("GET /invite", f -> get("/invite?w=" + f.ws() + "&i=" + f.invite() + "&t=" + f.bookingToken()));
        open("POST /invite/accept", f -> post("/invite/accept", o().put("w", f.ws()).put("i", f.invite()).put("t", f.bookingToken())));
        open("POST /api/v1/invites/accept", f -> post("/api/v1/invites/accept", o().put("w", f.ws()).put("i", f.invite()).put("t", f.bookingToken())));

        // ---- signed-in user
        user("GET /app", f -> get("/app"));
        user("GET /account", f -> get("/account"));
        user("POST /account/password", f -> post("/account/password"));
        user("POST /account/email", f -> post("/account/email"));
        user("GET /account/sessions", f -> get("/account/sessions"));
        user("POST /account/sessions/revoke-others", f -> post("/account/sessions/revoke-others"));
        user("POST /account/sessions/:id/revoke", f -> post("/account/sessions/" + f.freshSession() + "/revoke"));
        user("GET /account/mfa", f -> get("/account/mfa"));
        user("POST /account/mfa/start", f -> post("/account/mfa/start"));
        user("GET /account/mfa/qr.svg", f -> get("/account/mfa/qr.svg"));
        user("POST /account/mfa/confirm", f -> post("/account/mfa/confirm"));
        user("POST /account/mfa/disable", f -> post("/account/mfa/disable"));
        user("POST /account/mfa/keys/:id/remove", f -> post("/account/mfa/keys/" + f.freshSecurityKey() + "/remove"));
        user("GET /reauth", f -> get("/reauth"));
        user("POST /reauth", f -> post("/reauth"));
        user("POST /api/v1/logout", f -> post("/api/v1/logout"), Flag.FRESH_ACTOR);
        user("GET /api/v1/account", f -> get("/api/v1/account"));
        user("POST /api/v1/account/password", f -> post("/api/v1/account/password"));
        user("POST /api/v1/account/email", f -> post("/api/v1/account/email"));
        user("POST /api/v1/reauth", f -> post("/api/v1/reauth"));
        user("GET /api/v1/account/sessions", f -> get("/api/v1/account/sessions"));
        user("DELETE /api/v1/account/sessions/:id", f -> delete("/api/v1/account/sessions/" + f.freshSession()));
        user("POST /api/v1/account/sessions/revoke-others", f -> post("/api/v1/account/sessions/revoke-others"));
        user("POST /api/v1/account/mfa/start", f -> post("/api/v1/account/mfa/start"));
        user("POST /api/v1/account/mfa/confirm", f -> post("/api/v1/account/mfa/confirm"));
        user("POST /api/v1/account/mfa/disable", f -> post("/api/v1/account/mfa/disable"));
        user("GET /api/v1/account/mfa/webauthn/keys", f -> get("/api/v1/account/mfa/webauthn/keys"));
        user("POST /api/v1/account/mfa/webauthn/register/start", f -> post("/api/v1/account/mfa/webauthn/register/start"));
        user("POST /api/v1/account/mfa/webauthn/register/finish", f -> post("/api/v1/account/mfa/webauthn/register/finish",
                o().put("name", "Blue key").put("credential", "{\"id\":\"AA\",\"type\":\"public-key\",\"response\":{}}")));
        user("DELETE /api/v1/account/mfa/webauthn/keys/:id", f -> delete("/api/v1/account/mfa/webauthn/keys/" + f.freshSecurityKey()));
        user("GET /api/v1/workspaces", f -> get("/api/v1/workspaces"));
        // The OAuth callback: the state names the workspace; a foreign or forged state must look like a missing one.
        user("GET /connections/callback", f -> get("/connections/callback?code=x&state=" + f.ws() + "~" + f.connection()));
        add(Access.PLATFORM_ADMIN, "GET /admin/audit", null, f -> get("/admin/audit"));
        add(Access.PLATFORM_ADMIN, "GET /admin/audit/export.jsonl", null, f -> get("/admin/audit/export.jsonl"));
        add(Access.PLATFORM_ADMIN, "GET /admin/ops", null, f -> get("/admin/ops"));

        // ---- team
        ws("GET /w/:ws", WORKSPACE_VIEW, f -> get(w(f, "")));
        ws("GET /w/:ws/team", MEMBERS_VIEW, f -> get(w(f, "/team")));
        ws("POST /w/:ws/team/invite", MEMBERS_MANAGE, f -> post(w(f, "/team/invite"), o().put("email", "m-" + System.nanoTime() + "@example.com").put("role", "viewer")));
        ws("POST /w/:ws/team/invites/:id/revoke", MEMBERS_MANAGE, f -> post(w(f, "/team/invites/" + f.freshInvite() + "/revoke")));
        ws("POST /w/:ws/team/:member/role", MEMBERS_MANAGE, f -> post(w(f, "/team/" + f.victimMember() + "/role"), o().put("role", "viewer")));
        ws("POST /w/:ws/team/:member/remove", MEMBERS_MANAGE, f -> post(w(f, "/team/" + f.freshVictim() + "/remove")));
        ws("GET /api/v1/workspaces/:ws", WORKSPACE_VIEW, f -> get(api(f, "")));
        ws("GET /api/v1/workspaces/:ws/members", MEMBERS_VIEW, f -> get(api(f, "/members")));
        ws("GET /api/v1/workspaces/:ws/members/:member", MEMBERS_VIEW, f -> get(api(f, "/members/" + f.victimMember())));
        ws("POST /api/v1/workspaces/:ws/invites", MEMBERS_MANAGE, f -> post(api(f, "/invites"), o().put("email", "m-" + System.nanoTime() + "@example.com").put("role", "viewer")));
        ws("GET /api/v1/workspaces/:ws/invites", MEMBERS_VIEW, f -> get(api(f, "/invites")));
        ws("DELETE /api/v1/workspaces/:ws/invites/:id", MEMBERS_MANAGE, f -> delete(api(f, "/invites/" + f.freshInvite())));
        ws("PUT /api/v1/workspaces/:ws/members/:member/role", MEMBERS_MANAGE, f -> put(api(f, "/members/" + f.victimMember() + "/role"), o().put("role", "viewer")));
        ws("DELETE /api/v1/workspaces/:ws/members/:member", MEMBERS_MANAGE, f -> delete(api(f, "/members/" + f.freshVictim())));

        // ---- API keys, settings, audit
        ws("GET /w/:ws/api-keys", INTEGRATIONS_MANAGE, f -> get(w(f, "/api-keys")));
        ws("POST /w/:ws/api-keys", INTEGRATIONS_MANAGE, f -> post(w(f, "/api-keys"), o().put("label", "matrix").put("scope", "read_only")));
        ws("POST /w/:ws/api-keys/:id/revoke", INTEGRATIONS_MANAGE, f -> post(w(f, "/api-keys/" + f.freshApiKey() + "/revoke")));
        ws("GET /api/v1/workspaces/:ws/api-keys", INTEGRATIONS_MANAGE, f -> get(api(f, "/api-keys")));
        ws("POST /api/v1/workspaces/:ws/api-keys", INTEGRATIONS_MANAGE, f -> post(api(f, "/api-keys"), o().put("label", "matrix").put("scope", "read_only")));
        ws("DELETE /api/v1/workspaces/:ws/api-keys/:id", INTEGRATIONS_MANAGE, f -> delete(api(f, "/api-keys/" + f.freshApiKey())));
        ws("GET /w/:ws/settings/security", WORKSPACE_SETTINGS_MANAGE, f -> get(w(f, "/settings/security")));
        ws("POST /w/:ws/settings/security", WORKSPACE_SETTINGS_MANAGE, f -> post(w(f, "/settings/security"), o().put("auditRetentionDays", 400)));
        ws("GET /api/v1/workspaces/:ws/settings/security", WORKSPACE_SETTINGS_MANAGE, f -> get(api(f, "/settings/security")));
        ws("PUT /api/v1/workspaces/:ws/settings/security", WORKSPACE_SETTINGS_MANAGE, f -> put(api(f, "/settings/security"), o().put("auditRetentionDays", 400)));
        // never confirmed here (the world must survive): the owner gets the 400 of a wrong confirmation, others 403/404
        ws("POST /api/v1/workspaces/:ws/delete", WORKSPACE_DELETE, f -> post(api(f, "/delete"), o().put("confirm", "not-this-workspace")));
        ws("GET /w/:ws/audit", AUDIT_VIEW, f -> get(w(f, "/audit")));
        ws("GET /w/:ws/audit/suspicious", AUDIT_VIEW, f -> get(w(f, "/audit/suspicious")));
        ws("GET /w/:ws/audit/export.jsonl", AUDIT_VIEW, f -> get(w(f, "/audit/export.jsonl")));
        ws("GET /api/v1/workspaces/:ws/audit", AUDIT_VIEW, f -> get(api(f, "/audit")));
        ws("GET /api/v1/workspaces/:ws/audit/export.jsonl", AUDIT_VIEW, f -> get(api(f, "/audit/export.jsonl")));
        ws("GET /w/:ws/outbox", WORKSPACE_VIEW, f -> get(w(f, "/outbox")), Flag.OWNER_ONLY);

        // ---- catalog
        ws("GET /api/v1/workspaces/:ws/profile", WORKSPACE_VIEW, f -> get(api(f, "/profile")));
        ws("PUT /api/v1/workspaces/:ws/profile", WORKSPACE_SETTINGS_MANAGE, f -> put(api(f, "/profile"), o().put("timeZone", "Europe/Berlin").put("currency", "EUR")));
        ws("GET /api/v1/workspaces/:ws/services", WORKSPACE_VIEW, f -> get(api(f, "/services")));
        ws("POST /api/v1/workspaces/:ws/services", WORKSPACE_SETTINGS_MANAGE, f -> post(api(f, "/services"), AdversarialWorld.Side.serviceBody()));
        ws("PUT /api/v1/workspaces/:ws/services/:id", WORKSPACE_SETTINGS_MANAGE, f -> put(api(f, "/services/" + f.service()), AdversarialWorld.Side.serviceBody()));
        ws("GET /api/v1/workspaces/:ws/staff", SCHEDULE_VIEW, f -> get(api(f, "/staff")));
        ws("PUT /api/v1/workspaces/:ws/staff/:member/hours", SCHEDULE_MANAGE, f -> put(api(f, "/staff/" + f.ownerMember() + "/hours"), AdversarialWorld.Side.hoursBody()));
        ws("POST /api/v1/workspaces/:ws/staff/:member/time-off", SCHEDULE_MANAGE, f -> post(api(f, "/staff/" + f.ownerMember() + "/time-off"), timeOff()));
        ws("GET /w/:ws/services", SCHEDULE_VIEW, f -> get(w(f, "/services")));
        ws("POST /w/:ws/profile", WORKSPACE_SETTINGS_MANAGE, f -> post(w(f, "/profile"), o().put("timeZone", "Europe/Berlin").put("currency", "EUR")));
        ws("POST /w/:ws/services", WORKSPACE_SETTINGS_MANAGE, f -> post(w(f, "/services"), AdversarialWorld.Side.serviceBody()));
        ws("POST /w/:ws/staff/:member/hours", SCHEDULE_MANAGE, f -> post(w(f, "/staff/" + f.ownerMember() + "/hours"), AdversarialWorld.Side.hoursBody()));
        ws("POST /w/:ws/staff/:member/time-off", SCHEDULE_MANAGE, f -> post(w(f, "/staff/" + f.ownerMember() + "/time-off"), timeOff()));

        // ---- booking
        ws("GET /api/v1/workspaces/:ws/appointments", SCHEDULE_VIEW, f -> get(api(f, "/appointments?staffMemberId=" + f.ownerMember())));
        ws("POST /api/v1/workspaces/:ws/appointments", SCHEDULE_MANAGE, f -> post(api(f, "/appointments"), o().put("serviceId", f.service())
                .put("staffMemberId", f.ownerMember()).put("customerId", f.customer()).put("start", f.slot())));
        ws("GET /api/v1/workspaces/:ws/appointments/:id", SCHEDULE_VIEW, f -> get(api(f, "/appointments/" + f.appointment())));
        ws("POST /api/v1/workspaces/:ws/appointments/:id/cancel", SCHEDULE_MANAGE, f -> post(api(f, "/appointments/" + f.freshAppointment() + "/cancel")));
        ws("POST /api/v1/workspaces/:ws/appointments/:id/reschedule", SCHEDULE_MANAGE, f -> post(api(f, "/appointments/" + f.freshAppointment() + "/reschedule"),
                o().put("start", f.slot())));
        ws("GET /api/v1/workspaces/:ws/availability", SCHEDULE_VIEW, f -> get(api(f, "/availability?serviceId=" + f.service() + "&staffMemberId=" + f.ownerMember()
                + "&date=" + LocalDate.now(AdversarialWorld.ZONE).plusDays(2))));
        ws("POST /api/v1/workspaces/:ws/booking-link", WORKSPACE_SETTINGS_MANAGE, f -> post(api(f, "/booking-link")));
        ws("POST /api/v1/workspaces/:ws/booking-link/rotate", WORKSPACE_SETTINGS_MANAGE, f -> post(api(f, "/booking-link/rotate")));
        ws("DELETE /api/v1/workspaces/:ws/booking-link", WORKSPACE_SETTINGS_MANAGE, f -> delete(api(f, "/booking-link")));
        ws("GET /w/:ws/calendar", SCHEDULE_VIEW, f -> get(w(f, "/calendar")));
        ws("POST /w/:ws/appointments", SCHEDULE_MANAGE, f -> post(w(f, "/appointments"), o().put("serviceId", f.service())
                .put("staffMemberId", f.ownerMember()).put("customerId", f.customer()).put("start", f.slot())));
        ws("GET /w/:ws/appointments/:id", SCHEDULE_VIEW, f -> get(w(f, "/appointments/" + f.appointment())));
        ws("POST /w/:ws/appointments/:id/cancel", SCHEDULE_MANAGE, f -> post(w(f, "/appointments/" + f.freshAppointment() + "/cancel")));
        ws("POST /w/:ws/appointments/:id/reschedule", SCHEDULE_MANAGE, f -> post(w(f, "/appointments/" + f.freshAppointment() + "/reschedule"),
                o().put("start", f.slot())));
        ws("GET /w/:ws/booking-page", WORKSPACE_SETTINGS_MANAGE, f -> get(w(f, "/booking-page")));
        ws("POST /w/:ws/booking-page/enable", WORKSPACE_SETTINGS_MANAGE, f -> post(w(f, "/booking-page/enable")));
        ws("POST /w/:ws/booking-page/rotate", WORKSPACE_SETTINGS_MANAGE, f -> post(w(f, "/booking-page/rotate")));
        ws("POST /w/:ws/booking-page/disable", WORKSPACE_SETTINGS_MANAGE, f -> post(w(f, "/booking-page/disable")));
        // Public booking: the signed link is the authority; a link of one workspace names nothing in another.
        open("GET /book/:ws", f -> get("/book/" + f.ws() + "?t=" + f.bookingToken() + "&service=" + f.service() + "&staff=" + f.ownerMember()));
        open("POST /book/:ws", f -> post("/book/" + f.ws(), o().put("t", f.bookingToken()).put("serviceId", f.service()).put("staffMemberId", f.ownerMember())
                .put("start", f.slot()).put("name", "Cora Customer").put("email", "cora-" + System.nanoTime() + "@example.org").put("acceptPrivacy", true)));
        open("GET /b/:ws/:apt", f -> get("/b/" + f.ws() + "/" + f.publicAppointment() + "?t=" + f.manageToken()));
        open("POST /b/:ws/:apt/cancel", f -> {
            String[] fresh = f.freshPublicAppointment();
            return post("/b/" + f.ws() + "/" + fresh[0] + "/cancel", o().put("t", fresh[1]));
        });
        open("POST /b/:ws/:apt/reschedule", f -> {
            String[] fresh = f.freshPublicAppointment();
            return post("/b/" + f.ws() + "/" + fresh[0] + "/reschedule", o().put("t", fresh[1]).put("start", f.slot()));
        });

        // ---- invoicing
        ws("GET /api/v1/workspaces/:ws/invoices", INVOICES_VIEW, f -> get(api(f, "/invoices?customerId=" + f.customer())));
        ws("POST /api/v1/workspaces/:ws/invoices", INVOICES_MANAGE, f -> post(api(f, "/invoices"), invoiceBody(f)));
        ws("GET /api/v1/workspaces/:ws/invoices/:id", INVOICES_VIEW, f -> get(api(f, "/invoices/" + f.invoice())));
        ws("POST /api/v1/workspaces/:ws/invoices/:id/send", INVOICES_MANAGE, f -> post(api(f, "/invoices/" + f.freshDraftInvoice() + "/send")));
        ws("POST /api/v1/workspaces/:ws/invoices/:id/void", INVOICES_MANAGE, f -> post(api(f, "/invoices/" + f.freshSentInvoice() + "/void")));
        ws("POST /api/v1/workspaces/:ws/invoices/:id/share", INVOICES_MANAGE, f -> post(api(f, "/invoices/" + f.invoice() + "/share")));
        ws("POST /api/v1/workspaces/:ws/invoices/:id/revoke-links", INVOICES_MANAGE, f -> post(api(f, "/invoices/" + f.freshSentInvoice() + "/revoke-links")));
        ws("POST /api/v1/workspaces/:ws/invoices/:id/reissue", INVOICES_MANAGE, f -> post(api(f, "/invoices/" + f.freshSentInvoice() + "/reissue")));
        ws("POST /api/v1/workspaces/:ws/invoices/:id/payments", PAYMENTS_MANAGE, f -> post(api(f, "/invoices/" + f.freshSentInvoice() + "/payments"),
                o().put("amount", "1.00").put("reference", "cash")));
        ws("GET /w/:ws/invoices", INVOICES_VIEW, f -> get(w(f, "/invoices")));
        ws("POST /w/:ws/invoices", INVOICES_MANAGE, f -> post(w(f, "/invoices"), invoiceBody(f)));
        ws("GET /w/:ws/invoices/:id", INVOICES_VIEW, f -> get(w(f, "/invoices/" + f.invoice())));
        ws("GET /w/:ws/invoices/:id/print", INVOICES_VIEW, f -> get(w(f, "/invoices/" + f.invoice() + "/print")));
        ws("POST /w/:ws/invoices/:id/send", INVOICES_MANAGE, f -> post(w(f, "/invoices/" + f.freshDraftInvoice() + "/send")));
        ws("POST /w/:ws/invoices/:id/void", INVOICES_MANAGE, f -> post(w(f, "/invoices/" + f.freshSentInvoice() + "/void")));
        ws("POST /w/:ws/invoices/:id/share", INVOICES_MANAGE, f -> post(w(f, "/invoices/" + f.invoice() + "/share")));
        ws("POST /w/:ws/invoices/:id/reissue", INVOICES_MANAGE, f -> post(w(f, "/invoices/" + f.freshSentInvoice() + "/reissue")));
        ws("POST /w/:ws/invoices/:id/revoke-links", INVOICES_MANAGE, f -> post(w(f, "/invoices/" + f.freshSentInvoice() + "/revoke-links")));
        ws("POST /w/:ws/invoices/:id/payments", PAYMENTS_MANAGE, f -> post(w(f, "/invoices/" + f.freshSentInvoice() + "/payments"),
                o().put("amount", "1.00").put("reference", "cash")));
        open("GET /i/:ws/:inv", f -> get("/i/" + f.ws() + "/" + f.invoice() + "?t=" + f.invoiceToken()));
        open("POST /i/:ws/:inv/payment-intent", f -> post("/i/" + f.ws() + "/" + f.invoice() + "/payment-intent", o().put("t", f.invoiceToken())));

        // ---- customers
        ws("GET /w/:ws/customers", CUSTOMERS_VIEW, f -> get(w(f, "/customers")));
        ws("POST /w/:ws/customers", CUSTOMERS_MANAGE, f -> post(w(f, "/customers"), customerBody()));
        ws("GET /w/:ws/customers/:id", CUSTOMERS_VIEW, f -> get(w(f, "/customers/" + f.customer())));
        ws("POST /w/:ws/customers/:id", CUSTOMERS_MANAGE, f -> post(w(f, "/customers/" + f.customer()), customerBody()));
        ws("POST /w/:ws/customers/:id/delete", CUSTOMERS_MANAGE, f -> post(w(f, "/customers/" + f.freshCustomer() + "/delete")));
        ws("GET /api/v1/workspaces/:ws/customers", CUSTOMERS_VIEW, f -> get(api(f, "/customers")));
        ws("POST /api/v1/workspaces/:ws/customers", CUSTOMERS_MANAGE, f -> post(api(f, "/customers"), customerBody()));
        ws("GET /api/v1/workspaces/:ws/customers/:id", CUSTOMERS_VIEW, f -> get(api(f, "/customers/" + f.customer())));
        ws("PUT /api/v1/workspaces/:ws/customers/:id", CUSTOMERS_MANAGE, f -> put(api(f, "/customers/" + f.customer()), customerBody()));
        ws("DELETE /api/v1/workspaces/:ws/customers/:id", CUSTOMERS_MANAGE, f -> delete(api(f, "/customers/" + f.freshCustomer())));

        // ---- files
        ws("POST /api/v1/workspaces/:ws/files", FILES_UPLOAD, f -> post(api(f, "/files"), o().put("subjectType", "customer").put("subjectId", f.customer())
                .put("name", "matrix.txt").put("contentType", "text/plain").put("content", "aGVsbG8=")));
        ws("GET /api/v1/workspaces/:ws/files", FILES_VIEW, f -> get(api(f, "/files?subjectType=customer&subjectId=" + f.customer())));
        ws("GET /api/v1/workspaces/:ws/files/:blob", FILES_VIEW, f -> get(api(f, "/files/" + f.file())));
        ws("DELETE /api/v1/workspaces/:ws/files/:blob", FILES_UPLOAD, f -> delete(api(f, "/files/" + f.freshFile())));
        ws("GET /w/:ws/files/:blob", FILES_VIEW, f -> get(w(f, "/files/" + f.file())));
        ws("POST /w/:ws/files/:blob/delete", FILES_UPLOAD, f -> post(w(f, "/files/" + f.freshFile() + "/delete")));

        // ---- payments (Stripe through the local stand-in; webhooks without a valid signature are refused)
        ws("GET /w/:ws/payments", PAYMENTS_VIEW, f -> get(w(f, "/payments")));
        ws("POST /w/:ws/payments/connect", PAYMENTS_MANAGE, f -> post(w(f, "/payments/connect")));
        ws("GET /w/:ws/payments/connect/refresh", PAYMENTS_MANAGE, f -> get(w(f, "/payments/connect/refresh")));
        ws("GET /w/:ws/payments/connect/return", PAYMENTS_MANAGE, f -> get(w(f, "/payments/connect/return")));
        ws("GET /api/v1/workspaces/:ws/payments/status", PAYMENTS_VIEW, f -> get(api(f, "/payments/status")));
        ws("POST /api/v1/workspaces/:ws/payments/connect", PAYMENTS_MANAGE, f -> post(api(f, "/payments/connect")));
        ws("POST /api/v1/workspaces/:ws/payments/refresh", PAYMENTS_MANAGE, f -> post(api(f, "/payments/refresh")));
        add(Access.WEBHOOK, "POST /webhooks/stripe", null, f -> post("/webhooks/stripe", o().put("id", "evt_x").put("type", "account.updated")));
        add(Access.WEBHOOK, "POST /webhooks/stripe/connect", null, f -> post("/webhooks/stripe/connect", o().put("id", "evt_x").put("type", "account.updated")));

        // ---- connected services (a connection belongs to the member who made it)
        ws("GET /w/:ws/connections", SCHEDULE_MANAGE, f -> get(w(f, "/connections")));
        ws("POST /w/:ws/connections/:kind/start", SCHEDULE_MANAGE, f -> post(w(f, "/connections/calendar/start")));
        ws("POST /w/:ws/connections/:id/disconnect", SCHEDULE_MANAGE, f -> post(w(f, "/connections/" + f.freshConnection() + "/disconnect")), Flag.MEMBER_ROWS);
        ws("GET /api/v1/workspaces/:ws/connections", SCHEDULE_MANAGE, f -> get(api(f, "/connections")));
        ws("POST /api/v1/workspaces/:ws/connections/:kind/start", SCHEDULE_MANAGE, f -> post(api(f, "/connections/calendar/start")));
        ws("DELETE /api/v1/workspaces/:ws/connections/:id", SCHEDULE_MANAGE, f -> delete(api(f, "/connections/" + f.freshConnection())), Flag.MEMBER_ROWS);

        // ---- single sign-on (workspace-scoped sign-in pages are open; their configuration needs WORKSPACE_SETTINGS_MANAGE)
        open("GET /sso", f -> get("/sso"));
        open("GET /sso/go", f -> get("/sso/go?workspace=" + f.ws()));
        open("GET /sso/:ws", f -> get("/sso/" + f.ws()), Flag.UNCONFIGURED_IS_404);
        open("POST /sso/:ws/oidc", f -> post("/sso/" + f.ws() + "/oidc"), Flag.UNCONFIGURED_IS_404);
        open("GET /sso/:ws/callback", f -> get("/sso/" + f.ws() + "/callback?code=x&state=" + f.invite()), Flag.UNCONFIGURED_IS_404);
        open("POST /sso/:ws/ldap", f -> post("/sso/" + f.ws() + "/ldap", o().put("username", "nobody")), Flag.UNCONFIGURED_IS_404);
        open("POST /api/v1/sso/:ws/ldap", f -> post("/api/v1/sso/" + f.ws() + "/ldap", o().put("username", "nobody")), Flag.UNCONFIGURED_IS_404);
        ws("GET /w/:ws/settings/sso", WORKSPACE_SETTINGS_MANAGE, f -> get(w(f, "/settings/sso")));
        ws("POST /w/:ws/settings/sso", WORKSPACE_SETTINGS_MANAGE, f -> post(w(f, "/settings/sso")));
        ws("GET /api/v1/workspaces/:ws/settings/sso", WORKSPACE_SETTINGS_MANAGE, f -> get(api(f, "/settings/sso")));
        ws("PUT /api/v1/workspaces/:ws/settings/sso", WORKSPACE_SETTINGS_MANAGE, f -> put(api(f, "/settings/sso"), o()));

        TABLE = Collections.unmodifiableMap(T);
    }

    /** Keys "METHOD /path" of the table, in declaration order. */
    static Set<String> keys() {
        return new LinkedHashSet<>(TABLE.keySet());
    }
}
