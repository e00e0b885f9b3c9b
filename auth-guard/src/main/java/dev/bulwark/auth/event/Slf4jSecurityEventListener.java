package dev.bulwark.auth.event;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every security event on logger {@code dev.bulwark.auth.security}: lockouts, rate limits, MFA failures and
 * API key misuse at WARN, the rest at INFO. Only identifiers and addresses are logged; CR/LF and other control
 * characters in them are replaced, so a hostile account name cannot forge log lines.
 */
public final class Slf4jSecurityEventListener implements SecurityEventListener {
    private final Logger log;

    public Slf4jSecurityEventListener() {
        this(LoggerFactory.getLogger("dev.bulwark.auth.security"));
    }

    public Slf4jSecurityEventListener(Logger log) {
        this.log = log;
    }

    @Override
    public void on(SecurityEvent event) {
        String line = format(event);
        boolean warn = event instanceof SecurityEvent.AccountLocked || event instanceof SecurityEvent.RateLimited
                || event instanceof SecurityEvent.MfaFailed || event instanceof SecurityEvent.ApiKeyMisuse;
        if (warn) log.warn("{}", line);
        else log.info("{}", line);
    }

    /** The log line for an event (package-visible for tests). */
    static String format(SecurityEvent e) {
        StringBuilder sb = new StringBuilder(e.type());
        if (e instanceof SecurityEvent.LoginFailed f) {
            kv(sb, "account", f.account()); kv(sb, "ip", f.clientAddress()); kv(sb, "reason", f.reason().name());
        } else if (e instanceof SecurityEvent.AccountLocked l) {
            kv(sb, "account", l.account()); kv(sb, "ip", l.clientAddress()); kv(sb, "until", String.valueOf(l.lockedUntil()));
            kv(sb, "lockouts", String.valueOf(l.lockoutCount())); kv(sb, "factor", l.secondFactor() ? "mfa" : "password");
        } else if (e instanceof SecurityEvent.AccountUnlocked u) {
            kv(sb, "account", u.account()); kv(sb, "by", u.by());
        } else if (e instanceof SecurityEvent.RateLimited r) {
            kv(sb, "limit", r.limit()); kv(sb, "subject", r.subject()); kv(sb, "ip", r.clientAddress());
        } else if (e instanceof SecurityEvent.MfaFailed m) {
            kv(sb, "account", m.account()); kv(sb, "ip", m.clientAddress());
        } else if (e instanceof SecurityEvent.NewAddressForAccount n) {
            kv(sb, "account", n.account()); kv(sb, "ip", n.clientAddress());
        } else if (e instanceof SecurityEvent.ApiKeyMisuse k) {
            kv(sb, "keyId", k.keyId()); kv(sb, "reason", k.reason()); kv(sb, "ip", k.clientAddress());
        }
        kv(sb, "at", String.valueOf(e.at()));
        return sb.toString();
    }

    private static void kv(StringBuilder sb, String k, String v) {
        sb.append(' ').append(k).append('=');
        if (v == null) {
            sb.append('-');
            return;
        }
        int n = Math.min(v.length(), 200);
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            sb.append(Character.isISOControl(c) || c == ' ' ? '_' : c);
        }
        if (v.length() > n) sb.append('…');
    }
}
