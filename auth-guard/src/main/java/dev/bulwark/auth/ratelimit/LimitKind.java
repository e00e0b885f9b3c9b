package dev.bulwark.auth.ratelimit;

import java.time.Duration;

/**
 * The rate-limited actions, each keyed per client address or per account, with its documented default.
 * Defaults allow a person who mistypes a few times to carry on, while capping what one address or one
 * account can cost (each login attempt is an Argon2id verification) or send (reset and verification e-mails).
 */
public enum LimitKind {
    /** 20 login attempts per minute per client address (offices behind one NAT still fit). */
    LOGIN_PER_IP(20, Duration.ofMinutes(1)),
    /** 10 login attempts per minute per account (the lockout counter handles the long run). */
    LOGIN_PER_ACCOUNT(10, Duration.ofMinutes(1)),
    /** 10 password-reset requests per hour per client address. */
    PASSWORD_RESET_PER_IP(10, Duration.ofHours(1)),
    /** 3 password-reset e-mails per hour per account. */
    PASSWORD_RESET_PER_ACCOUNT(3, Duration.ofHours(1)),
    /** 10 e-mail verification requests per hour per client address. */
    EMAIL_VERIFICATION_PER_IP(10, Duration.ofHours(1)),
    /** 5 e-mail verification messages per hour per account. */
    EMAIL_VERIFICATION_PER_ACCOUNT(5, Duration.ofHours(1));

    private final LimitRule defaultRule;

    LimitKind(long capacity, Duration period) {
        this.defaultRule = new LimitRule(capacity, period);
    }

    public LimitRule defaultRule() {
        return defaultRule;
    }
}
