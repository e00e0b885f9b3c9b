package dev.bulwark.auth.apikey;

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

/** API keys in a relational database (portable SQL, tested on PostgreSQL and H2). */
public final class JdbcApiKeyStore implements ApiKeyStore {
    private static final String COLUMNS = "key_id, owner_id, secret_hash, last4, scope, label, created_at, expires_at, last_used_at, revoked_at";
    private final DataSource dataSource;

    public JdbcApiKeyStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void insert(ApiKeyRecord k) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO bulwark_auth_api_key (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, k.keyId());
            ps.setString(2, k.ownerId());
            ps.setString(3, k.secretHash());
            ps.setString(4, k.last4());
            ps.setString(5, k.scope().name());
            ps.setString(6, k.label());
            ps.setLong(7, k.createdAt().toEpochMilli());
            time(ps, 8, k.expiresAt());
            time(ps, 9, k.lastUsedAt());
            time(ps, 10, k.revokedAt());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new AuthStoreException("insert API key", e);
        }
    }

    @Override
    public Optional<ApiKeyRecord> find(String keyId) {
        List<ApiKeyRecord> l = query("SELECT " + COLUMNS + " FROM bulwark_auth_api_key WHERE key_id = ?", keyId);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    @Override
    public List<ApiKeyRecord> findByOwner(String ownerId) {
        return query("SELECT " + COLUMNS + " FROM bulwark_auth_api_key WHERE owner_id = ? ORDER BY created_at, key_id", ownerId);
    }

    @Override
    public void markUsed(String keyId, Instant at) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE bulwark_auth_api_key SET last_used_at = ? WHERE key_id = ?")) {
            ps.setLong(1, at.toEpochMilli());
            ps.setString(2, keyId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new AuthStoreException("mark API key used", e);
        }
    }

    @Override
    public boolean revoke(String ownerId, String keyId, Instant at) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE bulwark_auth_api_key SET revoked_at = ? WHERE key_id = ? AND owner_id = ? AND revoked_at IS NULL")) {
            ps.setLong(1, at.toEpochMilli());
            ps.setString(2, keyId);
            ps.setString(3, ownerId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new AuthStoreException("revoke API key", e);
        }
    }

    private List<ApiKeyRecord> query(String sql, String arg) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            List<ApiKeyRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ApiKeyRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            ApiKeyScope.valueOf(rs.getString(5)), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)),
                            time(rs, 8), time(rs, 9), time(rs, 10)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new AuthStoreException("read API keys", e);
        }
    }

    private static void time(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, t.toEpochMilli());
    }

    private static Instant time(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
