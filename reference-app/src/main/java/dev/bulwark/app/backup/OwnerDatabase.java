package dev.bulwark.app.backup;

import dev.bulwark.app.platform.Config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The database as its owner sees it: the migration role (it owns the schema and, on PostgreSQL, needs BYPASSRLS or
 * superuser so that a backup reads every workspace's rows instead of an empty policy view). Same URL rules as the
 * app's {@code Database}: the H2 file in the data directory unless BULWARK_DB_URL is set.
 */
public final class OwnerDatabase {
    private final String url;
    private final String user;
    private final String password;

    public OwnerDatabase(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password == null ? "" : password;
    }

    public static OwnerDatabase of(Config config) {
        if (config.dbUrl.isPresent()) {
            String user = config.dbMigrationUser.isEmpty() ? config.dbUser : config.dbMigrationUser;
            String pw = config.dbMigrationUser.isEmpty() ? config.dbPassword : config.dbMigrationPassword;
            return new OwnerDatabase(config.dbUrl.get(), user, pw);
        }
        return new OwnerDatabase("jdbc:h2:file:" + config.dataDir.resolve("db").resolve("bulwark") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0", "bulwark", "");
    }

    public boolean postgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    String password() {
        return password;
    }

    public Connection connect() throws SQLException {
        Properties p = new Properties();
        if (!user.isEmpty()) p.setProperty("user", user);
        if (!password.isEmpty()) p.setProperty("password", password);
        return DriverManager.getConnection(url, p);
    }

    /** PostgreSQL: the schema the app's tables live in (the URL's currentSchema, else the role's default). */
    public String schema(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(postgres() ? "SELECT current_schema()" : "SELECT SCHEMA()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Parts of a {@code jdbc:postgresql://host:port/db?params} URL, for pg_dump / pg_restore. */
    public record PgAddress(String host, int port, String database, Map<String, String> params) {
        /** A libpq connection URI for {@code database} (no credentials: the user goes in --username, the password in PGPASSWORD). */
        public String uri(String db) {
            StringBuilder b = new StringBuilder("postgresql://").append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port).append('/').append(db);
            String ssl = params.get("sslmode");
            if (ssl != null) b.append("?sslmode=").append(ssl);
            return b.toString();
        }
    }

    public PgAddress pgAddress() {
        String rest = url.substring("jdbc:postgresql:".length());
        Map<String, String> params = new LinkedHashMap<>();
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String kv : rest.substring(q + 1).split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) params.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
            rest = rest.substring(0, q);
        }
        String host = "localhost";
        int port = 5432;
        String db;
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
            int slash = rest.indexOf('/');
            String hostPort = slash < 0 ? rest : rest.substring(0, slash);
            db = slash < 0 ? "" : rest.substring(slash + 1);
            if (hostPort.startsWith("[")) {
                int end = hostPort.indexOf(']');
                host = hostPort.substring(1, end);
                if (hostPort.length() > end + 2) port = Integer.parseInt(hostPort.substring(end + 2));
            } else if (hostPort.contains(":")) {
                host = hostPort.substring(0, hostPort.indexOf(':'));
                port = Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1));
            } else if (!hostPort.isEmpty()) {
                host = hostPort;
            }
        } else {
            db = rest;
        }
        if (db.isEmpty()) db = user;
        return new PgAddress(host, port, db, params);
    }

    /** The same server, another database (a scratch database for a restore drill). */
    public OwnerDatabase withDatabase(String database, String schema) {
        PgAddress a = pgAddress();
        String u = "jdbc:postgresql://" + (a.host().contains(":") ? "[" + a.host() + "]" : a.host()) + ":" + a.port() + "/" + database
                + "?currentSchema=" + schema + (a.params().containsKey("sslmode") ? "&sslmode=" + a.params().get("sslmode") : "");
        return new OwnerDatabase(u, effectiveUser(), password);
    }

    /** The user to pass to pg_dump: the configured one, or the URL's user parameter. */
    String effectiveUser() {
        if (!user.isEmpty()) return user;
        return postgres() ? pgAddress().params().getOrDefault("user", "") : "";
    }

    String effectivePassword() {
        if (!password.isEmpty()) return password;
        return postgres() ? pgAddress().params().getOrDefault("password", "") : "";
    }

    @Override
    public String toString() {
        return "OwnerDatabase[" + url.replaceAll("(?i)(password=)[^&;]*", "$1<redacted>") + " as " + user + "]";
    }
}
