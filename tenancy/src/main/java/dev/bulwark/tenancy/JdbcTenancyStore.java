package dev.bulwark.tenancy;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Workspaces and memberships in SQL tables ({@code bulwark_workspaces}, {@code bulwark_memberships}); portable SQL
 * for PostgreSQL and H2. DDL: resource {@value #DDL_RESOURCE}, or call {@link #createTablesIfMissing()}.
 *
 * <p>Membership changes lock the workspace row ({@code SELECT ... FOR UPDATE}) so two concurrent demotions cannot
 * leave a workspace without an owner.
 */
public final class JdbcTenancyStore implements TenancyStore {
    public static final String DDL_RESOURCE = "/dev/bulwark/tenancy/tenancy.sql";

    private final DataSource dataSource;

    public JdbcTenancyStore(DataSource dataSource) {
        if (dataSource == null) throw new IllegalArgumentException("dataSource must not be null");
        this.dataSource = dataSource;
    }

    /** Runs the bundled DDL ({@code CREATE TABLE IF NOT EXISTS}). */
    public JdbcTenancyStore createTablesIfMissing() {
        runScript(dataSource, DDL_RESOURCE);
        return this;
    }

    static void runScript(DataSource dataSource, String resource) {
        String ddl;
        try (InputStream in = JdbcTenancyStore.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TenancyException(TenancyException.Reason.STORAGE, "cannot read " + resource, e);
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String stmt : ddl.replaceAll("(?m)^--.*$", "").split(";")) {
                String sql = stmt.trim();
                if (!sql.isEmpty()) s.execute(sql);
            }
        } catch (SQLException e) {
            throw storage("create tables", e);
        }
    }

    @Override
    public boolean createWorkspace(Workspace ws, Membership owner) {
        try (Connection c = dataSource.getConnection()) {
            return inTransaction(c, () -> {
                try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM bulwark_workspaces WHERE id = ?")) {
                    exists.setString(1, ws.id());
                    try (ResultSet rs = exists.executeQuery()) {
                        if (rs.next()) return false;
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO bulwark_workspaces (id, name, created_at_ms) VALUES (?, ?, ?)")) {
                    ps.setString(1, ws.id());
                    ps.setString(2, ws.name());
                    ps.setLong(3, ws.createdAt().toEpochMilli());
                    ps.executeUpdate();
                }
                insertMembership(c, owner);
                return true;
            });
        } catch (SQLException e) {
            if (isUniqueViolation(e)) return false;
            throw storage("create workspace", e);
        }
    }

    @Override
    public Optional<Workspace> workspace(String workspaceId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, name, created_at_ms, deleted_at_ms, shredded_at_ms, "
                     + "shredded_keysets FROM bulwark_workspaces WHERE id = ?")) {
            ps.setString(1, workspaceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                String keysets = rs.getString(6);
                return Optional.of(new Workspace(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                        instant(rs, 4), instant(rs, 5),
                        keysets == null || keysets.isEmpty() ? List.of() : Arrays.asList(keysets.split(","))));
            }
        } catch (SQLException e) {
            throw storage("read workspace", e);
        }
    }

    @Override
    public Optional<Membership> membership(String workspaceId, String memberId) {
        List<Membership> l = queryMemberships("workspace_id = ? AND member_id = ?", workspaceId, memberId);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    @Override
    public List<Membership> memberships(String workspaceId) {
        return queryMemberships("workspace_id = ?", workspaceId);
    }

    @Override
    public List<Membership> membershipsOf(String memberId) {
        return queryMemberships("member_id = ?", memberId);
    }

    private List<Membership> queryMemberships(String where, String... args) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT workspace_id, member_id, role, created_at_ms "
                     + "FROM bulwark_memberships WHERE " + where + " ORDER BY created_at_ms, member_id")) {
            for (int i = 0; i < args.length; i++) ps.setString(i + 1, args[i]);
            List<Membership> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Role role = Role.parse(rs.getString(3));
                    if (role == null) continue; // an unknown role grants nothing
                    out.add(new Membership(rs.getString(1), rs.getString(2), role, Instant.ofEpochMilli(rs.getLong(4))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw storage("read memberships", e);
        }
    }

    @Override
    public boolean addMembership(Membership m) {
        try (Connection c = dataSource.getConnection()) {
            return inTransaction(c, () -> {
                Boolean alive = lockWorkspace(c, m.workspaceId());
                if (alive == null || !alive) return false;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT 1 FROM bulwark_memberships WHERE workspace_id = ? AND member_id = ?")) {
                    ps.setString(1, m.workspaceId());
                    ps.setString(2, m.memberId());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) return false;
                    }
                }
                insertMembership(c, m);
                return true;
            });
        } catch (SQLException e) {
            if (isUniqueViolation(e)) return false;
            throw storage("add membership", e);
        }
    }

    @Override
    public Change changeMembership(String workspaceId, String memberId, Role newRole) {
        try (Connection c = dataSource.getConnection()) {
            return inTransaction(c, () -> {
                if (lockWorkspace(c, workspaceId) == null) return Change.NO_SUCH_MEMBER;
                Role current = null;
                long owners = 0;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT member_id, role FROM bulwark_memberships WHERE workspace_id = ?")) {
                    ps.setString(1, workspaceId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Role r = Role.parse(rs.getString(2));
                            if (r == Role.OWNER) owners++;
                            if (rs.getString(1).equals(memberId)) current = r;
                        }
                    }
                }
                if (current == null) return Change.NO_SUCH_MEMBER;
                if (current == Role.OWNER && newRole != Role.OWNER && owners <= 1) return Change.LAST_OWNER;
                String sql = newRole == null
                        ? "DELETE FROM bulwark_memberships WHERE workspace_id = ? AND member_id = ?"
                        : "UPDATE bulwark_memberships SET role = ? WHERE workspace_id = ? AND member_id = ?";
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int i = 1;
                    if (newRole != null) ps.setString(i++, newRole.name());
                    ps.setString(i++, workspaceId);
                    ps.setString(i, memberId);
                    ps.executeUpdate();
                }
                return Change.DONE;
            });
        } catch (SQLException e) {
            throw storage("change membership", e);
        }
    }

    @Override
    public boolean markDeleted(String workspaceId, Instant at) {
        try (Connection c = dataSource.getConnection()) {
            return inTransaction(c, () -> {
                Boolean alive = lockWorkspace(c, workspaceId);
                if (alive == null || !alive) return false;
                try (PreparedStatement del = c.prepareStatement("DELETE FROM bulwark_memberships WHERE workspace_id = ?");
                     PreparedStatement upd = c.prepareStatement(
                             "UPDATE bulwark_workspaces SET deleted_at_ms = ? WHERE id = ? AND deleted_at_ms IS NULL")) {
                    del.setString(1, workspaceId);
                    del.executeUpdate();
                    upd.setLong(1, at.toEpochMilli());
                    upd.setString(2, workspaceId);
                    return upd.executeUpdate() == 1;
                }
            });
        } catch (SQLException e) {
            throw storage("delete workspace", e);
        }
    }

    @Override
    public void recordShredded(String workspaceId, List<String> keysetIds, Instant at) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE bulwark_workspaces SET shredded_at_ms = ?, shredded_keysets = ? WHERE id = ?")) {
            ps.setLong(1, at.toEpochMilli());
            ps.setString(2, String.join(",", keysetIds));
            ps.setString(3, workspaceId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw storage("record shredding", e);
        }
    }

    @Override
    public List<Workspace> awaitingShredding() {
        List<String> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id FROM bulwark_workspaces WHERE deleted_at_ms IS NOT NULL AND shredded_at_ms IS NULL ORDER BY id")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw storage("list deleted workspaces", e);
        }
        List<Workspace> out = new ArrayList<>();
        for (String id : ids) workspace(id).ifPresent(out::add);
        return out;
    }

    /** Locks the workspace row; returns null if absent, false if deleted, true if alive. */
    private static Boolean lockWorkspace(Connection c, String workspaceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT deleted_at_ms FROM bulwark_workspaces WHERE id = ? FOR UPDATE")) {
            ps.setString(1, workspaceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                rs.getLong(1);
                return rs.wasNull();
            }
        }
    }

    private static void insertMembership(Connection c, Membership m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO bulwark_memberships (workspace_id, member_id, role, created_at_ms) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, m.workspaceId());
            ps.setString(2, m.memberId());
            ps.setString(3, m.role().name());
            ps.setLong(4, m.since().toEpochMilli());
            ps.executeUpdate();
        }
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    interface SqlWork<T> {
        T run() throws SQLException;
    }

    static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    static TenancyException storage(String what, SQLException e) {
        return new TenancyException(TenancyException.Reason.STORAGE, "tenancy store: cannot " + what
                + " (SQLState " + e.getSQLState() + ")", e);
    }

    @Override
    public String toString() {
        return "JdbcTenancyStore";
    }
}
