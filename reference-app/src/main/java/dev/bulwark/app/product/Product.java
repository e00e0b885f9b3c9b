package dev.bulwark.app.product;

import dev.bulwark.app.booking.AppointmentRepository;
import dev.bulwark.app.booking.BookingLimiter;
import dev.bulwark.app.booking.BookingRoutes;
import dev.bulwark.app.booking.BookingService;
import dev.bulwark.app.booking.PublicBookingRoutes;
import dev.bulwark.app.catalog.CatalogRepository;
import dev.bulwark.app.catalog.CatalogRoutes;
import dev.bulwark.app.catalog.CatalogService;
import dev.bulwark.app.catalog.StaffDirectory;
import dev.bulwark.app.connections.ConnectionRepository;
import dev.bulwark.app.connections.ConnectionRoutes;
import dev.bulwark.app.connections.ConnectionService;
import dev.bulwark.app.customers.CustomerRepository;
import dev.bulwark.app.customers.CustomerRoutes;
import dev.bulwark.app.customers.CustomerService;
import dev.bulwark.app.files.AttachmentRepository;
import dev.bulwark.app.files.FileRoutes;
import dev.bulwark.app.files.FileService;
import dev.bulwark.app.invoicing.InvoiceRepository;
import dev.bulwark.app.invoicing.InvoiceRoutes;
import dev.bulwark.app.invoicing.InvoiceService;
import dev.bulwark.app.invoicing.SharedInvoiceRoutes;
import dev.bulwark.app.payments.PaymentRoutes;
import dev.bulwark.app.payments.PaymentService;
import dev.bulwark.app.payments.StripeAccountRepository;
import dev.bulwark.app.payments.StripeGateway;
import dev.bulwark.app.payments.StripeWebhookRoutes;
import dev.bulwark.app.platform.ConfigException;
import dev.bulwark.app.platform.Services;
import dev.bulwark.app.platform.Web;
import dev.bulwark.links.JdbcLinkRevocationStore;
import dev.bulwark.links.JdbcUsedLinkStore;
import dev.bulwark.links.LinkRevocationStore;
import dev.bulwark.links.LinkSigner;
import dev.bulwark.links.LinkVerifier;
import dev.bulwark.tenancy.JdbcTenancyStore;
import dev.bulwark.tenancy.RowLevelSecurity;
import dev.bulwark.tenancy.TenancyException;
import dev.bulwark.tenancy.TenantContext;
import dev.bulwark.tenancy.TenantScopedJdbc;
import dev.bulwark.upload.JdbcUploadMetadataStore;
import dev.bulwark.upload.UploadGuard;
import dev.bulwark.webhook.JdbcSeenEventStore;
import dev.bulwark.webhook.WebhookVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;

/**
 * The product (part 2) assembled from the platform's services: customers, services and hours, booking (members and
 * the public link), invoices and shared links, Stripe payments and webhooks, files, connected services. Built once
 * per router; all state lives in the database.
 */
public final class Product {
    private final Services s;
    private final Web web;
    private final ProductConfig config;
    private final WorkerExecutor workers;
    final CustomerService customers;
    final CatalogService catalog;
    final BookingService booking;
    final InvoiceService invoices;
    final PaymentService payments;
    final FileService files;
    final ConnectionService connections;
    private final FileRoutes fileRoutes;
    private final StaffDirectory staff;
    private final LinkSigner signer;
    private final LinkVerifier verifier;
    private final LinkRevocationStore revocations;
    private final PublicAccess access;
    private final BookingLimiter limiter;
    private final WebhookVerifier platformWebhooks;
    private final WebhookVerifier connectWebhooks;

    private Product(Vertx vertx, Services s, Web web) {
        this.s = s;
        this.web = web;
        this.config = ProductConfig.from(s.config());
        DataSource ds = s.db().dataSource();
        if (s.db().postgres()) verifyRowLevelSecurity(ds);
        this.workers = vertx.createSharedWorkerExecutor("bulwark-blocking", s.config().workerThreads, 60, TimeUnit.SECONDS);
        TenantScopedJdbc jdbc = TenantScopedJdbc.builder().dataSource(ds).build();
        this.access = new PublicAccess(s.tenancy(), new JdbcTenancyStore(ds));
        this.revocations = new JdbcLinkRevocationStore(ds);
        this.signer = LinkSigner.builder().keys(s.keys().linkKeys()).audience(s.config().origin()).revocations(revocations).build();
        this.verifier = LinkVerifier.builder().keys(s.keys().linkKeys()).audience(s.config().origin()).usedLinks(new JdbcUsedLinkStore(ds))
                .revocations(revocations).build();
        this.limiter = new BookingLimiter(s.limits(), config.bookingLimitPerIp);
        this.staff = new StaffDirectory(s);

        CustomerRepository customerRepo = new CustomerRepository(jdbc, s.keys().keyring());
        CatalogRepository catalogRepo = new CatalogRepository(jdbc);
        AppointmentRepository appointments = new AppointmentRepository(jdbc);
        InvoiceRepository invoiceRepo = new InvoiceRepository(jdbc);
        UploadGuard guard = UploadGuard.builder().keyring(s.keys().keyring()).dataDirectory(s.config().dataDir.resolve("files"))
                .metadataStore(new JdbcUploadMetadataStore(ds)).build();
        Map<String, BiPredicate<TenantContext, String>> subjects = Map.of(
                "customer", (ctx, id) -> RandomIds.looksLike("cus", id) && customerRepo.byId(ctx, id).isPresent(),
                "appointment", (ctx, id) -> RandomIds.looksLike("apt", id) && appointments.byId(ctx, id).isPresent(),
                "invoice", (ctx, id) -> RandomIds.looksLike("inv", id) && invoiceRepo.byId(ctx, id).isPresent());
        this.files = new FileService(guard, new AttachmentRepository(jdbc), s.audit(), subjects,
                new FileService.Quota(config.uploadQuotaFiles, config.uploadQuotaBytes));
        this.fileRoutes = new FileRoutes(files, web);
        this.customers = new CustomerService(customerRepo, files, s.audit());
        this.catalog = new CatalogService(catalogRepo, staff, s.audit());
        this.connections = new ConnectionService(s, config, new ConnectionRepository(jdbc), signer, verifier);
        this.booking = new BookingService(s, appointments, catalogRepo, customerRepo, staff, signer, revocations, connections);
        this.invoices = new InvoiceService(s, invoiceRepo, customerRepo, catalogRepo, signer, revocations);
        StripeGateway stripe = config.onlinePayments() ? new StripeGateway(config) : null;
        this.payments = new PaymentService(s, config, stripe, new StripeAccountRepository(jdbc, ds), invoices, access);
        if (config.onlinePayments()) {
            JdbcSeenEventStore seen = new JdbcSeenEventStore(ds);
            this.platformWebhooks = WebhookVerifier.stripe().secret(config.stripeWebhookSecret).replayGuard(seen).build();
            this.connectWebhooks = WebhookVerifier.stripe().secret(config.stripeConnectWebhookSecret).replayGuard(seen).build();
        } else {
            this.platformWebhooks = null;
            this.connectWebhooks = null;
        }
    }

    /** Builds the product; bad product configuration or a missing RLS policy stops start-up. */
    public static Product start(Vertx vertx, Services s, Web web) {
        return new Product(vertx, s, web);
    }

    private static void verifyRowLevelSecurity(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            RowLevelSecurity.verifyApplicationRole(c, ProductTables.WORKSPACE_TABLES);
        } catch (TenancyException e) {
            throw new ConfigException("unsafe database set-up for the product tables: " + e.getMessage());
        } catch (SQLException e) {
            throw new ConfigException("cannot check row-level security of the product tables: " + e.getMessage());
        }
    }

    public void register(Router r) {
        staticScript(r, "upload.js");
        staticScript(r, "pay.js");
        new StripeWebhookRoutes(s, web, payments, platformWebhooks, connectWebhooks, workers).register(r);
        fileRoutes.register(r);
        new CustomerRoutes(customers, fileRoutes, web).register(r);
        new CatalogRoutes(catalog, web).register(r);
        new BookingRoutes(s, booking, catalog.repository(), customers.repository(), staff, signer, revocations, fileRoutes, web).register(r);
        new PublicBookingRoutes(booking, catalog.repository(), staff, verifier, access, limiter, web).register(r);
        new InvoiceRoutes(invoices, customers.repository(), fileRoutes, payments.online(), web).register(r);
        new SharedInvoiceRoutes(invoices, payments, verifier, access, web).register(r);
        new PaymentRoutes(payments, web).register(r);
        new ConnectionRoutes(connections, web).register(r);
    }

    private static void staticScript(Router r, String name) {
        String js;
        try (InputStream in = Product.class.getResourceAsStream("/public/product/" + name)) {
            js = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            js = "";
        }
        String body = js;
        r.get("/static/product/" + name).handler(rc -> rc.response().putHeader("Content-Type", "text/javascript; charset=utf-8")
                .putHeader("Cache-Control", "public, max-age=3600").end(body));
    }

    public ProductConfig config() {
        return config;
    }
}
