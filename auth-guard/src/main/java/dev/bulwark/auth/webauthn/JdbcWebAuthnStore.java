package dev.bulwark.auth.webauthn;

import dev.bulwark.auth.AuthStoreException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Credentials and challenges in a relational database (portable SQL, tested on PostgreSQL and H2). */
public final class JdbcWebAuthnStore implements WebAuthnStore {
    private static final String COLUMNS = "credential_id, user_id, name, attested_credential, sign_count, user_verified, created_at, last_used_at";
    private final DataSource dataSource;

    public JdbcWebAuthnStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void saveChallenge(PendingChallenge ch, long nowMillis) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM bulwark_auth_webauthn_challenge WHERE expires_at < ?"
                    + " OR (user_id = ? AND ceremony = ?)")) {
                ps.setLong(1, nowMillis);
                ps.setString(2, ch.userId());
                ps.setString(3, ch.ceremony().name());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bulwark_auth_webauthn_challenge (challenge_hash, user_id, ceremony, expires_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, ch.challengeHash());
                ps.setString(2, ch.userId());
                ps.setString(3, ch.ceremony().name());
                ps.setLong(4, ch.expiresAtMillis());
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new AuthStoreException("save WebAuthn challenge", e);
        }
    }

    @Override
    public Optional<PendingChallenge> consumeChallenge(String challengeHash) {
        try (Connection c = dataSource.getConnection()) {
            PendingChallenge found;
            try (PreparedStatement ps = c.prepareStatement("SELECT user_id, ceremony, expires_at FROM bulwark_auth_webauthn_challenge WHERE challenge_hash = ?")) {
                ps.setString(1, challengeHash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    found = new PendingChallenge(challengeHash, rs.getString(1), Ceremony.valueOf(rs.getString(2)), rs.getLong(3));
                }
            }
            // The DELETE decides: of two concurrent uses exactly one removes the row.
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM bulwark_auth_webauthn_challenge WHERE challenge_hash = ?")) {
                ps.setString(1, challengeHash);
                return ps.executeUpdate() == 1 ? Optional.of(found) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new AuthStoreException("consume WebAuthn challenge", e);
        }
    }

    @Override
    public boolean addCredential(WebAuthnCredential cr) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO bulwark_auth_webauthn_credential (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, cr.credentialId());
            ps.setString(2, cr.userId());
            ps.setString(3, cr.name());
            ps.setString(4, cr.attestedCredential());
            ps.setLong(5, cr.signCount());
            ps.setBoolean(6, cr.userVerified());
            ps.setLong(7, cr.createdAt().toEpochMilli());
            if (cr.lastUsedAt() == null) ps.setNull(8, Types.BIGINT); else ps.setLong(8, cr.lastUsedAt().toEpochMilli());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) return false;
            throw new AuthStoreException("add WebAuthn credential", e);
        }
    }

    @Override
    public Optional<WebAuthnCredential> findCredential(String credentialId) {
        List<WebAuthnCredential> found = query("SELECT " + COLUMNS + " FROM bulwark_auth_webauthn_credential WHERE credential_id = ?", credentialId);
        return found.stream().findFirst();
    }

    @Override
    public List<WebAuthnCredential> credentials(String userId) {
        return query("SELECT " + COLUMNS + " FROM bulwark_auth_webauthn_credential WHERE user_id = ? ORDER BY created_at, credential_id", userId);
    }

    private List<WebAuthnCredential> query(String sql, String arg) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            List<WebAuthnCredential> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long used = rs.getLong(8);
                    Instant lastUsed = rs.wasNull() ? null : Instant.ofEpochMilli(used);
                    out.add(new WebAuthnCredential(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), rs.getBoolean(6), Instant.ofEpochMilli(rs.getLong(7)), lastUsed));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new AuthStoreException("read WebAuthn credentials", e);
        }
    }

    @Override
    public boolean updateSignCount(String credentialId, long expectedCount, long newCount, long usedAtMillis) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE bulwark_auth_webauthn_credential SET sign_count = ?, last_used_at = ? WHERE credential_id = ? AND sign_count = ?")) {
            ps.setLong(1, newCount);
            ps.setLong(2, usedAtMillis);
            ps.setString(3, credentialId);
            ps.setLong(4, expectedCount);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new AuthStoreException("update WebAuthn sign count", e);
        }
    }

    @Override
    public boolean removeCredential(String userId, String credentialId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM bulwark_auth_webauthn_credential WHERE user_id = ? AND credential_id = ?")) {
            ps.setString(1, userId);
            ps.setString(2, credentialId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new AuthStoreException("remove WebAuthn credential", e);
        }
    }

    @Override
    public void deleteUser(String userId) {
        try (Connection c = dataSource.getConnection()) {
            for (String sql : new String[] {"DELETE FROM bulwark_auth_webauthn_credential WHERE user_id = ?", "DELETE FROM bulwark_auth_webauthn_challenge WHERE user_id = ?"}) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, userId);
                    ps.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new AuthStoreException("delete WebAuthn state", e);
        }
    }
}
