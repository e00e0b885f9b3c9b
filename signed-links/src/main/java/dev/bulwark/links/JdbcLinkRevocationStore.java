package dev.bulwark.links;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;

/** Revocation versions in table {@code bulwark_link_revocation} (see {@link LinkStoreSchema}). */
public final class JdbcLinkRevocationStore implements LinkRevocationStore {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int ATTEMPTS = 5;
    private final DataSource dataSource;

    public JdbcLinkRevocationStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public long currentVersion(String workspaceId, String resourceId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT version FROM bulwark_link_revocation WHERE workspace_id = ? AND resource_id = ?")) {
            ps.setString(1, workspaceId);
            ps.setString(2, resourceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        } catch (SQLException e) {
            throw new LinkStoreException("cannot read a link revocation version: " + e.getMessage(), e);
        }
    }

    @Override
    public long revokeAll(String workspaceId, String resourceId) {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(resourceId, "resourceId");
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                    Long v = bump(c, workspaceId, resourceId);
                    if (v != null) {
                        c.commit();
                        return v;
                    }
                    try (PreparedStatement ins = c.prepareStatement(
                            "INSERT INTO bulwark_link_revocation (workspace_id, resource_id, version) VALUES (?, ?, 1)")) {
                        ins.setString(1, workspaceId);
                        ins.setString(2, resourceId);
                        ins.executeUpdate();
                        c.commit();
                        return 1L;
                    } catch (SQLException e) {
                        c.rollback();
                        // Another node inserted the first row concurrently: go round and bump it.
                        if (!UNIQUE_VIOLATION.equals(e.getSQLState())) throw e;
                    }
                }
                throw new SQLException("revocation row kept changing under us");
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new LinkStoreException("cannot revoke links: " + e.getMessage(), e);
        }
    }

    /** Increments an existing row (locking it until commit) and returns the new version, or null if none. */
    private static Long bump(Connection c, String workspaceId, String resourceId) throws SQLException {
        try (PreparedStatement up = c.prepareStatement(
                "UPDATE bulwark_link_revocation SET version = version + 1 WHERE workspace_id = ? AND resource_id = ?")) {
            up.setString(1, workspaceId);
            up.setString(2, resourceId);
            if (up.executeUpdate() == 0) return null;
        }
        try (PreparedStatement sel = c.prepareStatement(
                "SELECT version FROM bulwark_link_revocation WHERE workspace_id = ? AND resource_id = ?")) {
            sel.setString(1, workspaceId);
            sel.setString(2, resourceId);
            try (ResultSet rs = sel.executeQuery()) {
                if (!rs.next()) throw new SQLException("revocation row vanished");
                return rs.getLong(1);
            }
        }
    }
}
