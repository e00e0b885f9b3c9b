package dev.bulwark.auth.totp;

import dev.bulwark.auth.AuthStoreException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Second-factor state in a relational database (portable SQL, tested on PostgreSQL and H2). */
public final class JdbcMfaStore implements MfaStore {
    private final DataSource dataSource;

    public JdbcMfaStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean advanceStep(String userId, long step) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE bulwark_auth_totp_step SET last_step = ? WHERE user_id = ? AND last_step < ?")) {
                ps.setLong(1, step);
                ps.setString(2, userId);
                ps.setLong(3, step);
                if (ps.executeUpdate() == 1) return true;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bulwark_auth_totp_step (user_id, last_step) VALUES (?, ?)")) {
                ps.setString(1, userId);
                ps.setLong(2, step);
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) return false; // a row exists with a later or equal step
                throw e;
            }
        } catch (SQLException e) {
            throw new AuthStoreException("record TOTP step", e);
        }
    }

    @Override
    public void replaceRecoveryCodes(String userId, List<String> codeHashes) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM bulwark_auth_recovery_code WHERE user_id = ?")) {
                    ps.setString(1, userId);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO bulwark_auth_recovery_code (user_id, code_hash) VALUES (?, ?)")) {
                    for (String h : codeHashes) {
                        ps.setString(1, userId);
                        ps.setString(2, h);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new AuthStoreException("replace recovery codes", e);
        }
    }

    @Override
    public boolean consumeRecoveryCode(String userId, String codeHash) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM bulwark_auth_recovery_code WHERE user_id = ? AND code_hash = ?")) {
            ps.setString(1, userId);
            ps.setString(2, codeHash);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new AuthStoreException("consume recovery code", e);
        }
    }

    @Override
    public int countRecoveryCodes(String userId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM bulwark_auth_recovery_code WHERE user_id = ?")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new AuthStoreException("count recovery codes", e);
        }
    }

    @Override
    public void deleteUser(String userId) {
        try (Connection c = dataSource.getConnection()) {
            for (String sql : new String[] {"DELETE FROM bulwark_auth_totp_step WHERE user_id = ?", "DELETE FROM bulwark_auth_recovery_code WHERE user_id = ?"}) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, userId);
                    ps.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new AuthStoreException("delete MFA state", e);
        }
    }
}
