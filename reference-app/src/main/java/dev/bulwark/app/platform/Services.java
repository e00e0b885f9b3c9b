package dev.bulwark.app.platform;

import dev.bulwark.app.account.UserRepository;
import dev.bulwark.app.settings.SettingsRepository;
import dev.bulwark.auth.apikey.ApiKeys;
import dev.bulwark.auth.login.LoginGuard;
import dev.bulwark.auth.password.PasswordHasher;
import dev.bulwark.auth.password.PasswordPolicy;
import dev.bulwark.auth.session.SessionManager;
import dev.bulwark.auth.totp.TotpAuthenticator;
import dev.bulwark.links.LinkSigner;
import dev.bulwark.links.LinkVerifier;
import dev.bulwark.tenancy.Tenancy;

/** The assembled modules and repositories, handed to every feature's routes. */
public record Services(Config config, Database db, Keys keys, Tenancy tenancy, UserRepository users, SettingsRepository settings,
                       PasswordHasher hasher, PasswordPolicy policy, LoginGuard loginGuard, SessionManager sessions,
                       TotpAuthenticator totp, ApiKeys apiKeys, LinkSigner links, LinkVerifier linkVerifier, Audit audit,
                       Mailer mailer, RateLimits limits) {
    /** Account-level signed links (verification, reset, MFA step) are bound to this pseudo-workspace. */
    public static final String PLATFORM = "platform";

    public String url(String pathAndQuery) {
        return config.origin() + pathAndQuery;
    }

    @Override
    public String toString() {
        return "Services";
    }
}
