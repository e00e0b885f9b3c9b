package dev.bulwark.webhook;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The table of {@link JdbcSeenEventStore}. The DDL ships as {@code dev/bulwark/webhook/schema.sql} (portable SQL
 * for PostgreSQL and H2) for your own migrations; {@link #create(DataSource)} applies it idempotently.
 */
public final class WebhookStoreSchema {
    public static final String RESOURCE = "/dev/bulwark/webhook/schema.sql";

    private WebhookStoreSchema() {}

    public static String ddl() {
        try (InputStream in = WebhookStoreSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void create(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String stmt : ddl().replaceAll("(?m)^\\s*--.*$", "").split(";")) {
                String sql = stmt.trim();
                if (!sql.isEmpty()) s.execute(sql);
            }
        } catch (SQLException e) {
            throw new WebhookStoreException("cannot create the webhook store table: " + e.getMessage(), e);
        }
    }
}
