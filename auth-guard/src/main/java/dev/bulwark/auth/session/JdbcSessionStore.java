package dev.bulwark.auth.session;

import dev.bulwark.auth.AuthStoreException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Sessions in a relational database (portable SQL, tested on PostgreSQL and H2). */
public final class JdbcSessionStore implements SessionStore {
    private static final String COLUMNS = "session_id, token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent";
    private final DataSource dataSource;

    public JdbcSessionStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void insert(SessionRecord s) {
        update("insert session", "INSERT INTO bulwark_auth_session (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                s.sessionId(), s.tokenHash(), s.userId(), s.createdAt().toEpochMilli(), s.lastSeenAt().toEpochMilli(),
                s.expiresAt().toEpochMilli(), s.ipAddress(), s.userAgent());
    }

    @Override
    public Optional<SessionRecord> findByTokenHash(String tokenHash) {
        List<SessionRecord> l = query("find session", "SELECT " + COLUMNS + " FROM bulwark_auth_session WHERE token_hash = ?", tokenHash);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    @Override
    public List<SessionRecord> findByUser(String userId) {
        return query("list sessions", "SELECT " + COLUMNS + " FROM bulwark_auth_session WHERE user_id = ? ORDER BY created_at, session_id", userId);
    }

    @Override
    public void touch(String sessionId, Instant lastSeenAt) {
        long t = lastSeenAt.toEpochMilli();
        update("touch session", "UPDATE bulwark_auth_session SET last_seen_at = ? WHERE session_id = ? AND last_seen_at < ?", t, sessionId, t);
    }

    @Override
    public boolean replaceTokenHash(String sessionId, String expectedOldHash, String newHash, Instant now) {
        return update("rotate session", "UPDATE bulwark_auth_session SET token_hash = ?, last_seen_at = ? WHERE session_id = ? AND token_hash = ?",
                newHash, now.toEpochMilli(), sessionId, expectedOldHash) == 1;
    }

    @Override
    public boolean delete(String sessionId) {
        return update("revoke session", "DELETE FROM bulwark_auth_session WHERE session_id = ?", sessionId) == 1;
    }

    @Override
    public int deleteByUser(String userId, String keepSessionId) {
        if (keepSessionId == null) return update("revoke user sessions", "DELETE FROM bulwark_auth_session WHERE user_id = ?", userId);
        return update("revoke user sessions", "DELETE FROM bulwark_auth_session WHERE user_id = ? AND session_id <> ?", userId, keepSessionId);
    }

    @Override
    public int deleteExpired(Instant now, Duration idleTimeout) {
        long n = now.toEpochMilli();
        return update("purge sessions", "DELETE FROM bulwark_auth_session WHERE expires_at <= ? OR last_seen_at <= ?", n, n - idleTimeout.toMillis());
    }

    private int update(String what, String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new AuthStoreException(what, e);
        }
    }

    private List<SessionRecord> query(String what, String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<SessionRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SessionRecord(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)),
                            Instant.ofEpochMilli(rs.getLong(5)), Instant.ofEpochMilli(rs.getLong(6)), rs.getString(7), rs.getString(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new AuthStoreException(what, e);
        }
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) ps.setNull(i + 1, java.sql.Types.VARCHAR);
            else if (a instanceof Long l) ps.setLong(i + 1, l);
            else if (a instanceof Integer n) ps.setInt(i + 1, n);
            else ps.setString(i + 1, a.toString());
        }
    }
}
