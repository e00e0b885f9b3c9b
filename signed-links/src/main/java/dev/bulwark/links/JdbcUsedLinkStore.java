package dev.bulwark.links;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;

/**
 * Used single-use token ids in table {@code bulwark_used_link} (see {@link LinkStoreSchema}). The primary key
 * makes {@link #markUsed} atomic across app nodes: of two concurrent redemptions exactly one insert succeeds.
 */
public final class JdbcUsedLinkStore implements UsedLinkStore {
    private static final String UNIQUE_VIOLATION = "23505";
    private final DataSource dataSource;

    public JdbcUsedLinkStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public boolean markUsed(String tokenId, Instant keepUntil) {
        Objects.requireNonNull(tokenId, "tokenId");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO bulwark_used_link (token_id, keep_until) VALUES (?, ?)")) {
                ps.setString(1, tokenId);
                ps.setLong(2, keepUntil.getEpochSecond());
                ps.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) throw e;
                return false;
            }
        } catch (SQLException e) {
            throw new LinkStoreException("cannot record a used link: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isUsed(String tokenId, Instant now) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT 1 FROM bulwark_used_link WHERE token_id = ? AND keep_until >= ?")) {
            ps.setString(1, tokenId);
            ps.setLong(2, now.getEpochSecond());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new LinkStoreException("cannot read used links: " + e.getMessage(), e);
        }
    }

    @Override
    public int purgeExpired(Instant now) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM bulwark_used_link WHERE keep_until < ?")) {
            ps.setLong(1, now.getEpochSecond());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new LinkStoreException("cannot purge used links: " + e.getMessage(), e);
        }
    }
}
