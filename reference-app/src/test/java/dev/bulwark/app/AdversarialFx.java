package dev.bulwark.app;

import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The records one matrix cell names. The same route target is built against different views so that the only
 * difference between two requests is whose ids they carry:
 * <ul>
 *   <li>{@link #own}: the workspace, ids and links of one side (the owning workspace);</li>
 *   <li>{@link #foreign}: the workspace path and ids of side {@code ids}, the links of side {@code tokens}, or
 *       {@code ws} as the path workspace (the caller's own workspace with another workspace's ids);</li>
 *   <li>{@link #missing}: the same request with ids of the same shape that name nothing.</li>
 * </ul>
 * Destructive routes take {@code fresh*} records, so a cell never consumes what another cell needs, and a foreign
 * cell that wrongly succeeded would visibly destroy a real record of the other workspace.
 */
final class AdversarialFx {
    private final AdversarialWorld.Side ids;
    private final AdversarialWorld.Side tokens;
    private final AdversarialWorld.User idUser;
    private final String ws;
    private final boolean missing;
    private final boolean own;
    /** Every id, token and value taken: the comparison masks them. */
    final Set<String> used = new LinkedHashSet<>();
    /** Whether the target named anything but the path workspace (then the "own workspace, foreign ids" cell applies). */
    boolean namedIds;
    /** Records of the id side handed to a foreign cell, with their state before the request: they must be unchanged after. */
    final java.util.Map<String, String> guarded = new java.util.LinkedHashMap<>();

    private AdversarialFx(AdversarialWorld.Side ids, AdversarialWorld.Side tokens, AdversarialWorld.User idUser, String ws, boolean missing, boolean own) {
        this.ids = ids;
        this.tokens = tokens;
        this.idUser = idUser;
        this.ws = ws;
        this.missing = missing;
        this.own = own;
    }

    static AdversarialFx own(AdversarialWorld.Side side, AdversarialWorld.User user) {
        return new AdversarialFx(side, side, user, side.ws, false, true);
    }

    static AdversarialFx foreign(AdversarialWorld.Side ids, AdversarialWorld.Side tokens, AdversarialWorld.User idUser, String ws) {
        return new AdversarialFx(ids, tokens, idUser, ws, false, false);
    }

    static AdversarialFx missing(AdversarialWorld.Side shapes, AdversarialWorld.Side tokens, AdversarialWorld.User idUser, String ws) {
        return new AdversarialFx(shapes, tokens, idUser, ws, true, false);
    }

    AdversarialWorld.User idUser() {
        return idUser;
    }

    private String use(String v) {
        used.add(v);
        return v;
    }

    private String id(String real) {
        namedIds = true;
        return use(missing ? AdversarialWorld.missingLike(real) : real);
    }

    @FunctionalInterface
    interface Maker {
        String make() throws Exception;
    }

    private String fresh(String kind, String shape, Maker maker) throws Exception {
        namedIds = true;
        if (missing) return use(AdversarialWorld.missingLike(shape));
        String id = maker.make();
        if (!own) guarded.put(kind + " " + id, ids.state(kind, id, idUser));
        return use(id);
    }

    String ws() {
        return use(ws);
    }

    String customer() {
        return id(ids.customer);
    }

    String freshCustomer() throws Exception {
        return fresh("customer", ids.customer, ids::newCustomer);
    }

    String service() {
        return id(ids.service);
    }

    String ownerMember() {
        return id(ids.owner.id());
    }

    String victimMember() {
        return id(ids.victimMember);
    }

    String freshVictim() throws Exception {
        return fresh("member", ids.victimMember, ids::victimMembership);
    }

    String appointment() {
        return id(ids.appointment);
    }

    String freshAppointment() throws Exception {
        return fresh("appointment", ids.appointment, ids::newAppointment);
    }

    /** A free start time in the owning workspace; elsewhere a fixed future time (the request must fail before it matters). */
    String slot() throws Exception {
        return use(own ? ids.freeSlot() : LocalDate.now(AdversarialWorld.ZONE).plusDays(400) + "T09:00:00Z");
    }

    String invoice() {
        return id(ids.invoice);
    }

    String freshDraftInvoice() throws Exception {
        return fresh("invoice", ids.invoice, ids::newDraftInvoice);
    }

    String freshSentInvoice() throws Exception {
        return fresh("invoice", ids.invoice, ids::newSentInvoice);
    }

    String file() {
        return id(ids.file);
    }

    String freshFile() throws Exception {
        return fresh("file", ids.file, ids::newFile);
    }

    String invite() {
        return id(ids.invite);
    }

    String freshInvite() throws Exception {
        return fresh("invite", ids.invite, ids::newInvite);
    }

    String freshApiKey() throws Exception {
        return fresh("apiKey", ids.apiKey, ids::newApiKey);
    }

    String connection() {
        return id(ids.connection);
    }

    String freshConnection() throws Exception {
        return fresh("connection", ids.connection, ids::newConnection);
    }

    String publicAppointment() {
        return id(ids.publicAppointment);
    }

    /** {appointment id, manage token}: the appointment of the id side, the token of the token side. */
    String[] freshPublicAppointment() throws Exception {
        if (own) {
            String[] p = ids.newPublicAppointment();
            namedIds = true;
            return new String[] {use(p[0]), use(p[1])};
        }
        return new String[] {fresh("appointment", ids.publicAppointment, () -> ids.newPublicAppointment()[0]), use(tokens.manageToken)};
    }

    /** A security key of the id user (22 base64url characters, like a 16-byte credential id). */
    String freshSecurityKey() throws Exception {
        return fresh("securityKey", "AAAAAAAAAAAAAAAAAAAAAA", () -> ids.newSecurityKey(idUser));
    }

    /** A session of the id user other than the one making the request (revoking it must not end the caller's). */
    String freshSession() throws Exception {
        return fresh("session", AdversarialWorld.currentSessionId(idUser.http()), () -> AdversarialWorld.currentSessionId(ids.w.login(idUser)));
    }

    String bookingToken() throws Exception {
        return use(tokens.newBookingToken());
    }

    String manageToken() {
        return use(tokens.manageToken);
    }

    String invoiceToken() {
        return use(tokens.invoiceToken);
    }
}
