package dev.bulwark.upload;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Upload metadata in table {@code bulwark_upload} (see {@link UploadStoreSchema}); PostgreSQL or H2. */
public final class JdbcUploadMetadataStore implements UploadMetadataStore {
    private static final String COLUMNS =
            "blob_id, workspace_id, purpose, content_type, size_bytes, display_name, uploaded_by, created_at";
    private final DataSource dataSource;

    public JdbcUploadMetadataStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public void insert(UploadRecord r) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO bulwark_upload (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, r.id().value());
            ps.setString(2, r.workspaceId());
            ps.setString(3, r.purpose());
            ps.setString(4, r.contentType());
            ps.setLong(5, r.size());
            ps.setString(6, r.encryptedDisplayName());
            if (r.uploadedBy() == null) ps.setNull(7, Types.VARCHAR); else ps.setString(7, r.uploadedBy());
            ps.setLong(8, r.createdAt().toEpochMilli());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new UploadStoreException("cannot record upload " + r.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<UploadRecord> find(BlobId id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM bulwark_upload WHERE blob_id = ?")) {
            ps.setString(1, id.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new UploadStoreException("cannot read upload " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<UploadRecord> listWorkspace(String workspaceId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                     + " FROM bulwark_upload WHERE workspace_id = ? ORDER BY created_at, blob_id")) {
            ps.setString(1, workspaceId);
            List<UploadRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(row(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new UploadStoreException("cannot list uploads: " + e.getMessage(), e);
        }
    }

    /** One aggregate over the {@code (workspace_id, uploaded_by)} index: constant work per upload, however many files the workspace holds. */
    @Override
    public UploadUsage usage(String workspaceId, String uploadedBy, String purpose) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(size_bytes), 0) FROM bulwark_upload"
                     + " WHERE workspace_id = ? AND uploaded_by = ? AND purpose = ?")) {
            ps.setString(1, workspaceId);
            ps.setString(2, uploadedBy);
            ps.setString(3, purpose);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new UploadUsage(rs.getLong(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new UploadStoreException("cannot count uploads: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean delete(BlobId id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM bulwark_upload WHERE blob_id = ?")) {
            ps.setString(1, id.value());
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new UploadStoreException("cannot delete upload " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int deleteWorkspace(String workspaceId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM bulwark_upload WHERE workspace_id = ?")) {
            ps.setString(1, workspaceId);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new UploadStoreException("cannot delete a workspace's uploads: " + e.getMessage(), e);
        }
    }

    private static UploadRecord row(ResultSet rs) throws SQLException {
        return new UploadRecord(new BlobId(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getLong(5), rs.getString(6), rs.getString(7), Instant.ofEpochMilli(rs.getLong(8)));
    }
}
