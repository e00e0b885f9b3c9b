package dev.bulwark.auth.login;

import dev.bulwark.auth.AuthStoreException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * Login state in a relational database (portable SQL, tested on PostgreSQL and H2). Updates run in a transaction
 * holding {@code SELECT ... FOR UPDATE} on the row, so concurrent nodes never lose a failure.
 */
public final class JdbcLoginStateStore implements LoginStateStore {
    private static final String SELECT = "SELECT failures, first_failure_at, locked_until, lockouts, last_lockout_at FROM bulwark_auth_attempt WHERE attempt_key = ?";
    private final DataSource dataSource;

    public JdbcLoginStateStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public AttemptState get(String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? read(rs) : AttemptState.EMPTY;
            }
        } catch (SQLException e) {
            throw new AuthStoreException("read login attempt state", e);
        }
    }

    @Override
    public AttemptState update(String key, UnaryOperator<AttemptState> update) {
        for (int attempt = 0; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                boolean auto = c.getAutoCommit();
                c.setAutoCommit(false);
                try {
                    AttemptState current = null;
                    try (PreparedStatement ps = c.prepareStatement(SELECT + " FOR UPDATE")) {
                        ps.setString(1, key);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (rs.next()) current = read(rs);
                        }
                    }
                    AttemptState next = update.apply(current == null ? AttemptState.EMPTY : current);
                    if (next == null || next.isEmpty()) {
                        if (current != null) {
                            try (PreparedStatement ps = c.prepareStatement("DELETE FROM bulwark_auth_attempt WHERE attempt_key = ?")) {
                                ps.setString(1, key);
                                ps.executeUpdate();
                            }
                        }
                        next = AttemptState.EMPTY;
                    } else if (current == null) {
                        try (PreparedStatement ps = c.prepareStatement("INSERT INTO bulwark_auth_attempt (failures, first_failure_at, locked_until, lockouts, last_lockout_at, attempt_key) VALUES (?, ?, ?, ?, ?, ?)")) {
                            bind(ps, next, key);
                            ps.executeUpdate();
                        }
                    } else {
                        try (PreparedStatement ps = c.prepareStatement("UPDATE bulwark_auth_attempt SET failures = ?, first_failure_at = ?, locked_until = ?, lockouts = ?, last_lockout_at = ? WHERE attempt_key = ?")) {
                            bind(ps, next, key);
                            ps.executeUpdate();
                        }
                    }
                    c.commit();
                    return next;
                } catch (SQLException e) {
                    c.rollback();
                    // Two nodes inserted the first row at once: retry, the row now exists and will be locked.
                    if (isUniqueViolation(e) && attempt < 3) continue;
                    throw e;
                } finally {
                    c.setAutoCommit(auto);
                }
            } catch (SQLException e) {
                throw new AuthStoreException("update login attempt state", e);
            }
        }
    }

    @Override
    public void delete(String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM bulwark_auth_attempt WHERE attempt_key = ?")) {
            ps.setString(1, key);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new AuthStoreException("delete login attempt state", e);
        }
    }

    @Override
    public AddressHistory rememberAddress(String account, String address, Instant now) {
        try (Connection c = dataSource.getConnection()) {
            boolean any;
            try (PreparedStatement ps = c.prepareStatement("SELECT address FROM bulwark_auth_known_address WHERE account_key = ? AND address = ?")) {
                ps.setString(1, account);
                ps.setString(2, address);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) return AddressHistory.KNOWN;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM bulwark_auth_known_address WHERE account_key = ?")) {
                ps.setString(1, account);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    any = rs.getLong(1) > 0;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bulwark_auth_known_address (account_key, address, first_seen) VALUES (?, ?, ?)")) {
                ps.setString(1, account);
                ps.setString(2, address);
                ps.setLong(3, now.toEpochMilli());
                ps.executeUpdate();
            } catch (SQLException e) {
                if (isUniqueViolation(e)) return AddressHistory.KNOWN;
                throw e;
            }
            return any ? AddressHistory.NEW : AddressHistory.FIRST_FOR_ACCOUNT;
        } catch (SQLException e) {
            throw new AuthStoreException("remember login address", e);
        }
    }

    private static AttemptState read(ResultSet rs) throws SQLException {
        return new AttemptState(rs.getInt(1), Instant.ofEpochMilli(rs.getLong(2)), Instant.ofEpochMilli(rs.getLong(3)),
                rs.getInt(4), Instant.ofEpochMilli(rs.getLong(5)));
    }

    private static void bind(PreparedStatement ps, AttemptState s, String key) throws SQLException {
        ps.setInt(1, s.failures());
        ps.setLong(2, s.firstFailureAt().toEpochMilli());
        ps.setLong(3, s.lockedUntil().toEpochMilli());
        ps.setInt(4, s.lockouts());
        ps.setLong(5, s.lastLockoutAt().toEpochMilli());
        ps.setString(6, key);
    }

    static boolean isUniqueViolation(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if ("23505".equals(x.getSQLState())) return true;
        }
        return e.getCause() instanceof SQLException s && "23505".equals(s.getSQLState());
    }
}
