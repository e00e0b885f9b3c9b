package dev.bulwark.app.platform.migrations;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Applies a module's shipped DDL resource (portable SQL, statements separated by ';', '--' comments). */
final class DdlResource {
    private DdlResource() {}

    static void apply(Connection c, Class<?> owner, String resource) throws SQLException {
        String ddl;
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing DDL resource " + resource + " of " + owner.getName());
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
        StringBuilder clean = new StringBuilder();
        for (String line : ddl.split("\n")) if (!line.strip().startsWith("--")) clean.append(line).append('\n');
        try (Statement s = c.createStatement()) {
            for (String stmt : clean.toString().split(";")) {
                if (!stmt.isBlank()) s.execute(stmt.strip());
            }
        }
    }
}
