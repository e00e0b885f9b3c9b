package dev.bulwark.app.account;

import dev.bulwark.app.privacy.PrivacyConsent;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** Accounts and per-session re-authentication times (platform-level tables, not workspace data). */
public final class UserRepository {
    private static final String COLS = "id, email, name, password_hash, email_verified, mfa_secret, mfa_enabled, pending_email, created_at_ms";
    private final DataSource ds;

    public UserRepository(DataSource ds) {
        this.ds = ds;
    }

    public static String normaliseEmail(String email) {
        return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
    }

    /** An account without a recorded privacy consent (created by single sign-on). @return false when the e-mail address is taken */
    public boolean insert(User u) {
        return insert(u, null);
    }

    /**
     * The account and the privacy notice version its holder accepted, in one statement: no account exists without its
     * consent. @return false when the e-mail address is taken
     */
    public boolean insert(User u, PrivacyConsent consent) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO app_users (id, email, name, password_hash, email_verified, mfa_secret, mfa_enabled, pending_email, created_at_ms, "
                        + "password_changed_at_ms, privacy_notice_version, privacy_accepted_at_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, u.id());
            ps.setString(2, normaliseEmail(u.email()));
            ps.setString(3, u.name());
            ps.setString(4, u.passwordHash());
            ps.setBoolean(5, u.emailVerified());
            ps.setString(6, u.mfaSecretEncrypted());
            ps.setBoolean(7, u.mfaEnabled());
            ps.setString(8, u.pendingEmail());
            ps.setLong(9, u.createdAt().toEpochMilli());
            ps.setLong(10, u.createdAt().toEpochMilli());
            ps.setString(11, consent == null ? null : consent.noticeVersion());
            if (consent == null) ps.setNull(12, java.sql.Types.BIGINT);
            else ps.setLong(12, consent.acceptedAt().toEpochMilli());
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) return false;
            throw new IllegalStateException("insert user failed: " + e.getSQLState(), e);
        }
    }

    public Optional<User> byEmail(String email) {
        return one("SELECT " + COLS + " FROM app_users WHERE email = ?", normaliseEmail(email));
    }

    public Optional<User> byId(String id) {
        return one("SELECT " + COLS + " FROM app_users WHERE id = ?", id);
    }

    /** The privacy notice version the account accepted and when; empty for accounts that never did (e.g. single sign-on). */
    public Optional<PrivacyConsent> privacyConsent(String id) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT privacy_notice_version, privacy_accepted_at_ms FROM app_users WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) return Optional.empty();
                return Optional.of(new PrivacyConsent(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("read privacy consent failed: " + e.getSQLState(), e);
        }
    }

    public void setPasswordHash(String id, String hash) {
        update("UPDATE app_users SET password_hash = ?, password_changed_at_ms = ? WHERE id = ?", hash, Instant.now().toEpochMilli(), id);
    }

    /**
     * Stores a login's upgraded hash of the same password (new parameters or pepper) only if the stored hash is still the
     * one that was verified: a password changed meanwhile is never overwritten with the old one. Not a password change.
     */
    public boolean upgradePasswordHash(String id, String verifiedHash, String upgradedHash) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE app_users SET password_hash = ? WHERE id = ? AND password_hash = ?")) {
            ps.setString(1, upgradedHash);
            ps.setString(2, id);
            ps.setString(3, verifiedHash);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("upgrade password hash failed: " + e.getSQLState(), e);
        }
    }

    public void setEmailVerified(String id) {
        update("UPDATE app_users SET email_verified = TRUE WHERE id = ?", id);
    }

    public void setMfa(String id, String secretEncrypted, boolean enabled) {
        update("UPDATE app_users SET mfa_secret = ?, mfa_enabled = ? WHERE id = ?", secretEncrypted, enabled, id);
    }

    public void setPendingEmail(String id, String email) {
        update("UPDATE app_users SET pending_email = ? WHERE id = ?", email == null ? null : normaliseEmail(email), id);
    }

    /** @return false when the address is taken meanwhile */
    public boolean confirmEmail(String id, String email) {
        try {
            update("UPDATE app_users SET email = ?, pending_email = NULL, email_verified = TRUE WHERE id = ?", normaliseEmail(email), id);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    public void recordSession(String sessionId, String userId, Instant reauthAt) {
        update("INSERT INTO app_session_meta (session_id, user_id, reauth_at_ms) VALUES (?,?,?)", sessionId, userId, reauthAt.toEpochMilli());
    }

    public void touchReauth(String sessionId) {
        update("UPDATE app_session_meta SET reauth_at_ms = ? WHERE session_id = ?", Instant.now().toEpochMilli(), sessionId);
    }

    public Instant reauthAt(String sessionId) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT reauth_at_ms FROM app_session_meta WHERE session_id = ?")) {
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Instant.ofEpochMilli(rs.getLong(1)) : Instant.EPOCH;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("read session meta failed: " + e.getSQLState(), e);
        }
    }

    private Optional<User> one(String sql, String arg) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new User(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                        rs.getString(6), rs.getBoolean(7), rs.getString(8), Instant.ofEpochMilli(rs.getLong(9))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("read user failed: " + e.getSQLState(), e);
        }
    }

    private void update(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("update failed: " + e.getSQLState(), e);
        }
    }
}
