package dev.bulwark.app.team;

import dev.bulwark.app.account.AccountService;
import dev.bulwark.app.account.User;
import dev.bulwark.app.account.UserRepository;
import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Audit;
import dev.bulwark.app.platform.Html;
import dev.bulwark.app.platform.Mail;
import dev.bulwark.app.platform.Reply;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Services;
import dev.bulwark.app.platform.Web;
import dev.bulwark.app.privacy.PrivacyConsent;
import dev.bulwark.app.privacy.PrivacyNotice;
import dev.bulwark.audit.Actor;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.Outcome;
import dev.bulwark.auth.password.PersonalInfo;
import dev.bulwark.links.LinkPurpose;
import dev.bulwark.links.LinkRejected;
import dev.bulwark.tenancy.Membership;
import dev.bulwark.tenancy.Permission;
import dev.bulwark.tenancy.Role;
import dev.bulwark.tenancy.TenantContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Team: members with roles (tenancy), invitations by signed single-use link, role changes, removal. */
public final class TeamRoutes {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Services s;
    private final AccountService accounts;
    private final Web web;

    record Invite(String workspaceId, String id, String email, Role role, String invitedBy, Instant createdAt, Instant acceptedAt, Instant revokedAt) {}

    public TeamRoutes(Services s, AccountService accounts, Web web) {
        this.s = s;
        this.accounts = accounts;
        this.web = web;
    }

    public void register(Router r) {
        r.get("/w/:ws").handler(web.workspace(Permission.WORKSPACE_VIEW, this::dashboard));
        r.get("/w/:ws/team").handler(web.workspace(Permission.MEMBERS_VIEW, req -> teamPage(req, null)));
        r.post("/w/:ws/team/invite").handler(web.workspace(Permission.MEMBERS_MANAGE, req -> {
            invite(req);
            return teamPage(req, "Invitation sent to " + req.field("email") + ".");
        }));
        r.post("/w/:ws/team/invites/:id/revoke").handler(web.workspace(Permission.MEMBERS_MANAGE, req -> {
            revokeInvite(req);
            return Reply.redirect("/w/" + req.param("ws") + "/team");
        }));
        r.post("/w/:ws/team/:member/role").handler(web.workspace(Permission.MEMBERS_MANAGE, req -> {
            changeRole(req);
            return Reply.redirect("/w/" + req.param("ws") + "/team");
        }));
        r.post("/w/:ws/team/:member/remove").handler(web.workspace(Permission.MEMBERS_MANAGE, req -> {
            remove(req);
            return Reply.redirect("/w/" + req.param("ws") + "/team");
        }));
        r.get("/invite").handler(web.open(this::invitePage));
        r.post("/invite/accept").handler(web.passwordWork(req -> {
            String ws = accept(req);
            return req.principal() != null ? Reply.redirect("/w/" + ws) : Reply.redirect("/login");
        }));

        r.get("/api/v1/workspaces/:ws").handler(web.workspace(Permission.WORKSPACE_VIEW, req -> Reply.json(new JsonObject()
                .put("id", req.tenant().workspaceId()).put("name", s.tenancy().workspace(req.tenant()).map(w -> w.name()).orElse(""))
                .put("role", req.tenant().role().name().toLowerCase(Locale.ROOT)))));
        r.get("/api/v1/workspaces/:ws/members").handler(web.workspace(Permission.MEMBERS_VIEW, req -> {
            JsonArray a = new JsonArray();
            for (Membership m : s.tenancy().members(req.tenant())) a.add(member(m));
            return Reply.json(a);
        }));
        r.get("/api/v1/workspaces/:ws/members/:member").handler(web.workspace(Permission.MEMBERS_VIEW, req -> Reply.json(member(
                s.tenancy().members(req.tenant()).stream().filter(m -> m.memberId().equals(req.param("member"))).findFirst()
                        .orElseThrow(AppError::notFound)))));
        r.post("/api/v1/workspaces/:ws/invites").handler(web.workspace(Permission.MEMBERS_MANAGE, req -> {
            Invite i = invite(req);
            return Reply.json(201, new JsonObject().put("id", i.id()).put("email", i.email()).put("role", i.role().name().toLowerCase(Locale.ROOT)));
        }));
        r.get("/api/v1/workspaces/:ws/invites").handler(web.workspace(Permission.MEMBERS_VIEW, req -> {
            JsonArray a = new JsonArray();
            for (Invite i : invites(req.tenant().workspaceId())) a.add(new JsonObject().put("id", i.id()).put("email", i.email())
                    .put("role", i.role().name().toLowerCase(Locale.ROOT)).put("status", status(i)));
            return Reply.json(a);
        }));
        r.delete("/api/v1/workspaces/:ws/invites/:id").handler(web.workspace(Permission.MEMBERS_MANAGE, req -> {
            revokeInvite(req);
            return Reply.noContent();
        }));
        r.put("/api/v1/workspaces/:ws/members/:member/role").handler(web.workspace(Permission.MEMBERS_MANAGE, req -> {
            changeRole(req);
            return Reply.noContent();
        }));
        r.delete("/api/v1/workspaces/:ws/members/:member").handler(web.workspace(Permission.MEMBERS_MANAGE, req -> {
            remove(req);
            return Reply.noContent();
        }));
        r.post("/api/v1/invites/accept").handler(web.passwordWork(req -> Reply.json(new JsonObject().put("workspace", accept(req)))));
    }

    private JsonObject member(Membership m) {
        Optional<User> u = s.users().byId(m.memberId());
        return new JsonObject().put("id", m.memberId()).put("email", u.map(User::email).orElse(null)).put("name", u.map(User::name).orElse(null))
                .put("role", m.role().name().toLowerCase(Locale.ROOT)).put("since", m.since().toString());
    }

    private Reply dashboard(Req req) {
        TenantContext ctx = req.tenant();
        String ws = ctx.workspaceId();
        String name = s.tenancy().workspace(ctx).map(w -> w.name()).orElse(ws);
        StringBuilder b = new StringBuilder("<h1 id=\"workspace-name\">").append(Html.esc(name)).append("</h1><p>Your role: ")
                .append(Html.esc(ctx.role().name().toLowerCase(Locale.ROOT))).append("</p><ul class=\"list\">");
        if (ctx.can(Permission.MEMBERS_VIEW)) b.append(link(ws, "team", "Team"));
        if (ctx.can(Permission.INTEGRATIONS_MANAGE)) b.append(link(ws, "api-keys", "API keys"));
        if (ctx.can(Permission.WORKSPACE_SETTINGS_MANAGE)) b.append(link(ws, "settings/security", "Security settings"));
        if (ctx.can(Permission.WORKSPACE_SETTINGS_MANAGE)) b.append(link(ws, "settings/sso", "Single sign-on"));
        if (ctx.can(Permission.AUDIT_VIEW)) b.append(link(ws, "audit", "Audit log")).append(link(ws, "audit/suspicious", "Suspicious activity"));
        if (ctx.role() == Role.OWNER && s.mailer().usesOutbox()) b.append(link(ws, "outbox", "Mail outbox"));
        b.append("</ul>");
        return Reply.html(Html.page(name, req, b.toString()));
    }

    private static String link(String ws, String path, String label) {
        return "<li><a href=\"/w/" + Html.esc(ws) + "/" + path + "\">" + Html.esc(label) + "</a></li>";
    }

    private Reply teamPage(Req req, String message) {
        TenantContext ctx = req.tenant();
        String ws = ctx.workspaceId();
        boolean manage = ctx.can(Permission.MEMBERS_MANAGE);
        StringBuilder b = new StringBuilder("<h1>Team</h1>").append(Html.notice(message)).append("<table><thead><tr><th>Name</th><th>E-mail</th><th>Role</th><th></th></tr></thead><tbody>");
        for (Membership m : s.tenancy().members(ctx)) {
            Optional<User> u = s.users().byId(m.memberId());
            b.append("<tr><td>").append(Html.esc(u.map(User::name).orElse(""))).append("</td><td>").append(Html.esc(u.map(User::email).orElse("")))
                    .append("</td><td>").append(Html.esc(m.role().name().toLowerCase(Locale.ROOT))).append("</td><td>");
            if (manage && !m.memberId().equals(ctx.memberId())) {
                b.append("<form method=\"post\" class=\"inline\" action=\"/w/").append(Html.esc(ws)).append("/team/").append(Html.esc(m.memberId()))
                        .append("/role\">").append(Html.csrf(req)).append(roleSelect(m.role())).append("<button type=\"submit\">Change role</button></form>")
                        .append(Html.postButton(req, "/w/" + ws + "/team/" + m.memberId() + "/remove", "Remove", "danger"));
            }
            b.append("</td></tr>");
        }
        b.append("</tbody></table>");
        if (manage) {
            b.append("<h2>Invitations</h2><ul class=\"list\">");
            for (Invite i : invites(ws)) {
                b.append("<li>").append(Html.esc(i.email())).append(" · ").append(Html.esc(i.role().name().toLowerCase(Locale.ROOT))).append(" · ")
                        .append(status(i));
                if (i.acceptedAt() == null && i.revokedAt() == null) b.append(Html.postButton(req, "/w/" + ws + "/team/invites/" + i.id() + "/revoke", "Revoke", "danger"));
                b.append("</li>");
            }
            b.append("</ul><h2>Invite someone</h2><form method=\"post\" action=\"/w/").append(Html.esc(ws)).append("/team/invite\">").append(Html.csrf(req))
                    .append(Html.input("E-mail", "email", "email", "", null, "required")).append("<label for=\"role\">Role</label>")
                    .append(roleSelect(Role.STAFF)).append("<button type=\"submit\">Send invitation</button></form>");
        }
        return Reply.html(Html.page("Team", req, b.toString()));
    }

    private static String roleSelect(Role current) {
        StringBuilder b = new StringBuilder("<select name=\"role\" id=\"role\">");
        for (Role r : Role.values()) {
            b.append("<option value=\"").append(r.name().toLowerCase(Locale.ROOT)).append("\"").append(r == current ? " selected" : "").append(">")
                    .append(r.name().toLowerCase(Locale.ROOT)).append("</option>");
        }
        return b.append("</select>").toString();
    }

    private static String status(Invite i) {
        return i.acceptedAt() != null ? "accepted" : i.revokedAt() != null ? "revoked" : "pending";
    }

    private static Role role(String s) {
        try {
            return Role.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw AppError.invalid("role", "Choose one of owner, admin, staff, accountant, viewer.");
        }
    }

    private Invite invite(Req req) {
        TenantContext ctx = req.tenant();
        String email = UserRepository.normaliseEmail(req.field("email"));
        if (!email.matches("[^@\\s<>\"',;]{1,64}@[a-z0-9.-]{1,251}\\.[a-z]{2,63}")) throw AppError.invalid("email", "Enter a valid e-mail address.");
        Role role = role(req.field("role").isEmpty() ? "staff" : req.field("role"));
        if (role == Role.OWNER && ctx.role() != Role.OWNER) throw new AppError(403, "forbidden", "Only an owner may invite an owner.");
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        Invite i = new Invite(ctx.workspaceId(), "inv_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b), email, role,
                ctx.memberId(), Instant.now(), null, null);
        exec("INSERT INTO app_invites (workspace_id, id, email, role, invited_by, created_at_ms) VALUES (?,?,?,?,?,?)",
                i.workspaceId(), i.id(), i.email(), i.role().name(), i.invitedBy(), i.createdAt().toEpochMilli());
        String token = s.links().issue(LinkPurpose.TEAM_INVITE, ctx.workspaceId(), i.id());
        String name = s.tenancy().workspace(ctx).map(w -> w.name()).orElse("a workspace");
        s.mailer().send(new Mail(email, "You are invited to " + name, "You were invited to join " + name + " on Bulwark as "
                + role.name().toLowerCase(Locale.ROOT) + ". The link works once, for 7 days:\n"
                + s.url("/invite?w=" + ctx.workspaceId() + "&i=" + i.id() + "&t=" + token) + "\n", ctx.workspaceId()));
        s.audit().workspace(ctx.workspaceId(), Audit.actor(req.principal()), "member.invited", "invite", i.id(), Outcome.SUCCESS, req,
                Details.of("role", role.name()), false);
        return i;
    }

    private void revokeInvite(Req req) {
        String ws = req.tenant().workspaceId();
        int n = exec("UPDATE app_invites SET revoked_at_ms = ? WHERE workspace_id = ? AND id = ? AND accepted_at_ms IS NULL AND revoked_at_ms IS NULL",
                Instant.now().toEpochMilli(), ws, req.param("id"));
        if (n == 0) throw AppError.notFound();
        s.audit().workspace(ws, Audit.actor(req.principal()), "invite.revoked", "invite", req.param("id"), Outcome.SUCCESS, req, Details.EMPTY, false);
    }

    private void changeRole(Req req) {
        TenantContext ctx = req.tenant();
        Role role = role(req.field("role"));
        s.tenancy().changeRole(ctx, req.param("member"), role);
        s.audit().workspace(ctx.workspaceId(), Audit.actor(req.principal()), "member.role_changed", "member", req.param("member"), Outcome.SUCCESS,
                req, Details.of("role", role.name()), false);
    }

    /** Removes the member; their access to this workspace ends at once (every request re-enters through tenancy). */
    private void remove(Req req) {
        TenantContext ctx = req.tenant();
        String member = req.param("member");
        s.tenancy().removeMember(ctx, member);
        int ended = 0;
        if (s.tenancy().workspacesOf(member).isEmpty()) ended = s.sessions().revokeAll(member);
        for (var k : s.apiKeys().list(ctx.workspaceId() + ":" + member)) {
            if (k.revokedAt() == null) s.apiKeys().revoke(ctx.workspaceId() + ":" + member, k.keyId());
        }
        s.users().byId(member).ifPresent(u -> accounts.notify(u, "You were removed from a workspace",
                "An administrator removed you from a workspace on Bulwark; your access to it has ended."));
        s.audit().workspace(ctx.workspaceId(), Audit.actor(req.principal()), "member.removed", "member", member, Outcome.SUCCESS, req,
                Details.of("sessions_ended", ended), false);
    }

    private Reply invitePage(Req req) {
        String ws = req.queryParam("w");
        String id = req.queryParam("i");
        String t = req.queryParam("t");
        if (ws.isEmpty() || t.isEmpty() || id.isEmpty()) throw new AppError(400, "link_malformed", "This invitation link is incomplete: copy the whole link.");
        Optional<LinkRejected> bad = s.linkVerifier().preview(t, LinkPurpose.TEAM_INVITE, ws);
        if (bad.isPresent()) throw new AppError(400, "link_invalid", "This invitation link cannot be used: " + bad.get().reason().description() + ".");
        String hidden = "<input type=\"hidden\" name=\"w\" value=\"" + Html.esc(ws) + "\"><input type=\"hidden\" name=\"i\" value=\"" + Html.esc(id)
                + "\"><input type=\"hidden\" name=\"t\" value=\"" + Html.esc(t) + "\">";
        String body = "<h1>You are invited</h1><p>You were invited to join a workspace on Bulwark.</p>";
        if (req.principal() != null) {
            body += "<form method=\"post\" action=\"/invite/accept\">" + Html.csrf(req) + hidden + "<button type=\"submit\">Accept as "
                    + Html.esc(req.principal().email()) + "</button></form>";
        } else {
            body += "<p>Already have an account? <a href=\"/login\">Sign in</a>, then open the link again. Otherwise create one:</p>"
                    + "<form method=\"post\" action=\"/invite/accept\">" + Html.csrf(req) + hidden
                    + Html.input("Your name", "name", "text", "", null, "required") + Html.input("Password", "password", "password", "", null, "required")
                    + "<p class=\"hint\">" + Html.esc(s.policy().describe()) + "</p>" + PrivacyNotice.checkbox(null, null)
                    + "<button type=\"submit\">Create account and join</button></form>";
        }
        return Reply.html(Html.page("Invitation", req, body));
    }

    /** Accepts on the inviter's authority: if the inviter has lost the right to add members, the invitation fails. */
    private String accept(Req req) {
        String ws = req.field("w");
        String id = req.field("i");
        String t = req.field("t");
        // The link is checked first: without a valid link, a foreign or stale invitation id must look like a missing one.
        s.linkVerifier().preview(t, LinkPurpose.TEAM_INVITE, ws).ifPresent(bad -> {
            throw new AppError(400, "link_invalid", "This invitation link cannot be used: " + bad.reason().description() + ".");
        });
        Invite inv = invite(ws, id).orElseThrow(() -> new AppError(400, "link_invalid", "This invitation is not valid."));
        if (inv.acceptedAt() != null || inv.revokedAt() != null) throw new AppError(400, "link_invalid", "This invitation was already used or revoked.");
        String userId;
        if (req.principal() != null) {
            if (!req.principal().email().equalsIgnoreCase(inv.email())) {
                throw new AppError(403, "wrong_account", "This invitation was sent to another e-mail address.");
            }
            userId = req.principal().userId();
        } else {
            if (s.users().byEmail(inv.email()).isPresent()) throw new AppError(409, "sign_in_first", "You already have an account: sign in, then open the link again.");
            String name = req.field("name");
            Map<String, String> errors = new LinkedHashMap<>();
            if (name.isEmpty() || name.length() > 200) errors.put("name", "Enter your name.");
            accounts.passwordProblems(req.raw("password"), new PersonalInfo(inv.email(), name, null)).ifPresent(p -> errors.put("password", p));
            // A new account is personal data from now on: only with the privacy notice accepted (a signed-in member did at sign-up).
            PrivacyNotice.check(req, errors);
            if (!errors.isEmpty()) throw AppError.invalid(errors);
            userId = null;
        }
        try {
            s.linkVerifier().verify(t, LinkPurpose.TEAM_INVITE, ws, id);
        } catch (LinkRejected e) {
            throw new AppError(400, "link_" + e.reason().name().toLowerCase(Locale.ROOT), "This invitation link cannot be used: " + e.reason().description() + ".");
        }
        if (userId == null) {
            userId = AccountService.newUserId();
            // The single-use link reached this address, which proves it: the account starts verified.
            PrivacyConsent consent = PrivacyConsent.now();
            if (!s.users().insert(new User(userId, inv.email(), req.field("name"), s.hasher().hash(req.raw("password")), true, null, false, null, Instant.now()), consent)) {
                // A sign-up with the same address won the race since the check above: nothing was created here.
                throw new AppError(409, "sign_in_first", "You already have an account: sign in, then open the link again.");
            }
            accounts.privacyAccepted(userId, consent, req);
        }
        TenantContext inviter = s.tenancy().enter(inv.invitedBy(), ws);
        s.tenancy().addMember(inviter, userId, inv.role());
        exec("UPDATE app_invites SET accepted_at_ms = ? WHERE workspace_id = ? AND id = ?", Instant.now().toEpochMilli(), ws, id);
        s.audit().workspace(ws, Actor.member(userId), "member.joined", "invite", id, Outcome.SUCCESS, req, Details.of("role", inv.role().name()), false);
        return ws;
    }

    private Optional<Invite> invite(String ws, String id) {
        List<Invite> l = query("SELECT workspace_id, id, email, role, invited_by, created_at_ms, accepted_at_ms, revoked_at_ms FROM app_invites WHERE workspace_id = ? AND id = ?", ws, id);
        return l.stream().findFirst();
    }

    private List<Invite> invites(String ws) {
        return query("SELECT workspace_id, id, email, role, invited_by, created_at_ms, accepted_at_ms, revoked_at_ms FROM app_invites WHERE workspace_id = ? ORDER BY created_at_ms DESC", ws);
    }

    private List<Invite> query(String sql, Object... args) {
        DataSource ds = s.db().dataSource();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                List<Invite> out = new java.util.ArrayList<>();
                while (rs.next()) {
                    long acc = rs.getLong(7);
                    boolean accNull = rs.wasNull();
                    long rev = rs.getLong(8);
                    boolean revNull = rs.wasNull();
                    out.add(new Invite(rs.getString(1), rs.getString(2), rs.getString(3), Role.valueOf(rs.getString(4)), rs.getString(5),
                            Instant.ofEpochMilli(rs.getLong(6)), accNull ? null : Instant.ofEpochMilli(acc), revNull ? null : Instant.ofEpochMilli(rev)));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("invites query failed: " + e.getSQLState(), e);
        }
    }

    private int exec(String sql, Object... args) {
        try (Connection c = s.db().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("invites update failed: " + e.getSQLState(), e);
        }
    }
}
