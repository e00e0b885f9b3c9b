package dev.bulwark.app.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.app.platform.migrations.V2__Module_schemas;
import dev.bulwark.app.platform.migrations.V3__Row_level_security;
import dev.bulwark.tenancy.RowLevelSecurity;
import dev.bulwark.tenancy.TenancyException;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The app's database: an H2 file database in the data directory by default, PostgreSQL when BULWARK_DB_URL is set.
 * Flyway migrations run as the migration (owner) role; the app's pool connects as a role that owns no table, and on
 * PostgreSQL start-up refuses to run if that role could bypass row-level security.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** Tables holding one workspace's data: each carries workspace_id and, on PostgreSQL, the tenancy RLS policy. */
    public static final List<String> WORKSPACE_TABLES = List.of("app_workspace_settings");

    private final HikariDataSource pool;
    private final boolean postgres;

    private Database(HikariDataSource pool, boolean postgres) {
        this.pool = pool;
        this.postgres = postgres;
    }

    public static Database open(Config config) {
        String url;
        String user;
        String password;
        if (config.dbUrl.isPresent()) {
            url = config.dbUrl.get();
            user = config.dbUser;
            password = config.dbPassword;
        } else {
            try {
                Files.createDirectories(config.dataDir.resolve("db"));
            } catch (IOException e) {
                throw new ConfigException("cannot create " + config.dataDir.resolve("db") + ": " + e.getMessage());
            }
            url = "jdbc:h2:file:" + config.dataDir.resolve("db").resolve("bulwark") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0"; // WRITE_DELAY=0: a commit is on disk before it is acknowledged (OpsCrashIT)
            user = "bulwark";
            password = "";
        }
        boolean pg = url.startsWith("jdbc:postgresql:");
        String migUser = config.dbMigrationUser.isEmpty() ? user : config.dbMigrationUser;
        String migPassword = config.dbMigrationUser.isEmpty() ? password : config.dbMigrationPassword;
        try {
            Flyway.configure()
                    .dataSource(url, migUser, migPassword)
                    .locations("classpath:db/migration/common")
                    .callbacks(new dev.bulwark.app.backup.PreMigrationBackup(config))
                    .javaMigrations(new V2__Module_schemas(), new V3__Row_level_security(), new dev.bulwark.app.platform.migrations.V101__Product_schemas(), new dev.bulwark.app.sso.V301__Sso_schemas(),
                            new dev.bulwark.app.platform.migrations.V401__Shared_rate_limits(),
                            new dev.bulwark.app.platform.migrations.V402__Webhook_claims(),
                            new dev.bulwark.app.platform.migrations.V403__Upload_uploader_index(),
                            new dev.bulwark.app.platform.migrations.V404__Webauthn_credentials())
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new ConfigException("database migration failed on " + Config.redactUrl(url) + " as " + migUser + ": "
                    + rootMessage(e));
        }
        if (pg) {
            if (config.dbMigrationUser.isEmpty() || config.dbMigrationUser.equals(user)) {
                throw new ConfigException("on PostgreSQL the application role (BULWARK_DB_USER=" + user + ") must own no table: "
                        + "set BULWARK_DB_MIGRATION_USER to the role that owns the schema and runs migrations");
            }
            grantApplicationRole(url, migUser, migPassword, user);
        }
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setUsername(user);
        hc.setPassword(password);
        hc.setMaximumPoolSize(config.dbPoolSize);
        hc.setPoolName("bulwark-app");
        hc.setConnectionTimeout(10_000);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new ConfigException("cannot connect to " + Config.redactUrl(url) + " as " + user + ": " + rootMessage(e));
        }
        Database db = new Database(ds, pg);
        if (pg) db.verifyApplicationRole();
        log.info("database ready: {}", pg ? "PostgreSQL " + Config.redactUrl(url) : "H2 " + Config.redactUrl(url));
        return db;
    }

    /** The app role gets plain DML on every table (never ownership), so it can neither alter nor bypass a policy. */
    private static void grantApplicationRole(String url, String migUser, String migPassword, String appRole) {
        Properties p = new Properties();
        p.setProperty("user", migUser);
        if (!migPassword.isEmpty()) p.setProperty("password", migPassword);
        try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement()) {
            String schema;
            try (ResultSet rs = s.executeQuery("SELECT current_schema()")) {
                rs.next();
                schema = rs.getString(1);
            }
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")) {
                while (rs.next()) tables.add(rs.getString(1));
            }
            String role = quote(appRole);
            s.execute("GRANT USAGE ON SCHEMA " + quote(schema) + " TO " + role);
            for (String t : tables) {
                if (t.equals("flyway_schema_history")) continue;
                s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON " + quote(schema) + "." + quote(t) + " TO " + role);
            }
        } catch (SQLException e) {
            throw new ConfigException("cannot grant the application role " + appRole + " access: " + e.getMessage());
        }
    }

    private void verifyApplicationRole() {
        try (Connection c = pool.getConnection()) {
            RowLevelSecurity.verifyApplicationRole(c, WORKSPACE_TABLES);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND pg_has_role(current_user, tableowner, 'MEMBER')")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    throw new ConfigException("the application database role owns " + rs.getLong(1)
                            + " table(s); connect as a role that owns none (BULWARK_DB_USER) and migrate as the owner (BULWARK_DB_MIGRATION_USER)");
                }
            }
        } catch (TenancyException e) {
            close();
            throw new ConfigException("unsafe database role: " + e.getMessage());
        } catch (SQLException e) {
            close();
            throw new ConfigException("cannot check the application database role: " + e.getMessage());
        } catch (ConfigException e) {
            close();
            throw e;
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.replaceAll("(?i)(password=)[^&;\\s]*", "$1<redacted>");
    }

    public DataSource dataSource() {
        return pool;
    }

    public boolean postgres() {
        return postgres;
    }

    /** Readiness: one round trip. */
    public boolean ping() {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            return rs.next();
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
