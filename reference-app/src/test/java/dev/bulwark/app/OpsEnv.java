package dev.bulwark.app;

import dev.bulwark.app.backup.Ops;
import dev.bulwark.app.customers.Customer;
import dev.bulwark.app.customers.CustomerRepository;
import dev.bulwark.app.platform.Audit;
import dev.bulwark.app.platform.Config;
import dev.bulwark.app.platform.Database;
import dev.bulwark.app.platform.Keys;
import dev.bulwark.audit.AuditLog;
import dev.bulwark.audit.JdbcAuditStore;
import dev.bulwark.tenancy.JdbcTenancyStore;
import dev.bulwark.tenancy.Tenancy;
import dev.bulwark.tenancy.TenantContext;
import dev.bulwark.tenancy.TenantScopedJdbc;
import dev.bulwark.testkit.Services;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.upload.JdbcUploadMetadataStore;
import dev.bulwark.upload.StoredUpload;
import dev.bulwark.upload.UploadGuard;
import dev.bulwark.upload.UploadRequest;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The app's storage side without HTTP, for the operations tests: database (migrated by the app's own Flyway set-up, so
 * the pre-migration hook runs), keyring, tenancy, audit, upload store, over H2 (temp data dir) or a private
 * PostgreSQL schema with a separate application role (the migration role is the test superuser).
 */
public final class OpsEnv implements AutoCloseable {
    public final TestDatabase.Kind kind;
    public final Path dataDir;
    public final Map<String, String> env;
    private final TestDatabase pg;
    private final String appRole;
    public Config config;
    public Database db;
    public Keys keys;
    public Tenancy tenancy;
    public Audit audit;

    private OpsEnv(TestDatabase.Kind kind, Path dataDir, Map<String, String> env, TestDatabase pg, String appRole) {
        this.kind = kind;
        this.dataDir = dataDir;
        this.env = env;
        this.pg = pg;
        this.appRole = appRole;
    }

    public static OpsEnv open(TestDatabase.Kind kind) throws IOException {
        return open(kind, Map.of());
    }

    public static OpsEnv open(TestDatabase.Kind kind, Map<String, String> extra) throws IOException {
        Path dir = Files.createTempDirectory("bulwark-ops-test");
        Map<String, String> env = new HashMap<>();
        env.put("BULWARK_DATA_DIR", dir.toString());
        env.put("BULWARK_BACKUP_INTERVAL", "off");
        env.put("BULWARK_RESTORE_DRILL_INTERVAL", "off");
        env.put("BULWARK_RETENTION_INTERVAL", "off");
        TestDatabase pg = null;
        String role = null;
        if (kind == TestDatabase.Kind.POSTGRESQL) {
            pg = TestDatabase.postgres();
            role = TestApp.usePostgres(pg, "bw_ops_", env);
        }
        env.putAll(extra);
        OpsEnv e = new OpsEnv(kind, dir, env, pg, role);
        e.start();
        return e;
    }

    /** (Re)opens the database (running pending migrations) and the keyring. */
    public void start() {
        config = Config.from(env);
        db = Database.open(config);
        keys = Keys.open(config, db.dataSource());
        tenancy = Tenancy.builder().store(new JdbcTenancyStore(db.dataSource())).keyring(keys.keyring()).build();
        audit = new Audit(AuditLog.builder().store(new JdbcAuditStore(db.dataSource())).macKey(keys.auditKey()).build());
    }

    public void stop() {
        db.close();
    }

    public Ops ops() {
        return new Ops(config, keys.keyring(), db.dataSource(), audit, Clock.systemUTC());
    }

    public CustomerRepository customers() {
        return new CustomerRepository(TenantScopedJdbc.builder().dataSource(db.dataSource()).build(), keys.keyring());
    }

    public UploadGuard uploads() {
        return UploadGuard.builder().keyring(keys.keyring()).dataDirectory(config.dataDir.resolve("files"))
                .metadataStore(new JdbcUploadMetadataStore(db.dataSource())).build();
    }

    /** A workspace with an owner, {@code customers} customers with encrypted fields, and one uploaded file. */
    public record Seeded(String workspaceId, String ownerId, TenantContext ctx, List<Customer> customers, String blobId) {}

    public Seeded seed(String name, int customers) throws Exception {
        String owner = "usr_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        var ws = tenancy.createWorkspace(name, owner);
        TenantContext ctx = tenancy.enter(owner, ws.id());
        List<Customer> list = new ArrayList<>();
        CustomerRepository repo = customers();
        for (int i = 0; i < customers; i++) {
            String id = "cus_" + UUID.randomUUID().toString().replace("-", "");
            Customer c = new Customer(id, name + " customer " + i, "person" + i + "." + ws.id().toLowerCase() + "@example.com", "+44 20 7946 " + (1000 + i),
                    i + " High Street", "allergic to " + i, null, System.currentTimeMillis(), System.currentTimeMillis());
            repo.insert(ctx, c);
            list.add(c);
        }
        StoredUpload up = uploads().store(new UploadRequest(ws.id(), "attachments", "photo-" + name + ".png", "image/png", owner),
                new ByteArrayInputStream(png()));
        return new Seeded(ws.id(), owner, ctx, list, up.id().value());
    }

    static byte[] png() throws IOException {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, 0xff0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** A connection as the owner/superuser (sees every row). */
    public Connection owner() throws Exception {
        return ops().owner().connect();
    }

    public String pgSchema() {
        return pg == null ? null : pg.schema();
    }

    @Override
    public void close() throws Exception {
        try {
            db.close();
        } catch (RuntimeException ignored) {
            // already closed
        }
        if (pg != null) {
            pg.close();
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
