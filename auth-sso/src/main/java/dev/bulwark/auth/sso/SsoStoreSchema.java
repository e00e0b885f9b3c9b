package dev.bulwark.auth.sso;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The tables of the JDBC sign-in store. The DDL ships as {@code dev/bulwark/auth/sso/schema.sql} (portable SQL for
 * PostgreSQL and H2) for use in your own migrations; {@link #create(DataSource)} applies it idempotently.
 */
public final class SsoStoreSchema {
    public static final String RESOURCE = "/dev/bulwark/auth/sso/schema.sql";

    private SsoStoreSchema() {}

    /** The DDL text. */
    public static String ddl() {
        try (InputStream in = SsoStoreSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the tables and indexes if they do not exist. */
    public static void create(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String stmt : ddl().replaceAll("(?m)^\\s*--.*$", "").split(";")) {
                String sql = stmt.trim();
                if (!sql.isEmpty()) s.execute(sql);
            }
        } catch (SQLException e) {
            throw new SsoStoreException("cannot create the sign-in store tables: " + e.getMessage(), e);
        }
    }
}
