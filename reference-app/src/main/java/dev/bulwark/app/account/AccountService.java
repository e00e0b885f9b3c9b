package dev.bulwark.app.account;

import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Audit;
import dev.bulwark.app.platform.Mail;
import dev.bulwark.app.platform.Principal;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Services;
import dev.bulwark.app.platform.WorkspaceSettings;
import dev.bulwark.app.privacy.PrivacyConsent;
import dev.bulwark.app.privacy.PrivacyNotice;
import dev.bulwark.audit.Actor;
import dev.bulwark.audit.ChainId;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.Outcome;
import dev.bulwark.audit.Retention;
import dev.bulwark.auth.login.LoginAttempt;
import dev.bulwark.auth.login.LoginResult;
import dev.bulwark.auth.login.SecondFactorResult;
import dev.bulwark.auth.totp.TotpCheck;
import dev.bulwark.auth.login.StoredCredential;
import dev.bulwark.auth.login.VerifiedLogin;
import dev.bulwark.auth.password.PersonalInfo;
import dev.bulwark.auth.password.PolicyViolation;
import dev.bulwark.auth.ratelimit.RateLimitDecision;
import dev.bulwark.auth.session.NewSession;
import dev.bulwark.auth.session.SessionInfo;
import dev.bulwark.auth.totp.TotpSecret;
import dev.bulwark.crypto.DecryptionException;
import dev.bulwark.auth.webauthn.JdbcWebAuthnStore;
import dev.bulwark.auth.webauthn.VerifiedAssertion;
import dev.bulwark.auth.webauthn.WebAuthnCredential;
import dev.bulwark.auth.webauthn.WebAuthnRejected;
import dev.bulwark.auth.webauthn.WebAuthnRelyingParty;
import dev.bulwark.crypto.FieldContext;
import dev.bulwark.links.LinkPurpose;
import dev.bulwark.links.LinkRejected;
import dev.bulwark.links.VerifiedLink;
import dev.bulwark.tenancy.TenantContext;
import dev.bulwark.tenancy.Workspace;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Accounts: sign-up, verification, login with lockout and MFA, reset, password/e-mail change, sessions, re-auth. */
public final class AccountService {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AccountService.class);
    public static final LinkPurpose MFA_LOGIN = LinkPurpose.of("mfa-login", Duration.ofMinutes(5), false);
    public static final LinkPurpose EMAIL_CHANGE = LinkPurpose.of("email-change", Duration.ofHours(24), true);
    private static final Pattern EMAIL = Pattern.compile("[^@\\s<>\"',;]{1,64}@[A-Za-z0-9.-]{1,251}\\.[A-Za-z]{2,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Services s;
    private final dev.bulwark.app.sso.SsoEnforcement sso;
    private final WebAuthnRelyingParty keys;

    public AccountService(Services s) {
        this.s = s;
        this.sso = new dev.bulwark.app.sso.SsoEnforcement(s);
        this.keys = securityKeys(s);
    }

    /**
     * Relying-party id = the public host name: a key registered here works on no other site (phishing-resistant).
     * A public URL without a host name (an IPv6 literal) leaves security keys off rather than stopping the app.
     */
    private static WebAuthnRelyingParty securityKeys(Services s) {
        try {
            return WebAuthnRelyingParty.builder().relyingParty(s.config().publicUrl.getHost(), "Bulwark")
                    .origin(s.config().origin()).store(new JdbcWebAuthnStore(s.db().dataSource())).build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            log.warn("security keys (WebAuthn) are off: {}", e.getMessage());
            return null;
        }
    }

    private WebAuthnRelyingParty keys() {
        if (keys == null) throw new AppError(404, "security_keys_off", "Security keys need BULWARK_PUBLIC_URL with a host name.");
        return keys;
    }

    public record LoginOutcome(NewSession session, String deviceCookie, String mfaToken) {
        @Override
        public String toString() {
            return "LoginOutcome[<redacted>]";
        }
    }

    public static String newUserId() {
        byte[] b = new byte[15];
        RANDOM.nextBytes(b);
        return "u_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    // ------------------------------------------------------------------ sign-up and verification

    /**
     * Creates the account, its first workspace (as owner) and sends the verification link. An address that already
     * has an account gets the same answer (and its owner a heads-up mail), so sign-up cannot probe addresses. Without
     * the privacy notice accepted ({@code privacyAccepted}) nothing is stored and nothing is sent.
     */
    public void signup(String name, String email, String password, String business, boolean privacyAccepted, Req req) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (name.isEmpty() || name.length() > 200) errors.put("name", "Enter your name (at most 200 characters).");
        if (!EMAIL.matcher(email).matches() || email.length() > 320) errors.put("email", "Enter a valid e-mail address.");
        if (business.isEmpty() || business.length() > 200) errors.put("business", "Enter your business name (at most 200 characters).");
        passwordProblems(password, new PersonalInfo(email, name, business)).ifPresent(p -> errors.put("password", p));
        if (!privacyAccepted) errors.put(PrivacyNotice.FIELD, PrivacyNotice.REQUIRED);
        if (!errors.isEmpty()) throw AppError.invalid(errors);
        // Sign-up sends mail: limited per client address and per address like verification mails (no mail bombing).
        RateLimitDecision d = s.loginGuard().allowEmailVerification(email, req.client);
        if (!d.allowed()) throw tooMany(d.retryAfter());
        // Hash first on both paths, so a known address costs the same as a new one (no timing oracle).
        String hash = s.hasher().hash(password);
        Optional<User> existing = s.users().byEmail(email);
        if (existing.isPresent()) {
            s.mailer().send(new Mail(existing.get().email(), "Someone tried to create an account with your address",
                    "Someone tried to create a Bulwark account with this e-mail address. You already have one.\n"
                            + "If this was you, sign in at " + s.url("/login") + " or reset your password at " + s.url("/password/forgot") + ".\n",
                    null));
            s.audit().platform(Actor.system("signup"), "account.signup_duplicate", null, null, Outcome.DENIED, req.clientIp, Details.EMPTY, false);
            return;
        }
        String id = newUserId();
        User u = new User(id, UserRepository.normaliseEmail(email), name, hash, false, null, false, null, Instant.now());
        PrivacyConsent consent = PrivacyConsent.now();
        if (!s.users().insert(u, consent)) return; // lost a race with the same address: same answer
        privacyAccepted(id, consent, req);
        Workspace ws = s.tenancy().createWorkspace(business, id);
        TenantContext ctx = s.tenancy().enter(id, ws.id());
        s.settings().put(ctx, WorkspaceSettings.DEFAULTS);
        s.audit().log().setRetention(ChainId.workspace(ws.id()), Retention.days(WorkspaceSettings.DEFAULTS.auditRetentionDays()));
        s.audit().workspace(ws.id(), Actor.member(id), "workspace.created", "workspace", ws.id(), Outcome.SUCCESS, req, Details.EMPTY, false);
        s.audit().platform(Actor.member(id), "account.created", "user", id, Outcome.SUCCESS, req.clientIp, Details.EMPTY, false);
        sendVerification(u, ws.id());
    }

    /** Audits an account holder's acceptance of the privacy notice (platform chain, with the notice version). */
    public void privacyAccepted(String userId, PrivacyConsent consent, Req req) {
        s.audit().platform(Actor.member(userId), PrivacyNotice.AUDIT_ACTION, "user", userId, Outcome.SUCCESS, req.clientIp,
                Details.of("notice_version", consent.noticeVersion()), false);
    }

    private void sendVerification(User u, String workspaceId) {
        String token = s.links().issue(LinkPurpose.EMAIL_VERIFY, Services.PLATFORM, u.id());
        s.mailer().send(new Mail(u.email(), "Confirm your e-mail address",
                "Welcome to Bulwark, " + u.name() + ".\n\nConfirm your address (the link works once, for 24 hours):\n"
                        + s.url("/verify-email?u=" + u.id() + "&t=" + token) + "\n", workspaceId));
    }

    public void resendVerification(String email, Req req) {
        RateLimitDecision d = s.loginGuard().allowEmailVerification(email, req.client);
        if (!d.allowed()) throw tooMany(d.retryAfter());
        s.users().byEmail(email).filter(u -> !u.emailVerified()).ifPresent(u -> sendVerification(u, null));
    }

    public void verifyEmail(String userId, String token, Req req) {
        VerifiedLink link = verifyLink(token, LinkPurpose.EMAIL_VERIFY, Services.PLATFORM, userId);
        s.users().setEmailVerified(link.resourceId());
        s.audit().platform(Actor.member(link.resourceId()), "account.email_verified", "user", link.resourceId(), Outcome.SUCCESS,
                req.clientIp, Details.EMPTY, false);
    }

    // ------------------------------------------------------------------ login

    public LoginOutcome login(String email, String password, Req req) {
        if (email.isEmpty() || password.isEmpty()) {
            throw AppError.invalid(email.isEmpty() ? Map.of("email", "Enter your e-mail address.") : Map.of("password", "Enter your password."));
        }
        Optional<User> user = s.users().byEmail(email);
        sso.beforePassword(user, email, password, req); // "require SSO": refused before the password is compared
        LoginResult r = s.loginGuard().login(new LoginAttempt(email, password, req.client, req.cookies.get(AccountRoutes.DEVICE_COOKIE)),
                user.map(u -> new StoredCredential(u.id(), u.passwordHash())));
        if (r.status() == LoginResult.Status.RATE_LIMITED) throw tooMany(r.retryAfter());
        if (!r.succeeded()) throw new AppError(401, "login_failed", r.userMessage());
        VerifiedLogin v = r.verified().orElseThrow();
        User u = user.orElseThrow();
        v.upgradedPasswordHash().ifPresent(h -> s.users().upgradePasswordHash(u.id(), u.passwordHash(), h));
        if (!u.emailVerified()) {
            throw new AppError(403, "email_not_verified", "Confirm your e-mail address first: use the link we sent you (or ask for a new one).");
        }
        if (u.mfaEnabled()) {
            return new LoginOutcome(null, v.deviceCookie(), s.links().issue(MFA_LOGIN, Services.PLATFORM, u.id()));
        }
        return new LoginOutcome(startSession(u, req), v.deviceCookie(), null);
    }

    /** The user whose password was accepted, from the short-lived signed token of the login's MFA step. */
    private User mfaStepUser(String mfaToken) {
        if (mfaToken == null || mfaToken.isEmpty()) throw new AppError(401, "mfa_expired", "Sign in again: the two-factor step expired.");
        VerifiedLink link;
        try {
            link = s.linkVerifier().verify(mfaToken, MFA_LOGIN, Services.PLATFORM);
        } catch (LinkRejected e) {
            throw new AppError(401, "mfa_expired", "Sign in again: the two-factor step expired.");
        }
        return s.users().byId(link.resourceId()).orElseThrow(() -> new AppError(401, "mfa_expired", "Sign in again."));
    }

    public LoginOutcome loginMfa(String mfaToken, String code, Req req) {
        User u = mfaStepUser(mfaToken);
        if (code.isEmpty()) throw AppError.invalid("code", "Enter the 6-digit code from your authenticator app, or a recovery code.");
        SecondFactorResult r = s.loginGuard().verifySecondFactor(u.email(), req.client, () -> checkSecondFactor(u, code, req));
        if (r.status() == SecondFactorResult.Status.RATE_LIMITED) throw tooMany(r.retryAfter());
        if (!r.accepted()) {
            s.audit().platform(Actor.member(u.id()), "login.mfa_failed", "user", u.id(), Outcome.DENIED, req.clientIp, Details.EMPTY, true);
            throw AppError.invalid("code", "That code is not valid. Codes change every 30 seconds.");
        }
        sso.afterSecondFactor(u.id(), req); // audits an owner's break-glass sign-in into a require-SSO workspace
        return new LoginOutcome(startSession(u, req), null, null);
    }

    private boolean checkSecondFactor(User u, String code, Req req) {
        String c = code.replace(" ", "");
        if (c.length() != 6) return s.totp().useRecoveryCode(u.id(), code);
        Optional<TotpSecret> sec = totpSecret(u);
        if (sec.isEmpty()) return false;
        TotpCheck result = s.totp().check(u.id(), sec.get(), c);
        if (result == TotpCheck.REPLAYED) {
            // The right code a second time: someone who saw it (over a shoulder, in a phishing proxy) may be trying
            // it. Refused like a wrong code, and the owner is told (ASVS 2.8.5).
            s.audit().platform(Actor.member(u.id()), "login.mfa_code_reused", "user", u.id(), Outcome.DENIED, req.clientIp, Details.EMPTY, true);
            for (var m : s.tenancy().workspacesOf(u.id())) {
                s.audit().workspace(m.workspaceId(), Actor.member(u.id()), "login.mfa_code_reused", "user", u.id(), Outcome.DENIED, req, Details.EMPTY, true);
            }
            notify(u, "A sign-in code was used twice", "Someone entered your password and a two-factor code that had already been used "
                    + "(from " + req.clientIp + "). It was refused. If this was not you, your password and a recent code may have been seen.");
        }
        return result == TotpCheck.ACCEPTED;
    }

    private NewSession startSession(User u, Req req) {
        NewSession ns = s.sessions().startAfterLogin(u.id(), req.clientIp, req.userAgent, req.sessionToken());
        s.users().recordSession(ns.info().sessionId(), u.id(), Instant.now());
        s.audit().platform(Actor.member(u.id()), "login.succeeded", "session", ns.info().sessionId(), Outcome.SUCCESS, req.clientIp, Details.EMPTY, false);
        for (var m : s.tenancy().workspacesOf(u.id())) {
            s.audit().workspace(m.workspaceId(), Actor.member(u.id()), "login.succeeded", "user", u.id(), Outcome.SUCCESS, req, Details.EMPTY, false);
        }
        return ns;
    }

    public void logout(Req req) {
        if (req.sessionToken() != null) {
            s.sessions().revoke(req.sessionToken());
            s.audit().platform(Actor.member(req.user().userId()), "logout", "session", req.user().sessionId(), Outcome.SUCCESS, req.clientIp, Details.EMPTY, false);
        }
    }

    // ------------------------------------------------------------------ password reset

    /** Same answer for every address; rate-limited per client and per address. */
    public void forgot(String email, Req req) {
        if (email.isEmpty()) throw AppError.invalid("email", "Enter your e-mail address.");
        RateLimitDecision d = s.loginGuard().allowPasswordReset(email, req.client);
        if (!d.allowed()) throw tooMany(d.retryAfter());
        Optional<User> u = s.users().byEmail(email);
        if (u.isEmpty()) return;
        String token = s.links().issue(LinkPurpose.PASSWORD_RESET, Services.PLATFORM, u.get().id());
        s.mailer().send(new Mail(u.get().email(), "Reset your password",
                "Someone (hopefully you) asked to reset your Bulwark password. The link works once, for 30 minutes:\n"
                        + s.url("/password/reset?u=" + u.get().id() + "&t=" + token) + "\n\nIf it was not you, ignore this mail.\n", null));
        s.audit().platform(Actor.member(u.get().id()), "password.reset_requested", "user", u.get().id(), Outcome.SUCCESS, req.clientIp, Details.EMPTY, false);
    }

    public void reset(String userId, String token, String password, Req req) {
        User u = s.users().byId(userId).orElseThrow(() -> new AppError(400, "link_invalid", "This reset link is not valid. Ask for a new one."));
        passwordProblems(password, new PersonalInfo(u.email(), u.name(), null)).ifPresent(p -> { throw AppError.invalid("password", p); });
        verifyLink(token, LinkPurpose.PASSWORD_RESET, Services.PLATFORM, userId);
        s.users().setPasswordHash(u.id(), s.hasher().hash(password));
        s.sessions().revokeAll(u.id());
        s.loginGuard().unlock(u.email(), "password-reset");
        notify(u, "Your password was reset", "The password of your Bulwark account was reset and every session was signed out.");
        s.audit().platform(Actor.member(u.id()), "password.reset", "user", u.id(), Outcome.SUCCESS, req.clientIp, Details.EMPTY, false);
    }

    // ------------------------------------------------------------------ signed-in changes

    /** The current password proves who this is (it also counts as re-authentication); other sessions end. */
    public void changePassword(Principal p, String current, String next, Req req) {
        User u = s.users().byId(p.userId()).orElseThrow();
        Map<String, String> errors = new LinkedHashMap<>();
        if (!passwordMatches(u, current, req)) errors.put("current", "That is not your current password.");
        passwordProblems(next, new PersonalInfo(u.email(), u.name(), null)).ifPresent(m -> errors.put("password", m));
        if (!errors.isEmpty()) throw AppError.invalid(errors);
        s.users().setPasswordHash(u.id(), s.hasher().hash(next));
        int ended = s.sessions().revokeAllExcept(u.id(), p.sessionId());
        s.users().touchReauth(p.sessionId());
        notify(u, "Your password was changed", "The password of your Bulwark account was changed; " + ended + " other session(s) were signed out.");
        auditEverywhere(u.id(), "password.changed", req, Details.of("sessions_ended", ended));
    }

    public void requestEmailChange(Principal p, String newEmail, Req req) {
        requireRecentAuth(p);
        if (!EMAIL.matcher(newEmail).matches()) throw AppError.invalid("email", "Enter a valid e-mail address.");
        User u = s.users().byId(p.userId()).orElseThrow();
        s.users().setPendingEmail(u.id(), newEmail);
        String token = s.links().issue(EMAIL_CHANGE, Services.PLATFORM, u.id());
        s.mailer().send(new Mail(UserRepository.normaliseEmail(newEmail), "Confirm your new e-mail address",
                "Confirm this address for your Bulwark account (the link works once, for 24 hours):\n"
                        + s.url("/account/email/confirm?u=" + u.id() + "&t=" + token) + "\n", null));
        notify(u, "Your e-mail address is being changed", "Someone signed in to your account asked to change its e-mail address. "
                + "If this was not you, reset your password now: " + s.url("/password/forgot"));
        auditEverywhere(u.id(), "email.change_requested", req, Details.EMPTY);
    }

    public void confirmEmailChange(String userId, String token, Req req) {
        VerifiedLink link = verifyLink(token, EMAIL_CHANGE, Services.PLATFORM, userId);
        User u = s.users().byId(link.resourceId()).orElseThrow(AppError::notFound);
        if (u.pendingEmail() == null) throw new AppError(400, "link_invalid", "There is no address change to confirm.");
        String old = u.email();
        if (!s.users().confirmEmail(u.id(), u.pendingEmail())) throw AppError.invalid("email", "That address is already used by another account.");
        s.mailer().send(new Mail(old, "Your e-mail address was changed", "The e-mail address of your Bulwark account was changed. "
                + "If this was not you, contact your workspace owner at once.", null));
        auditEverywhere(u.id(), "email.changed", req, Details.EMPTY);
    }

    // ------------------------------------------------------------------ re-authentication (ASVS 3.7.1)

    public void requireRecentAuth(Principal p) {
        if (p.viaApiKey()) throw new AppError(403, "forbidden", "API keys cannot change account security settings.");
        Instant at = s.users().reauthAt(p.sessionId());
        if (at.plus(s.config().reauthWindow).isBefore(Instant.now())) {
            throw new AppError(403, "reauthentication_required", "Confirm it is you: enter your password or a two-factor code again.");
        }
    }

    public void reauth(Principal p, String password, String code, Req req) {
        User u = s.users().byId(p.userId()).orElseThrow();
        boolean ok;
        if (!code.isEmpty() && u.mfaEnabled()) {
            SecondFactorResult r = s.loginGuard().verifySecondFactor(u.email(), req.client, () -> checkSecondFactor(u, code, req));
            if (r.status() == SecondFactorResult.Status.RATE_LIMITED) throw tooMany(r.retryAfter());
            ok = r.accepted();
        } else {
            ok = passwordMatches(u, password, req);
        }
        if (!ok) throw AppError.invalid(code.isEmpty() ? "password" : "code", "That did not match. Try again.");
        s.users().touchReauth(p.sessionId());
        s.audit().platform(Actor.member(u.id()), "reauthenticated", "session", p.sessionId(), Outcome.SUCCESS, req.clientIp, Details.EMPTY, false);
    }

    private boolean passwordMatches(User u, String password, Req req) {
        if (password.isEmpty()) return false;
        LoginResult r = s.loginGuard().login(new LoginAttempt(u.email(), password, req.client, req.cookies.get(AccountRoutes.DEVICE_COOKIE)),
                Optional.of(new StoredCredential(u.id(), u.passwordHash())));
        if (r.status() == LoginResult.Status.RATE_LIMITED) throw tooMany(r.retryAfter());
        // A password proof upgrades the stored hash like a sign-in does (parameters, pepper rotation).
        r.verified().flatMap(VerifiedLogin::upgradedPasswordHash).ifPresent(h -> s.users().upgradePasswordHash(u.id(), u.passwordHash(), h));
        return r.succeeded();
    }

    // ------------------------------------------------------------------ MFA

    public record Enrolment(String secretBase32, String uri) {
        @Override
        public String toString() {
            return "Enrolment[<redacted>]";
        }
    }

    public Enrolment mfaStart(Principal p, Req req) {
        requireRecentAuth(p);
        User u = s.users().byId(p.userId()).orElseThrow();
        if (u.mfaEnabled()) throw new AppError(409, "mfa_already_enabled", "Two-factor authentication is already on.");
        TotpSecret secret = s.totp().newSecret();
        s.users().setMfa(u.id(), s.keys().keyring().fields().encrypt(secret.base32(), mfaContext(u.id())), false);
        return new Enrolment(secret.base32(), s.totp().enrolmentUri(secret, u.email()));
    }

    /** The pending or active enrolment URI (for the QR code). */
    public Optional<String> enrolmentUri(Principal p) {
        User u = s.users().byId(p.userId()).orElseThrow();
        if (u.mfaEnabled()) return Optional.empty();
        return totpSecret(u).map(sec -> s.totp().enrolmentUri(sec, u.email()));
    }

    public List<String> mfaConfirm(Principal p, String code, Req req) {
        requireRecentAuth(p);
        User u = s.users().byId(p.userId()).orElseThrow();
        Optional<TotpSecret> sec = totpSecret(u);
        if (u.mfaEnabled() || sec.isEmpty()) throw new AppError(409, "mfa_not_pending", "Start the set-up first.");
        if (!s.totp().verify(u.id(), sec.get(), code.replace(" ", ""))) {
            throw AppError.invalid("code", "That code is not valid. Check the time on your phone and try the current code.");
        }
        s.users().setMfa(u.id(), u.mfaSecretEncrypted(), true);
        List<String> codes = s.totp().newRecoveryCodes(u.id()).codes();
        notify(u, "Two-factor authentication is on", "Two-factor authentication was switched on for your Bulwark account.");
        auditEverywhere(u.id(), "mfa.enabled", req, Details.EMPTY);
        return codes;
    }

    // ------------------------------------------------------------------ security keys (WebAuthn, ASVS 2.3.2)

    /** True when the MFA step of this (still valid) login token can offer "Use security key". */
    public boolean mfaStepHasSecurityKey(String mfaToken) {
        try {
            return keys != null && !keys.credentials(mfaStepUser(mfaToken).id()).isEmpty();
        } catch (AppError e) {
            return false;
        }
    }

    /** Options for navigator.credentials.get in the login's MFA step (the user's keys, a fresh challenge). */
    public String loginSecurityKeyStart(String mfaToken) {
        User u = mfaStepUser(mfaToken);
        if (!u.mfaEnabled() || keys().credentials(u.id()).isEmpty()) {
            throw new AppError(409, "no_security_key", "No security key is registered for this account; enter a code.");
        }
        return keys().startAuthentication(u.id());
    }

    /**
     * The login's second factor by security key: counted, limited and locked out exactly like a TOTP code (the same
     * {@code LoginGuard.verifySecondFactor} counter), audited as used or as a suspicious failure.
     */
    public LoginOutcome loginSecurityKey(String mfaToken, String credentialJson, Req req) {
        User u = mfaStepUser(mfaToken);
        if (!u.mfaEnabled()) throw new AppError(409, "no_security_key", "No security key is registered for this account.");
        if (credentialJson.isEmpty()) throw AppError.invalid("credential", "Touch your security key to sign in.");
        WebAuthnRejected[] refused = {null};
        VerifiedAssertion[] ok = {null};
        SecondFactorResult r = s.loginGuard().verifySecondFactor(u.email(), req.client, () -> {
            try {
                ok[0] = keys().finishAuthentication(u.id(), credentialJson);
                return true;
            } catch (WebAuthnRejected e) {
                refused[0] = e;
                return false;
            }
        });
        if (r.status() == SecondFactorResult.Status.RATE_LIMITED) throw tooMany(r.retryAfter());
        if (!r.accepted() || ok[0] == null) {
            String reason = refused[0] == null ? "LOCKED" : refused[0].reason().name();
            s.audit().platform(Actor.member(u.id()), "mfa.webauthn.failed", "user", u.id(), Outcome.DENIED, req.clientIp, Details.of("reason", reason), true);
            if (refused[0] != null && refused[0].reason() == WebAuthnRejected.Reason.COUNTER_REGRESSION) {
                notify(u, "A security key may have been copied", "A sign-in with one of your security keys was refused because its "
                        + "signature counter went back (from " + req.clientIp + "). If you did not do this, remove the key and add a new one.");
            }
            throw AppError.invalid("credential", "That security key was not accepted. Try again, or enter a code.");
        }
        s.audit().platform(Actor.member(u.id()), "mfa.webauthn.used", "user", u.id(), Outcome.SUCCESS, req.clientIp,
                Details.of("key", ok[0].credential().shortId()), false);
        sso.afterSecondFactor(u.id(), req);
        return new LoginOutcome(startSession(u, req), null, null);
    }

    /** The signed-in user's security keys (none when keys are off). */
    public List<WebAuthnCredential> securityKeys(Principal p) {
        return keys == null ? List.of() : keys.credentials(p.userId());
    }

    /**
     * Options for navigator.credentials.create. Needs a recent re-auth and two-factor authentication already on (an
     * authenticator app and recovery codes), so losing the key never locks the user out; keys are an extra way in.
     */
    public String securityKeyRegistrationStart(Principal p) {
        User u = securityKeyOwner(p);
        return keys().startRegistration(u.id(), u.email());
    }

    public WebAuthnCredential securityKeyRegistrationFinish(Principal p, String name, String credentialJson, Req req) {
        User u = securityKeyOwner(p);
        if (credentialJson.isEmpty()) throw AppError.invalid("credential", "Touch your security key to add it.");
        WebAuthnCredential c;
        try {
            c = keys().finishRegistration(u.id(), name, credentialJson);
        } catch (WebAuthnRejected e) {
            s.audit().platform(Actor.member(u.id()), "mfa.webauthn.add_failed", "user", u.id(), Outcome.DENIED, req.clientIp,
                    Details.of("reason", e.reason().name()), e.suspicious());
            if (e.reason() == WebAuthnRejected.Reason.INVALID_NAME) throw AppError.invalid("name", "Name the key (1 to 64 characters).");
            if (e.reason() == WebAuthnRejected.Reason.DUPLICATE_CREDENTIAL) throw new AppError(409, "duplicate_key", "This security key is already registered.");
            if (e.reason() == WebAuthnRejected.Reason.TOO_MANY_CREDENTIALS) throw new AppError(409, "too_many_keys", "You have the maximum number of security keys.");
            throw AppError.invalid("credential", "The security key was not added. Start again.");
        }
        notify(u, "A security key was added", "The security key \"" + c.name() + "\" was added to your Bulwark account.");
        auditEverywhere(u.id(), "mfa.webauthn.added", req, Details.of("key", c.shortId()));
        return c;
    }

    /** Removes one of the user's keys (recent re-auth); another user's key id answers 404 like a missing one. */
    public void securityKeyRemove(Principal p, String credentialId, Req req) {
        requireRecentAuth(p);
        User u = s.users().byId(p.userId()).orElseThrow();
        Optional<WebAuthnCredential> c = keys().credentials(u.id()).stream().filter(k -> k.credentialId().equals(credentialId)).findFirst();
        if (c.isEmpty() || !keys().remove(u.id(), credentialId)) throw AppError.notFound();
        notify(u, "A security key was removed", "The security key \"" + c.get().name() + "\" was removed from your Bulwark account.");
        auditEverywhere(u.id(), "mfa.webauthn.removed", req, Details.of("key", c.get().shortId()));
    }

    private User securityKeyOwner(Principal p) {
        requireRecentAuth(p);
        User u = s.users().byId(p.userId()).orElseThrow();
        if (!u.mfaEnabled()) {
            throw new AppError(409, "mfa_not_enabled", "Turn on two-factor authentication with an authenticator app first; a security key is added to it.");
        }
        return u;
    }

    public void mfaDisable(Principal p, Req req) {
        requireRecentAuth(p);
        User u = s.users().byId(p.userId()).orElseThrow();
        for (var m : s.tenancy().workspacesOf(u.id())) {
            TenantContext ctx = s.tenancy().enter(u.id(), m.workspaceId());
            if (s.settings().get(ctx).requireMfa()) {
                throw new AppError(409, "mfa_required_by_workspace", "A workspace you belong to requires two-factor authentication.");
            }
        }
        s.users().setMfa(u.id(), null, false);
        s.totp().disable(u.id());
        if (keys != null) for (WebAuthnCredential k : keys.credentials(u.id())) keys.remove(u.id(), k.credentialId()); // keys are part of MFA
        notify(u, "Two-factor authentication is off", "Two-factor authentication was switched off for your Bulwark account.");
        auditEverywhere(u.id(), "mfa.disabled", req, Details.EMPTY);
    }

    private Optional<TotpSecret> totpSecret(User u) {
        if (u.mfaSecretEncrypted() == null) return Optional.empty();
        try {
            return TotpSecret.fromBase32(s.keys().keyring().fields().decrypt(u.mfaSecretEncrypted(), mfaContext(u.id())));
        } catch (DecryptionException e) {
            // A value that does not decrypt for this row was tampered with or copied from another row: no code can
            // match it. The owner can still finish sign-in with a recovery code; the operator needs to know.
            log.error("TOTP secret of user {} does not decrypt ({}): only recovery codes can complete its sign-in", u.id(), e.reason());
            return Optional.empty();
        }
    }

    private static FieldContext mfaContext(String userId) {
        return FieldContext.of(Services.PLATFORM, "app_users", "mfa_secret", userId);
    }

    // ------------------------------------------------------------------ sessions

    public List<SessionInfo> sessions(Principal p) {
        return s.sessions().list(p.userId());
    }

    public void revokeSession(Principal p, String sessionId, Req req) {
        if (!s.sessions().revokeSession(p.userId(), sessionId)) throw AppError.notFound();
        s.audit().platform(Actor.member(p.userId()), "session.revoked", "session", sessionId, Outcome.SUCCESS, req.clientIp, Details.EMPTY, false);
    }

    public int revokeOthers(Principal p, Req req) {
        int n = s.sessions().revokeAllExcept(p.userId(), p.sessionId());
        s.audit().platform(Actor.member(p.userId()), "session.revoked_all", "user", p.userId(), Outcome.SUCCESS, req.clientIp,
                Details.of("sessions_ended", n), false);
        return n;
    }

    // ------------------------------------------------------------------ helpers

    public Optional<String> passwordProblems(String password, PersonalInfo info) {
        List<PolicyViolation> v = s.policy().check(password, info);
        if (v.isEmpty()) return Optional.empty();
        return Optional.of(String.join(" ", v.stream().map(PolicyViolation::message).toList()));
    }

    private VerifiedLink verifyLink(String token, LinkPurpose purpose, String ws, String resource) {
        try {
            if (token.isEmpty() || resource.isEmpty()) throw new AppError(400, "link_malformed", "This link is incomplete: copy the whole link from the e-mail.");
            return s.linkVerifier().verify(token, purpose, ws, resource);
        } catch (LinkRejected e) {
            throw new AppError(400, "link_" + e.reason().name().toLowerCase(), "This link cannot be used: " + e.reason().description() + ".");
        }
    }

    public void notify(User u, String subject, String text) {
        s.mailer().send(new Mail(u.email(), subject, "Hello " + u.name() + ",\n\n" + text + "\n\nIf this was not you, reset your password: "
                + s.url("/password/forgot") + "\n", null));
    }

    private void auditEverywhere(String userId, String action, Req req, Details d) {
        s.audit().platform(Actor.member(userId), action, "user", userId, Outcome.SUCCESS, req.clientIp, d, false);
        for (var m : s.tenancy().workspacesOf(userId)) {
            s.audit().workspace(m.workspaceId(), Actor.member(userId), action, "user", userId, Outcome.SUCCESS, req, d, false);
        }
    }

    static AppError tooMany(Duration retryAfter) {
        long secs = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new AppError(429, "rate_limited", "Too many attempts. Try again in " + secs + " seconds.").retryAfter(secs);
    }
}
