package dev.bulwark.crypto;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Keysets in a SQL table ({@code bulwark_keysets}); portable SQL that runs on PostgreSQL and H2. The DDL is the
 * resource {@code dev/bulwark/crypto/keysets.sql}; run it with your migrations or call {@link #createTableIfMissing()}.
 */
public final class JdbcKeysetStore implements KeysetStore {
    /** Classpath location of the DDL. */
    public static final String DDL_RESOURCE = "/dev/bulwark/crypto/keysets.sql";

    private final DataSource dataSource;

    public JdbcKeysetStore(DataSource dataSource) {
        if (dataSource == null) throw new IllegalArgumentException("dataSource must not be null");
        this.dataSource = dataSource;
    }

    /** Runs the bundled DDL ({@code CREATE TABLE IF NOT EXISTS}). */
    public JdbcKeysetStore createTableIfMissing() {
        String ddl;
        try (InputStream in = JdbcKeysetStore.class.getResourceAsStream(DDL_RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + DDL_RESOURCE);
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KeyringException(KeyringException.Reason.STORAGE, "cannot read " + DDL_RESOURCE, e);
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String stmt : ddl.split(";")) {
                String sql = stmt.replaceAll("(?m)^--.*$", "").trim();
                if (!sql.isEmpty()) s.execute(sql);
            }
        } catch (SQLException e) {
            throw storage("create table", e);
        }
        return this;
    }

    @Override
    public Optional<StoredKeyset> find(String name) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT keyset_b64, version, destroyed_at_ms FROM bulwark_keysets WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                String b64 = rs.getString(1);
                return Optional.of(new StoredKeyset(name, b64 == null ? null : Base64.getDecoder().decode(b64),
                        rs.getLong(2), rs.getLong(3)));
            }
        } catch (SQLException e) {
            throw storage("read keyset " + name, e);
        }
    }

    @Override
    public boolean insert(String name, byte[] encryptedKeyset) {
        if (find(name).isPresent()) return false;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO bulwark_keysets (name, keyset_b64, version, updated_at_ms, destroyed_at_ms) VALUES (?, ?, 1, ?, 0)")) {
            ps.setString(1, name);
            ps.setString(2, Base64.getEncoder().encodeToString(encryptedKeyset));
            ps.setLong(3, System.currentTimeMillis());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            // a concurrent insert of the same name loses on the primary key: that is "exists", not a failure
            if (isUniqueViolation(e)) return false;
            throw storage("insert keyset " + name, e);
        }
    }

    @Override
    public boolean update(String name, byte[] encryptedKeyset, long expectedVersion) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE bulwark_keysets SET keyset_b64 = ?, version = version + 1, updated_at_ms = ? "
                             + "WHERE name = ? AND version = ? AND keyset_b64 IS NOT NULL")) {
            ps.setString(1, Base64.getEncoder().encodeToString(encryptedKeyset));
            ps.setLong(2, System.currentTimeMillis());
            ps.setString(3, name);
            ps.setLong(4, expectedVersion);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw storage("update keyset " + name, e);
        }
    }

    @Override
    public boolean markDestroyed(String name, long atEpochMillis) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE bulwark_keysets SET keyset_b64 = NULL, version = version + 1, updated_at_ms = ?, destroyed_at_ms = ? WHERE name = ?")) {
            ps.setLong(1, atEpochMillis);
            ps.setLong(2, atEpochMillis);
            ps.setString(3, name);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw storage("destroy keyset " + name, e);
        }
    }

    @Override
    public List<String> names() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name FROM bulwark_keysets ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        } catch (SQLException e) {
            throw storage("list keysets", e);
        }
    }

    private static boolean isUniqueViolation(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("23");
    }

    private static KeyringException storage(String what, SQLException e) {
        return new KeyringException(KeyringException.Reason.STORAGE,
                "keyset store: cannot " + what + " (SQLState " + e.getSQLState() + ")", e);
    }

    @Override
    public String toString() {
        return "JdbcKeysetStore";
    }
}
