package dev.bulwark.auth;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The DDL of every JDBC store in this module, shipped as {@code dev/bulwark/auth/schema.sql} (portable SQL that
 * runs on PostgreSQL and H2). Applications using a migration tool copy that file into their migrations;
 * {@link #create(DataSource)} applies it directly (idempotent: {@code CREATE ... IF NOT EXISTS}).
 */
public final class AuthSchema {
    /** Class-path location of the portable DDL for the JDBC stores. */
    public static final String RESOURCE = "/dev/bulwark/auth/schema.sql";
    /** Class-path location of the PostgreSQL-only table used by the Bucket4j PostgreSQL rate-limit backend. */
    public static final String RATE_LIMIT_POSTGRESQL_RESOURCE = "/dev/bulwark/auth/rate-limit-postgresql.sql";

    private AuthSchema() {}

    /** Creates every auth-guard table that does not exist yet. */
    public static void create(DataSource dataSource) {
        apply(dataSource, RESOURCE);
    }

    /** Creates the Bucket4j bucket table (PostgreSQL only). */
    public static void createRateLimitTable(DataSource dataSource) {
        apply(dataSource, RATE_LIMIT_POSTGRESQL_RESOURCE);
    }

    private static void apply(DataSource dataSource, String resource) {
        String ddl;
        try (InputStream in = AuthSchema.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String stmt : stripComments(ddl).split(";")) {
                String sql = stmt.trim();
                if (!sql.isEmpty()) s.execute(sql);
            }
        } catch (SQLException e) {
            throw new AuthStoreException("create schema from " + resource, e);
        }
    }

    private static String stripComments(String sql) {
        StringBuilder out = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.trim().startsWith("--")) out.append(line).append('\n');
        }
        return out.toString();
    }
}
