package dev.bulwark.auth.sso;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Started sign-ins in table {@code bulwark_sso_login_attempt} (see {@link SsoStoreSchema}), shared by every app node.
 * {@link #consume} reads the row and then deletes it; only the caller whose DELETE removed the row gets it, so of two
 * concurrent callbacks for one attempt exactly one proceeds, on PostgreSQL and H2 alike.
 */
public final class JdbcLoginAttemptStore implements LoginAttemptStore {
    private final DataSource dataSource;

    public JdbcLoginAttemptStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public void save(PendingLogin a) {
        Objects.requireNonNull(a, "attempt");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO bulwark_sso_login_attempt (state_hash, workspace_id,"
                     + " binding_hash, nonce, code_verifier, redirect_uri, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, a.stateHash());
            ps.setString(2, a.workspaceId());
            ps.setString(3, a.bindingHash());
            ps.setString(4, a.nonce());
            ps.setString(5, a.codeVerifier());
            ps.setString(6, a.redirectUri());
            ps.setLong(7, a.expiresAt().getEpochSecond());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new SsoStoreException("cannot record a sign-in attempt: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<PendingLogin> consume(String stateHash, Instant now) {
        if (stateHash == null) return Optional.empty();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            PendingLogin found;
            try (PreparedStatement ps = c.prepareStatement("SELECT workspace_id, binding_hash, nonce, code_verifier,"
                    + " redirect_uri, expires_at FROM bulwark_sso_login_attempt WHERE state_hash = ?")) {
                ps.setString(1, stateHash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    found = new PendingLogin(stateHash, rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), Instant.ofEpochSecond(rs.getLong(6)));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM bulwark_sso_login_attempt WHERE state_hash = ?")) {
                ps.setString(1, stateHash);
                if (ps.executeUpdate() != 1) return Optional.empty(); // another node consumed it first
            }
            return found.expiresAt().isBefore(now) ? Optional.empty() : Optional.of(found);
        } catch (SQLException e) {
            throw new SsoStoreException("cannot read a sign-in attempt: " + e.getMessage(), e);
        }
    }

    @Override
    public int purgeExpired(Instant now) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM bulwark_sso_login_attempt WHERE expires_at < ?")) {
            ps.setLong(1, now.getEpochSecond());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new SsoStoreException("cannot purge sign-in attempts: " + e.getMessage(), e);
        }
    }
}
