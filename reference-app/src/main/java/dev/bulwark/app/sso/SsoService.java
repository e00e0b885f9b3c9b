package dev.bulwark.app.sso;

import dev.bulwark.app.account.AccountService;
import dev.bulwark.app.account.User;
import dev.bulwark.app.account.UserRepository;
import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Services;
import dev.bulwark.audit.Actor;
import dev.bulwark.audit.ChainId;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.Outcome;
import dev.bulwark.auth.login.JdbcLoginStateStore;
import dev.bulwark.auth.ratelimit.RateLimitDecision;
import dev.bulwark.auth.session.NewSession;
import dev.bulwark.auth.sso.JdbcLoginAttemptStore;
import dev.bulwark.auth.sso.LdapAuthenticator;
import dev.bulwark.auth.sso.LdapDirectory;
import dev.bulwark.auth.sso.LdapIdentity;
import dev.bulwark.auth.sso.LdapRejected;
import dev.bulwark.auth.sso.LdapTransport;
import dev.bulwark.auth.sso.LoginMethod;
import dev.bulwark.auth.sso.MemberDirectory;
import dev.bulwark.auth.sso.OidcProviderConfig;
import dev.bulwark.auth.sso.OidcSignIn;
import dev.bulwark.auth.sso.SecretValue;
import dev.bulwark.auth.sso.SsoIdentity;
import dev.bulwark.auth.sso.SsoLoginStart;
import dev.bulwark.auth.sso.SsoMember;
import dev.bulwark.auth.sso.SsoPolicy;
import dev.bulwark.auth.sso.SsoRejected;
import dev.bulwark.crypto.DecryptionException;
import dev.bulwark.crypto.FieldContext;
import dev.bulwark.tenancy.AccessDenied;
import dev.bulwark.tenancy.Membership;
import dev.bulwark.tenancy.Role;
import dev.bulwark.tenancy.TenancyException;
import dev.bulwark.tenancy.TenantContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Single sign-on for a workspace: OIDC (auth-sso's {@link OidcSignIn}) and LDAP ({@link LdapAuthenticator}), each
 * passing the app's gates in this order: per-address rate limit, (LDAP) per-account rate limit and lockout, the
 * provider's verdict, per-account rate limit, member mapping (optionally just-in-time), identity pin, then a session
 * exactly like the password login's (rotated id, the {@code __Host-bw_session} cookie) bound to this workspace, and an
 * audit event either way ({@code sso.login.succeeded} / {@code sso.login.failed} with the reason).
 *
 * <p>An SSO session does not count as a recent re-authentication for account-level changes (e-mail, MFA, API keys):
 * a workspace's provider vouches for that workspace only, never for the account as a whole.
 */
public final class SsoService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SsoService.class);
    static final String OIDC = "oidc";
    static final String LDAP = "ldap";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Services s;
    private final SsoRepository repo;
    private final SsoEnforcement enforcement;
    private final SsoGate gate;
    private final JdbcLoginAttemptStore attempts;
    private final ConcurrentHashMap<String, Cached<OidcSignIn>> oidc = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Cached<LdapAuthenticator>> ldap = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();

    private record Cached<T>(long version, T value) {}

    public SsoService(Services s) {
        this.s = s;
        this.repo = new SsoRepository(s.db().dataSource());
        this.enforcement = new SsoEnforcement(s);
        this.gate = new SsoGate(s.limits().limiter(), new JdbcLoginStateStore(s.db().dataSource()), s.loginGuard().policy());
        this.attempts = new JdbcLoginAttemptStore(s.db().dataSource());
    }

    SsoRepository repository() {
        return repo;
    }

    SsoEnforcement enforcement() {
        return enforcement;
    }

    /** The settings for the sign-in pages (no member signed in yet); 404 for unknown workspaces. */
    public SsoSettings forSignIn(String workspaceId) {
        try {
            return repo.get(enforcement.system(workspaceId));
        } catch (AccessDenied e) {
            throw AppError.notFound();
        }
    }

    // ------------------------------------------------------------------ OIDC

    /** Starts a sign-in with the workspace's provider: the authorization URL and the browser-binding cookie value. */
    public SsoLoginStart beginOidc(String workspaceId, Req req) {
        housekeeping();
        limitAddress(req, workspaceId, OIDC);
        SsoSettings settings = forSignIn(workspaceId);
        if (settings.oidc().isEmpty()) throw AppError.notFound();
        try {
            return oidcFor(workspaceId, settings).begin(workspaceId);
        } catch (SsoRejected e) {
            throw rejected(workspaceId, OIDC, e.reason().name(), e.getMessage(), req, null);
        }
    }

    /** Completes the sign-in on the redirect URI: a session bound to the workspace, or a typed, audited refusal. */
    public NewSession completeOidc(String workspaceId, Map<String, List<String>> params, String binding, Req req) {
        limitAddress(req, workspaceId, OIDC);
        SsoSettings settings = forSignIn(workspaceId);
        if (settings.oidc().isEmpty()) throw AppError.notFound();
        SsoIdentity who;
        try {
            who = oidcFor(workspaceId, settings).complete(params, binding);
        } catch (SsoRejected e) {
            throw rejected(workspaceId, OIDC, e.reason().name(), e.getMessage(), req, null);
        }
        if (!who.workspaceId().equals(workspaceId)) {
            throw rejected(workspaceId, OIDC, "STATE_MISMATCH", "the sign-in was started for another workspace", req, null);
        }
        limitAccount(req, workspaceId, OIDC, who.email());
        pinOrRefuse(workspaceId, who.memberId(), OIDC, who.issuer() + " " + who.subject(), req);
        if (who.provisioned()) {
            s.audit().workspace(workspaceId, Actor.system("sso"), "sso.member_provisioned", "user", who.memberId(), Outcome.SUCCESS, req,
                    Details.of("method", OIDC, "role", who.role()), false);
        }
        return startSession(workspaceId, who.memberId(), OIDC, req);
    }

    private OidcSignIn oidcFor(String workspaceId, SsoSettings settings) {
        Cached<OidcSignIn> c = oidc.get(workspaceId);
        if (c != null && c.version() == settings.updatedAtMs()) return c.value();
        OidcSignIn.Builder b = OidcSignIn.builder()
                .outboundHosts(s.config().outboundHosts)
                .configurations(ws -> {
                    SsoSettings now = forSignIn(ws);
                    return now.oidc().map(o -> oidcConfig(ws, o));
                })
                .clientSecrets((ws, clientId) -> {
                    SsoSettings now = forSignIn(ws);
                    SsoSettings.Oidc o = now.oidc().orElseThrow();
                    return SecretValue.of(decrypt(ws, o.clientSecretEnc(), "oidc_client_secret"));
                })
                .members(new Directory())
                .attempts(attempts);
        SsoTls.context(settings.tlsCaPem()).ifPresent(ctx -> b.tlsSocketFactory(ctx.getSocketFactory()));
        OidcSignIn built = b.build();
        oidc.put(workspaceId, new Cached<>(settings.updatedAtMs(), built));
        return built;
    }

    OidcProviderConfig oidcConfig(String workspaceId, SsoSettings.Oidc o) {
        String host;
        try {
            host = java.net.URI.create(o.issuer()).getHost();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The issuer is not a URL.");
        }
        requireAllowedHost(host);
        OidcProviderConfig.Builder b = OidcProviderConfig.builder().workspaceId(workspaceId).issuer(o.issuer()).clientId(o.clientId())
                .redirectUri(redirectUri(workspaceId));
        for (String d : o.allowedDomains()) b.allowEmailDomain(d);
        o.jitRole().ifPresent(b::justInTimeMembership);
        return b.build();
    }

    String redirectUri(String workspaceId) {
        return s.url("/sso/" + workspaceId + "/callback");
    }

    /** The app's members, as auth-sso's OIDC sign-in looks them up (and provisions them just in time). */
    private final class Directory implements MemberDirectory {
        @Override
        public Optional<SsoMember> findByEmail(String workspaceId, String email) {
            return member(workspaceId, email);
        }

        @Override
        public SsoMember provision(String workspaceId, String email, String role, String issuer, String subject) {
            return SsoService.this.provision(workspaceId, email, role(role));
        }
    }

    private Optional<SsoMember> member(String workspaceId, String email) {
        Optional<User> u = s.users().byEmail(email);
        if (u.isEmpty()) return Optional.empty();
        for (Membership m : s.tenancy().workspacesOf(u.get().id())) {
            if (m.workspaceId().equals(workspaceId)) return Optional.of(new SsoMember(u.get().id(), m.role().name().toLowerCase(Locale.ROOT)));
        }
        return Optional.empty();
    }

    /** Creates the account (if none has this address) and the membership; idempotent for one address. */
    private SsoMember provision(String workspaceId, String email, Role role) {
        if (role == Role.OWNER) throw new IllegalArgumentException("single sign-on never grants the owner role");
        User u = s.users().byEmail(email).orElse(null);
        if (u == null) {
            byte[] pw = new byte[32];
            RANDOM.nextBytes(pw);
            // No usable password: the account signs in through its workspace's provider (or sets one by a reset link).
            User fresh = new User(AccountService.newUserId(), UserRepository.normaliseEmail(email), email.substring(0, email.indexOf('@')),
                    s.hasher().hash(Base64.getEncoder().encodeToString(pw)), true, null, false, null, Instant.now());
            s.users().insert(fresh);
            u = s.users().byEmail(email).orElseThrow();
            s.audit().platform(Actor.system("sso"), "account.created", "user", u.id(), Outcome.SUCCESS, null, Details.of("via", "sso"), false);
        }
        try {
            s.tenancy().addMember(enforcement.system(workspaceId), u.id(), role);
        } catch (TenancyException e) {
            if (e.reason() != TenancyException.Reason.ALREADY_MEMBER) throw e;
        }
        return member(workspaceId, email).orElseThrow();
    }

    // ------------------------------------------------------------------ LDAP

    /** A username/password sign-in against the workspace's directory (LDAPS or StartTLS only). */
    public NewSession ldapLogin(String workspaceId, String username, String password, Req req) {
        housekeeping();
        if (username.isEmpty() || password.isEmpty()) {
            throw AppError.invalid(username.isEmpty() ? Map.of("username", "Enter your directory user name.") : Map.of("password", "Enter your password."));
        }
        limitAddress(req, workspaceId, LDAP);
        SsoSettings settings = forSignIn(workspaceId);
        if (settings.ldap().isEmpty()) throw AppError.notFound();
        String key = SsoGate.ldapKey(workspaceId, username);
        limitAccount(req, workspaceId, LDAP, key);
        Instant now = Instant.now();
        if (gate.locked(key, now)) throw rejected(workspaceId, LDAP, "LOCKED", null, req, username);
        LdapIdentity who;
        try {
            who = ldapFor(workspaceId, settings).authenticate(username, password.toCharArray());
        } catch (LdapRejected e) {
            boolean credentials = e.reason() == LdapRejected.Reason.INVALID_CREDENTIALS || e.reason() == LdapRejected.Reason.INVALID_USERNAME;
            if (credentials && gate.failed(key, now)) {
                s.audit().workspace(workspaceId, Actor.system("sso"), "sso.ldap_locked", null, null, Outcome.DENIED, req,
                        Details.of("username", truncate(username)), true);
            }
            throw rejected(workspaceId, LDAP, e.reason().name(), credentials ? null : e.getMessage(), req, username);
        }
        gate.succeeded(key);
        String email = who.email().orElse(null);
        if (email == null || email.indexOf('@') < 1) {
            throw rejected(workspaceId, LDAP, "EMAIL_MISSING", "the directory entry has no e-mail address to map it to a member", req, username);
        }
        Role role = who.roles().stream().map(SsoService::role).min(Enum::compareTo).orElseThrow();
        Optional<SsoMember> existing = member(workspaceId, email);
        String userId;
        if (existing.isEmpty()) {
            userId = provision(workspaceId, email, role).memberId();
            s.audit().workspace(workspaceId, Actor.system("sso"), "sso.member_provisioned", "user", userId, Outcome.SUCCESS, req,
                    Details.of("method", LDAP, "role", role.name().toLowerCase(Locale.ROOT)), false);
        } else {
            userId = existing.get().memberId();
            Role current = Role.valueOf(existing.get().role().toUpperCase(Locale.ROOT));
            // The directory's groups are the source of truth for non-owners; owners are never changed by a directory.
            if (current != Role.OWNER && current != role) {
                s.tenancy().changeRole(enforcement.system(workspaceId), userId, role);
                s.audit().workspace(workspaceId, Actor.system("sso"), "member.role_changed", "user", userId, Outcome.SUCCESS, req,
                        Details.of("from", current.name().toLowerCase(Locale.ROOT), "to", role.name().toLowerCase(Locale.ROOT)), false);
            }
        }
        pinOrRefuse(workspaceId, userId, LDAP, who.dn(), req);
        return startSession(workspaceId, userId, LDAP, req);
    }

    private LdapAuthenticator ldapFor(String workspaceId, SsoSettings settings) {
        Cached<LdapAuthenticator> c = ldap.get(workspaceId);
        if (c != null && c.version() == settings.updatedAtMs()) return c.value();
        LdapAuthenticator a = new LdapAuthenticator(ldapDirectory(workspaceId, settings.ldap().orElseThrow(), settings.tlsCaPem()));
        Cached<LdapAuthenticator> old = ldap.put(workspaceId, new Cached<>(settings.updatedAtMs(), a));
        if (old != null) old.value().close();
        return a;
    }

    /** Single sign-on may only reach hosts the operator allowed (ASVS 12.6.1: administrators type these addresses). */
    private void requireAllowedHost(String host) {
        if (host != null && !s.config().outboundHosts.permits(host)) {
            throw new IllegalArgumentException(host + " is not on this server's outbound allow list: ask the operator to add it to "
                    + "BULWARK_OUTBOUND_ALLOWLIST.");
        }
    }

    LdapDirectory ldapDirectory(String workspaceId, SsoSettings.Ldap l, Optional<String> caPem) {
        requireAllowedHost(l.host());
        LdapDirectory.Builder b = LdapDirectory.builder().workspaceId(workspaceId).host(l.host())
                .transport("starttls".equals(l.transport()) ? LdapTransport.START_TLS : LdapTransport.LDAPS)
                .serviceAccount(l.bindDn(), () -> SecretValue.of(decrypt(workspaceId, l.servicePasswordEnc(), "ldap_service_password")))
                .userSearchBase(l.userBase());
        if (l.port() > 0) b.port(l.port());
        if (l.userFilter() != null && !l.userFilter().isBlank()) b.userFilter(l.userFilter());
        for (SsoSettings.GroupRole g : l.groupRoles()) b.mapGroup(g.groupDn(), g.role());
        l.defaultRole().ifPresent(b::defaultRole);
        Optional<SSLContext> tls = SsoTls.context(caPem);
        tls.ifPresent(b::tls);
        return b.build();
    }

    // ------------------------------------------------------------------ shared gates, session, audit

    private void limitAddress(Req req, String workspaceId, String method) {
        RateLimitDecision d = gate.fromAddress(req.clientIp);
        if (!d.allowed()) {
            s.audit().platform(Actor.system("rate-limiter"), "rate_limited", "workspace", safeId(workspaceId), Outcome.DENIED, req.clientIp,
                    Details.of("limit", "SSO_LOGIN_PER_IP", "method", method), true);
            throw SsoEnforcement.tooMany(d.retryAfter());
        }
    }

    private void limitAccount(Req req, String workspaceId, String method, String account) {
        RateLimitDecision d = gate.forAccount(workspaceId + ":" + account);
        if (!d.allowed()) {
            s.audit().platform(Actor.system("rate-limiter"), "rate_limited", "workspace", safeId(workspaceId), Outcome.DENIED, req.clientIp,
                    Details.of("limit", "SSO_LOGIN_PER_ACCOUNT", "method", method), true);
            throw SsoEnforcement.tooMany(d.retryAfter());
        }
    }

    private void pinOrRefuse(String workspaceId, String userId, String method, String subject, Req req) {
        TenantContext sys = enforcement.system(workspaceId);
        Optional<String> pinned = repo.pinnedSubject(sys, userId, method);
        if (pinned.isPresent()) {
            if (!java.security.MessageDigest.isEqual(pinned.get().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    subject.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                throw rejected(workspaceId, method, "IDENTITY_CHANGED",
                        "this member signed in with another identity of the provider before (was the address reassigned?); an administrator must reset it", req, null);
            }
            return;
        }
        if (!repo.pin(sys, userId, method, subject)) {
            throw rejected(workspaceId, method, "IDENTITY_CHANGED", "this provider identity belongs to another member", req, null);
        }
    }

    private NewSession startSession(String workspaceId, String userId, String method, Req req) {
        NewSession ns = s.sessions().startAfterLogin(userId, req.clientIp, req.userAgent, req.sessionToken());
        String sid = ns.info().sessionId();
        // Not a re-authentication for account-level changes: the provider vouches for this workspace only.
        s.users().recordSession(sid, userId, Instant.EPOCH);
        repo.bindSession(sid, workspaceId, userId, method);
        Details d = Details.of("method", method);
        s.audit().platform(Actor.member(userId), "sso.login.succeeded", "session", sid, Outcome.SUCCESS, req.clientIp, d, false);
        s.audit().workspace(workspaceId, Actor.member(userId), "sso.login.succeeded", "user", userId, Outcome.SUCCESS, req, d, false);
        return ns;
    }

    /** Audits a refused SSO sign-in and turns it into the answer (401, the reason's code, a message without secrets). */
    private AppError rejected(String workspaceId, String method, String reason, String message, Req req, String username) {
        Details.Builder d = Details.builder().put("method", method).put("reason", reason);
        if (username != null) d.put("username", truncate(username));
        Details details = d.build();
        s.audit().platform(Actor.system("sso"), "sso.login.failed", "workspace", safeId(workspaceId), Outcome.DENIED, req.clientIp, details, true);
        try {
            enforcement.system(workspaceId);
            s.audit().record(ChainId.workspace(workspaceId), Actor.system("sso"), "sso.login.failed", null, null, Outcome.DENIED,
                    req.clientIp, req.userAgent, details, true);
        } catch (AccessDenied | IllegalArgumentException e) {
            // unknown workspace: the platform chain has it
        }
        String human = message != null ? message : LDAP.equals(method)
                ? "The user name or password is not correct, or this sign-in is locked for a while after too many failures."
                : "Single sign-on did not succeed.";
        AppError err = new AppError(401, "sso_rejected", "Sign-in refused (" + reason.toLowerCase(Locale.ROOT) + "): " + human);
        return "LOCKED".equals(reason) ? err.retryAfter(60) : err;
    }

    String decrypt(String workspaceId, String stored, String column) {
        if (stored == null) throw new IllegalStateException("no " + column + " is stored");
        try {
            return s.keys().keyring().connectionCredentials().decrypt(stored, context(workspaceId, column));
        } catch (DecryptionException e) {
            log.warn("cannot decrypt {} of workspace {}: {}", column, workspaceId, e.reason());
            throw new IllegalStateException("the stored " + column + " cannot be decrypted");
        }
    }

    String encrypt(String workspaceId, String plaintext, String column) {
        return s.keys().keyring().connectionCredentials().encrypt(plaintext, context(workspaceId, column));
    }

    /** Bound to workspace, table, column and row (the workspace id is the row id of app_sso_settings). */
    static FieldContext context(String workspaceId, String column) {
        return FieldContext.of(workspaceId, "app_sso_settings", column, workspaceId);
    }

    static Role role(String name) {
        Role r;
        try {
            r = Role.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("not a role: " + name);
        }
        if (r == Role.OWNER) throw new IllegalStateException("single sign-on never grants the owner role");
        return r;
    }

    /** Drops cached providers / directories of a workspace whose settings changed (the version check also catches it). */
    void forget(String workspaceId) {
        oidc.remove(workspaceId);
        Cached<LdapAuthenticator> l = ldap.remove(workspaceId);
        if (l != null) l.value().close();
    }

    private void housekeeping() {
        if (calls.incrementAndGet() % 200 != 0) return;
        try {
            attempts.purgeExpired(Instant.now());
            repo.purgeEndedSessions();
            gate.evictIdle();
        } catch (RuntimeException e) {
            log.warn("SSO housekeeping failed: {}", e.toString());
        }
    }

    private static String safeId(String workspaceId) {
        return workspaceId != null && workspaceId.matches("[A-Za-z0-9_-]{1,64}") ? workspaceId : "invalid";
    }

    private static String truncate(String s) {
        return s.length() > 64 ? s.substring(0, 64) : s;
    }

    @Override
    public void close() {
        gate.close();
        ldap.values().forEach(c -> c.value().close());
    }

    SsoPolicy policyOf(SsoSettings settings) {
        return SsoPolicy.builder().requireSso(settings.requireSso()).ownerBreakGlass(settings.ownerBreakGlass()).build();
    }

    LoginMethod methodOf(String method) {
        return OIDC.equals(method) ? LoginMethod.OIDC : LDAP.equals(method) ? LoginMethod.LDAP : LoginMethod.PASSWORD;
    }
}
