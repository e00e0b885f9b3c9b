package dev.bulwark.app;

import dev.bulwark.app.platform.App;
import dev.bulwark.app.platform.Config;
import dev.bulwark.testkit.Services;
import dev.bulwark.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The real app started in-process on free ports, over H2 (temp data dir) or a private PostgreSQL schema + app role. */
final class TestApp implements AutoCloseable {
    final App app;
    final Path dataDir;
    final String origin;
    final TestDatabase.Kind kind;
    private final TestDatabase db;
    private final String appRole;
    /** The configuration this node started with (a sibling node starts from it). */
    private final Map<String, String> env;
    /** A sibling shares the first node's database and role: only the first node drops them. */
    private final boolean ownsDatabase;

    private TestApp(App app, Path dataDir, String origin, TestDatabase.Kind kind, TestDatabase db, String appRole, Map<String, String> env,
                    boolean ownsDatabase) {
        this.app = app;
        this.dataDir = dataDir;
        this.origin = origin;
        this.kind = kind;
        this.db = db;
        this.appRole = appRole;
        this.env = Map.copyOf(env);
        this.ownsDatabase = ownsDatabase;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static TestApp start(TestDatabase.Kind kind, Map<String, String> extra) throws IOException {
        Path dir = Files.createTempDirectory("bulwark-app-test");
        int https = freePort();
        int http = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("BULWARK_DATA_DIR", dir.toString());
        env.put("BULWARK_HTTPS_PORT", String.valueOf(https));
        env.put("BULWARK_HTTP_PORT", String.valueOf(http));
        env.put("BULWARK_BIND_ADDRESS", "127.0.0.1");
        env.put("BULWARK_PUBLIC_URL", "https://localhost:" + https);
        // Tests speak for many clients through X-Forwarded-For, so the loopback "proxy" is trusted.
        env.put("BULWARK_TRUSTED_PROXIES", "127.0.0.1/32,::1/128");
        env.put("BULWARK_LOGIN_LIMIT_PER_IP", "30");
        env.put("BULWARK_LOGIN_LIMIT_PER_ACCOUNT", "1000");
        env.put("BULWARK_PLATFORM_ADMINS", "admin@example.com");
        TestDatabase db = null;
        String role = null;
        if (kind == TestDatabase.Kind.POSTGRESQL) {
            db = TestDatabase.postgres();
            role = usePostgres(db, "bw_app_", env);
        }
        env.putAll(extra);
        App app;
        try {
            app = App.start(Config.from(env));
        } catch (RuntimeException | Error e) {
            // A start that fails (a test of refused configuration, say) leaves no schema, role or directory behind.
            dropQuietly(db, role, dir);
            throw e;
        }
        return new TestApp(app, dir, "https://localhost:" + https, kind, db, role, env, true);
    }

    private static void dropQuietly(TestDatabase db, String role, Path dir) {
        if (db != null) {
            try {
                db.close();
            } catch (Exception ignored) {
                // best effort: the start failure is what the caller needs to see
            }
            try (Connection c = DriverManager.getConnection(Services.postgresUrl()); Statement s = c.createStatement()) {
                s.execute("DROP OWNED BY " + role);
                s.execute("DROP ROLE " + role);
            } catch (Exception ignored) {
                // best effort, as above
            }
        }
        try (Stream<Path> w = Files.walk(dir)) {
            w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort, as above
        }
    }

    /**
     * Another node of the same deployment, as behind a load balancer: its own data directory and ports, and this node's
     * database, app role, master key (this node's key file) and public URL (so links, the CSRF origin and link audiences
     * are the deployment's, not the node's). {@code extra} is applied on top. Closing it leaves the database to this node.
     */
    TestApp sibling(Map<String, String> extra) throws IOException {
        Path dir = Files.createTempDirectory("bulwark-app-test");
        Map<String, String> e = new HashMap<>(env);
        e.put("BULWARK_DATA_DIR", dir.toString());
        e.put("BULWARK_HTTPS_PORT", String.valueOf(freePort()));
        e.put("BULWARK_HTTP_PORT", String.valueOf(freePort()));
        if (!e.containsKey("BULWARK_MASTER_KEY")) e.put("BULWARK_MASTER_KEY_FILE", dataDir.resolve("master.key").toString());
        e.putAll(extra);
        App node = App.start(Config.from(e));
        return new TestApp(node, dir, origin, kind, db, appRole, e, false);
    }

    /**
     * Points {@code env} at the test schema on PostgreSQL with a fresh LOGIN role as the app role (owning nothing) and
     * the test URL's user as the migration (owner) role. Returns the app role, to drop afterwards.
     */
    static String usePostgres(TestDatabase db, String rolePrefix, Map<String, String> env) {
        String role = rolePrefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(Services.postgresUrl()); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN");
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the app role: " + e.getMessage(), e);
        }
        String url = Services.postgresUrl();
        String base = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        env.put("BULWARK_DB_URL", base + "?currentSchema=" + db.schema());
        env.put("BULWARK_DB_USER", role);
        env.put("BULWARK_DB_MIGRATION_USER", user(url));
        return role;
    }

    private static String user(String url) {
        Matcher m = Pattern.compile("[?&]user=([^&]+)").matcher(url);
        return m.find() ? m.group(1) : "root";
    }

    String jdbcUrl() {
        String url = Services.postgresUrl();
        return (url.contains("?") ? url.substring(0, url.indexOf('?')) : url) + "?currentSchema=" + db.schema();
    }

    String appRole() {
        return appRole;
    }

    String migrationUser() {
        return user(Services.postgresUrl());
    }

    /** A connection that bypasses the app (migration/owner user on PostgreSQL, the file database on H2), to read what is stored. */
    java.sql.Connection ownerConnection() throws java.sql.SQLException {
        if (kind == TestDatabase.Kind.POSTGRESQL) return java.sql.DriverManager.getConnection(jdbcUrl(), migrationUser(), "");
        return java.sql.DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("db").resolve("bulwark") + ";DB_CLOSE_ON_EXIT=FALSE", "bulwark", "");
    }

    int httpsPort() {
        return app.httpsPort();
    }

    int httpPort() {
        return app.httpPort();
    }

    /** Outbox mails to {@code to}, newest first. */
    List<JsonObject> mailsTo(String to) throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("outbox"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted(Comparator.reverseOrder()).map(f -> {
                try {
                    return new JsonObject(Files.readString(f, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).filter(j -> to.equalsIgnoreCase(j.getString("to"))).toList();
        }
    }

    /** The newest link in a mail to {@code to} whose subject contains {@code subject}. */
    String linkIn(String to, String subject) throws IOException {
        for (JsonObject m : mailsTo(to)) {
            if (m.getString("subject").contains(subject)) {
                Matcher x = Pattern.compile("https://\\S+").matcher(m.getString("body"));
                if (x.find()) return x.group();
            }
        }
        throw new AssertionError("no mail '" + subject + "' to " + to);
    }

    static Map<String, String> query(String url) {
        Map<String, String> q = new HashMap<>();
        String s = url.substring(url.indexOf('?') + 1);
        for (String p : s.split("&")) {
            int i = p.indexOf('=');
            q.put(p.substring(0, i), java.net.URLDecoder.decode(p.substring(i + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    @Override
    public void close() throws Exception {
        app.close();
        if (db != null && ownsDatabase) {
            db.close();
            try (Connection c = DriverManager.getConnection(Services.postgresUrl()); Statement s = c.createStatement()) {
                s.execute("DROP OWNED BY " + appRole);
                s.execute("DROP ROLE " + appRole);
            }
        }
        try (Stream<Path> w = Files.walk(dataDir)) {
            w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
