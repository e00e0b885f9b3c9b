package dev.bulwark.app.platform;

import dev.bulwark.auth.net.Cidr;
import dev.bulwark.auth.net.InvalidAddressException;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The app's configuration: environment variables, optionally a properties file named by {@code BULWARK_CONFIG_FILE}
 * (same keys; the environment wins). Every option is documented in reference-app/README.md. Everything is
 * validated at once and start-up stops with one {@link ConfigException} listing every problem.
 */
public final class Config {
    /** Every recognised key with its default ("" = unset). Unknown BULWARK_* keys are refused (typos). */
    static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("BULWARK_CONFIG_FILE", "");
        KEYS.put("BULWARK_DATA_DIR", "./data");
        KEYS.put("BULWARK_BIND_ADDRESS", "0.0.0.0");
        KEYS.put("BULWARK_HTTPS_PORT", "8443");
        KEYS.put("BULWARK_HTTP_PORT", "8080");
        KEYS.put("BULWARK_PUBLIC_URL", "");
        KEYS.put("BULWARK_TLS_CERT_FILE", "");
        KEYS.put("BULWARK_TLS_KEY_FILE", "");
        KEYS.put("BULWARK_TLS_HOSTNAMES", "localhost");
        KEYS.put("BULWARK_TRUSTED_PROXIES", "");
        KEYS.put("BULWARK_OUTBOUND_ALLOWLIST", "");
        KEYS.put("BULWARK_DB_URL", "");
        KEYS.put("BULWARK_DB_USER", "");
        KEYS.put("BULWARK_DB_PASSWORD", "");
        KEYS.put("BULWARK_DB_MIGRATION_USER", "");
        KEYS.put("BULWARK_DB_MIGRATION_PASSWORD", "");
        KEYS.put("BULWARK_DB_POOL_SIZE", "10");
        KEYS.put("BULWARK_MASTER_KEY", "");
        KEYS.put("BULWARK_MASTER_KEY_FILE", "");
        KEYS.put("BULWARK_DEV_MODE", "true");
        KEYS.put("BULWARK_SMTP_HOST", "");
        KEYS.put("BULWARK_SMTP_PORT", "587");
        KEYS.put("BULWARK_SMTP_USER", "");
        KEYS.put("BULWARK_SMTP_PASSWORD", "");
        KEYS.put("BULWARK_SMTP_SECURITY", "starttls");
        KEYS.put("BULWARK_MAIL_FROM", "Bulwark <no-reply@localhost>");
        KEYS.put("BULWARK_SESSION_IDLE_TIMEOUT", "PT30M"); // ASVS 4.0.3 3.3.2 Level 2
        KEYS.put("BULWARK_SESSION_ABSOLUTE_LIFETIME", "PT12H");
        KEYS.put("BULWARK_REAUTH_WINDOW", "PT15M");
        KEYS.put("BULWARK_MAX_BODY_BYTES", "65536");
        KEYS.put("BULWARK_LOGIN_LIMIT_PER_IP", "20");
        KEYS.put("BULWARK_LOGIN_LIMIT_PER_ACCOUNT", "10");
        KEYS.put("BULWARK_LOCKOUT_THRESHOLD", "10");
        KEYS.put("BULWARK_RATE_LIMIT_STORE", "");
        KEYS.put("BULWARK_RATE_LIMIT_KEY_PREFIX", "bulwark:rl:");
        KEYS.put("BULWARK_REDIS_URL", "");
        KEYS.put("BULWARK_ARGON2_THREADS", "2");
        KEYS.put("BULWARK_ARGON2_QUEUE", "64");
        KEYS.put("BULWARK_WORKER_THREADS", "16");
        KEYS.put("BULWARK_PLATFORM_ADMINS", "");
        KEYS.put("BULWARK_SECURITY_CONTACT", "mailto:security@localhost");
        KEYS.put("BULWARK_SECURITY_POLICY_URL", "");
        KEYS.put("BULWARK_SECURITY_TXT_EXPIRES", "");
        KEYS.put("BULWARK_SECURITY_LANGUAGES", "en");
        KEYS.put("BULWARK_LOG_LEVEL", "INFO");
        // Product options (part 2): validated by dev.bulwark.app.product.ProductConfig; "" = off.
        for (String k : new String[] {"STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_CONNECT_WEBHOOK_SECRET",
                "STRIPE_LIVEMODE", "STRIPE_PLATFORM_FEE_BPS", "STRIPE_API_BASE", "STRIPE_JS_URL", "BOOKING_LIMIT_PER_IP", "UPLOAD_QUOTA_FILES", "UPLOAD_QUOTA_BYTES",
                "OAUTH_CALENDAR", "OAUTH_EMAIL", "OAUTH_VIDEO"}) KEYS.put("BULWARK_" + k, "");
        // Operations options (part 3): validated by dev.bulwark.app.backup.OpsConfig; "" = its default.
        for (String k : new String[] {"BACKUP_DIR", "BACKUP_INTERVAL", "BACKUP_KEEP_DAILY", "BACKUP_KEEP_WEEKLY", "BACKUP_KEEP_MONTHLY",
                "BACKUP_BEFORE_MIGRATION", "RESTORE_DRILL_INTERVAL", "RETENTION_INTERVAL", "PG_BIN_DIR"}) KEYS.put("BULWARK_" + k, "");
    }

    private final Map<String, String> values;
    private final List<String> problems = new ArrayList<>();

    // Parsed values
    public final Path dataDir;
    public final String bindAddress;
    public final int httpsPort;
    public final int httpPort;
    public final URI publicUrl;
    public final Optional<Path> tlsCertFile;
    public final Optional<Path> tlsKeyFile;
    public final List<String> tlsHostnames;
    public final List<String> trustedProxies;
    /** Hosts workspace administrators may point single sign-on at (ASVS 12.6.1); empty: none. */
    public final dev.bulwark.auth.sso.OutboundHosts outboundHosts;
    public final Optional<String> dbUrl;
    public final String dbUser;
    public final String dbPassword;
    public final String dbMigrationUser;
    public final String dbMigrationPassword;
    public final int dbPoolSize;
    public final Optional<String> masterKey;
    public final Path masterKeyFile;
    public final boolean devMode;
    public final Optional<String> smtpHost;
    public final int smtpPort;
    public final String smtpUser;
    public final String smtpPassword;
    public final String smtpSecurity;
    public final String mailFrom;
    public final Duration sessionIdleTimeout;
    public final Duration sessionAbsoluteLifetime;
    public final Duration reauthWindow;
    public final int maxBodyBytes;
    public final int loginLimitPerIp;
    public final int loginLimitPerAccount;
    public final int lockoutThreshold;
    /** Where every rate-limit bucket lives (login, reset, verification, booking, SSO). */
    public final RateLimitStore rateLimitStore;
    public final String rateLimitKeyPrefix;
    public final Optional<String> redisUrl;
    public final int argon2Threads;
    public final int argon2Queue;
    public final int workerThreads;
    public final List<String> platformAdmins;
    public final String securityContact;
    public final Optional<String> securityPolicyUrl;
    public final LocalDate securityTxtExpires;
    public final String securityLanguages;

    private Config(Map<String, String> values) {
        this.values = values;
        dataDir = path("BULWARK_DATA_DIR", get("BULWARK_DATA_DIR")).toAbsolutePath().normalize();
        bindAddress = get("BULWARK_BIND_ADDRESS");
        httpsPort = intIn("BULWARK_HTTPS_PORT", 0, 65535);
        httpPort = intIn("BULWARK_HTTP_PORT", -1, 65535);
        String pub = get("BULWARK_PUBLIC_URL");
        publicUrl = pub.isEmpty() ? URI.create("https://localhost" + (httpsPort == 443 ? "" : ":" + httpsPort)) : uri("BULWARK_PUBLIC_URL", pub);
        tlsCertFile = optPath("BULWARK_TLS_CERT_FILE");
        tlsKeyFile = optPath("BULWARK_TLS_KEY_FILE");
        if (tlsCertFile.isPresent() != tlsKeyFile.isPresent()) {
            problems.add("BULWARK_TLS_CERT_FILE and BULWARK_TLS_KEY_FILE must be set together (PEM certificate chain and PEM private key)");
        }
        tlsCertFile.ifPresent(p -> mustBeReadable("BULWARK_TLS_CERT_FILE", p));
        tlsKeyFile.ifPresent(p -> mustBeReadable("BULWARK_TLS_KEY_FILE", p));
        tlsHostnames = list("BULWARK_TLS_HOSTNAMES");
        trustedProxies = list("BULWARK_TRUSTED_PROXIES");
        for (String c : trustedProxies) {
            try {
                Cidr.parse(c);
            } catch (InvalidAddressException e) {
                problems.add("BULWARK_TRUSTED_PROXIES: '" + c + "' is not an IP address or CIDR block (" + e.getMessage() + ")");
            }
        }
        dev.bulwark.auth.sso.OutboundHosts outbound = dev.bulwark.auth.sso.OutboundHosts.only(List.of());
        try {
            outbound = dev.bulwark.auth.sso.OutboundHosts.only(list("BULWARK_OUTBOUND_ALLOWLIST"));
        } catch (IllegalArgumentException e) {
            problems.add("BULWARK_OUTBOUND_ALLOWLIST: " + e.getMessage() + " (list host names such as login.example.com or *.okta.com, comma-separated)");
        }
        outboundHosts = outbound;
        String db = get("BULWARK_DB_URL");
        dbUrl = db.isEmpty() ? Optional.empty() : Optional.of(db);
        if (dbUrl.isPresent() && !db.startsWith("jdbc:postgresql:") && !db.startsWith("jdbc:h2:")) {
            problems.add("BULWARK_DB_URL must start with jdbc:postgresql: (or jdbc:h2: for a custom H2 location), got '" + redactUrl(db) + "'");
        }
        dbUser = get("BULWARK_DB_USER");
        dbPassword = get("BULWARK_DB_PASSWORD");
        dbMigrationUser = get("BULWARK_DB_MIGRATION_USER");
        dbMigrationPassword = get("BULWARK_DB_MIGRATION_PASSWORD");
        if (dbUrl.isPresent() && db.startsWith("jdbc:postgresql:") && dbUser.isEmpty()) {
            problems.add("BULWARK_DB_USER is required with a PostgreSQL BULWARK_DB_URL: the application role (it must own no table)");
        }
        dbPoolSize = intIn("BULWARK_DB_POOL_SIZE", 2, 200);
        String mk = get("BULWARK_MASTER_KEY");
        masterKey = mk.isEmpty() ? Optional.empty() : Optional.of(mk);
        String mkf = get("BULWARK_MASTER_KEY_FILE");
        masterKeyFile = mkf.isEmpty() ? dataDir.resolve("master.key") : path("BULWARK_MASTER_KEY_FILE", mkf).toAbsolutePath();
        devMode = bool("BULWARK_DEV_MODE");
        String smtp = get("BULWARK_SMTP_HOST");
        smtpHost = smtp.isEmpty() ? Optional.empty() : Optional.of(smtp);
        smtpPort = intIn("BULWARK_SMTP_PORT", 1, 65535);
        smtpUser = get("BULWARK_SMTP_USER");
        smtpPassword = get("BULWARK_SMTP_PASSWORD");
        smtpSecurity = oneOf("BULWARK_SMTP_SECURITY", "starttls", "tls");
        mailFrom = get("BULWARK_MAIL_FROM");
        sessionIdleTimeout = duration("BULWARK_SESSION_IDLE_TIMEOUT", Duration.ofMinutes(1), Duration.ofDays(30));
        sessionAbsoluteLifetime = duration("BULWARK_SESSION_ABSOLUTE_LIFETIME", Duration.ofMinutes(5), Duration.ofDays(90));
        reauthWindow = duration("BULWARK_REAUTH_WINDOW", Duration.ofSeconds(1), Duration.ofHours(1));
        maxBodyBytes = intIn("BULWARK_MAX_BODY_BYTES", 1024, 10 * 1024 * 1024);
        loginLimitPerIp = intIn("BULWARK_LOGIN_LIMIT_PER_IP", 1, 100_000);
        loginLimitPerAccount = intIn("BULWARK_LOGIN_LIMIT_PER_ACCOUNT", 1, 100_000);
        lockoutThreshold = intIn("BULWARK_LOCKOUT_THRESHOLD", 3, 100);
        String redis = get("BULWARK_REDIS_URL");
        redisUrl = redis.isEmpty() ? Optional.empty() : Optional.of(redis);
        rateLimitStore = rateLimitStore();
        rateLimitKeyPrefix = get("BULWARK_RATE_LIMIT_KEY_PREFIX");
        if (rateLimitKeyPrefix.isEmpty() || rateLimitKeyPrefix.length() > 64 || !rateLimitKeyPrefix.matches("[A-Za-z0-9:_.-]+")) {
            problems.add("BULWARK_RATE_LIMIT_KEY_PREFIX must be 1-64 characters of letters, digits and : _ . -, got '" + rateLimitKeyPrefix + "'");
        }
        argon2Threads = intIn("BULWARK_ARGON2_THREADS", 1, 64);
        argon2Queue = intIn("BULWARK_ARGON2_QUEUE", 1, 10_000);
        workerThreads = intIn("BULWARK_WORKER_THREADS", 2, 512);
        platformAdmins = list("BULWARK_PLATFORM_ADMINS").stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        securityContact = get("BULWARK_SECURITY_CONTACT");
        if (!securityContact.startsWith("mailto:") && !securityContact.startsWith("https://") && !securityContact.startsWith("tel:")) {
            problems.add("BULWARK_SECURITY_CONTACT must be a mailto:, https:// or tel: URI (RFC 9116), got '" + securityContact + "'");
        }
        String pol = get("BULWARK_SECURITY_POLICY_URL");
        securityPolicyUrl = pol.isEmpty() ? Optional.empty() : Optional.of(pol);
        if (!pol.isEmpty() && !pol.startsWith("https://")) problems.add("BULWARK_SECURITY_POLICY_URL must be an https:// URL");
        String exp = get("BULWARK_SECURITY_TXT_EXPIRES");
        LocalDate expires = null;
        if (exp.isEmpty()) {
            expires = LocalDate.now().plusDays(180);
        } else {
            try {
                expires = LocalDate.parse(exp);
            } catch (RuntimeException e) {
                problems.add("BULWARK_SECURITY_TXT_EXPIRES must be a date like 2027-06-30, got '" + exp + "'");
            }
        }
        securityTxtExpires = expires;
        securityLanguages = get("BULWARK_SECURITY_LANGUAGES");
        oneOf("BULWARK_LOG_LEVEL", "error", "warn", "info", "debug");
        if (httpsPort != 0 && httpsPort == httpPort) problems.add("BULWARK_HTTPS_PORT and BULWARK_HTTP_PORT must differ");
        if (!problems.isEmpty()) throw new ConfigException(problems);
    }

    /** Reads the process environment (and the optional file it names). */
    public static Config fromEnvironment() {
        return from(System.getenv());
    }

    /** Reads {@code env} (and the optional file named by its BULWARK_CONFIG_FILE); {@code env} wins over the file. */
    public static Config from(Map<String, String> env) {
        Map<String, String> merged = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        String file = env.getOrDefault("BULWARK_CONFIG_FILE", "");
        if (!file.isBlank()) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | RuntimeException e) {
                throw new ConfigException("BULWARK_CONFIG_FILE " + file + " cannot be read: " + e.getClass().getSimpleName());
            }
            for (String k : p.stringPropertyNames()) {
                if (!KEYS.containsKey(k)) problems.add(file + ": unknown option " + k + " (see reference-app/README.md)");
                else merged.put(k, p.getProperty(k).trim());
            }
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!e.getKey().startsWith("BULWARK_")) continue;
            if (KEYS.containsKey(e.getKey())) merged.put(e.getKey(), e.getValue().trim());
            else if (!e.getKey().startsWith("BULWARK_TEST_") && !e.getKey().equals("BULWARK_REQUIRE_SERVICES")) {
                problems.add("unknown environment variable " + e.getKey() + " (see reference-app/README.md for the options)");
            }
        }
        if (!problems.isEmpty()) throw new ConfigException(problems);
        return new Config(merged);
    }

    /** Where rate-limit buckets live: this node's memory, or shared by every node through PostgreSQL or Redis. */
    public enum RateLimitStore {
        LOCAL, POSTGRESQL, REDIS;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * BULWARK_RATE_LIMIT_STORE: {@code local}, {@code postgresql} or {@code redis}; unset means {@code postgresql} on a
     * PostgreSQL database (the multi-node set-up, so limits hold across nodes by default) and {@code local} on H2.
     * A choice that cannot work, or a Redis URL that would be silently ignored, is a configuration error.
     */
    private RateLimitStore rateLimitStore() {
        String v = get("BULWARK_RATE_LIMIT_STORE").toLowerCase(Locale.ROOT);
        boolean pg = postgres();
        RateLimitStore store;
        switch (v) {
            case "" -> store = pg ? RateLimitStore.POSTGRESQL : RateLimitStore.LOCAL;
            case "local" -> store = RateLimitStore.LOCAL;
            case "postgresql" -> store = RateLimitStore.POSTGRESQL;
            case "redis" -> store = RateLimitStore.REDIS;
            default -> {
                problems.add("BULWARK_RATE_LIMIT_STORE must be one of local, postgresql, redis, got '" + v + "'");
                return RateLimitStore.LOCAL;
            }
        }
        if (store == RateLimitStore.POSTGRESQL && !pg) {
            problems.add("BULWARK_RATE_LIMIT_STORE=postgresql needs the app on PostgreSQL: set BULWARK_DB_URL=jdbc:postgresql://..., "
                    + "or use BULWARK_RATE_LIMIT_STORE=redis with BULWARK_REDIS_URL (or local for a single node)");
        }
        if (store == RateLimitStore.REDIS) {
            if (redisUrl.isEmpty()) {
                problems.add("BULWARK_RATE_LIMIT_STORE=redis needs BULWARK_REDIS_URL, e.g. redis://127.0.0.1:6379 (rediss:// for TLS)");
            } else {
                redisUri(redisUrl.get());
            }
        } else if (redisUrl.isPresent()) {
            problems.add("BULWARK_REDIS_URL is set but rate limits are stored in " + store.value()
                    + ": set BULWARK_RATE_LIMIT_STORE=redis to share them through Redis, or remove BULWARK_REDIS_URL");
        }
        return store;
    }

    private void redisUri(String v) {
        try {
            URI u = new URI(v);
            if (!("redis".equals(u.getScheme()) || "rediss".equals(u.getScheme())) || u.getHost() == null) {
                problems.add("BULWARK_REDIS_URL must look like redis://host:6379 or rediss://host:6380, got '" + redactRedisUrl(v) + "'");
            }
        } catch (java.net.URISyntaxException e) {
            problems.add("BULWARK_REDIS_URL is not a URL: '" + redactRedisUrl(v) + "'");
        }
    }

    /** A Redis URL without its password (redis://user:secret@host → redis://user:<redacted>@host). */
    public static String redactRedisUrl(String url) {
        return url.replaceAll("(?<=://)([^:@/]*):[^@/]*@", "$1:<redacted>@").replaceAll("(?<=://)([^:@/]+)@", "<redacted>@");
    }

    public boolean postgres() {
        return dbUrl.map(u -> u.startsWith("jdbc:postgresql:")).orElse(false);
    }

    /** A product option's raw value ("" when unset); only keys declared in KEYS. */
    public String option(String key) {
        if (!KEYS.containsKey(key)) throw new IllegalArgumentException("undeclared option " + key);
        return get(key);
    }

    public String origin() {
        return publicUrl.getScheme() + "://" + publicUrl.getAuthority();
    }

    private String get(String key) {
        return values.getOrDefault(key, KEYS.get(key));
    }

    private int intIn(String key, int min, int max) {
        String v = get(key);
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) problems.add(key + " must be between " + min + " and " + max + ", got " + i);
            return i;
        } catch (NumberFormatException e) {
            problems.add(key + " must be a whole number, got '" + v + "'");
            return Integer.parseInt(KEYS.get(key));
        }
    }

    private boolean bool(String key) {
        String v = get(key).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) problems.add(key + " must be true or false, got '" + v + "'");
        return v.equals("true");
    }

    private String oneOf(String key, String... allowed) {
        String v = get(key).toLowerCase(Locale.ROOT);
        if (!Arrays.asList(allowed).contains(v)) problems.add(key + " must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
        return v;
    }

    private Duration duration(String key, Duration min, Duration max) {
        String v = get(key);
        try {
            Duration d = Duration.parse(v);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) problems.add(key + " must be between " + min + " and " + max + ", got " + v);
            return d;
        } catch (RuntimeException e) {
            problems.add(key + " must be an ISO-8601 duration such as PT24H or P14D, got '" + v + "'");
            return Duration.parse(KEYS.get(key));
        }
    }

    private List<String> list(String key) {
        String v = get(key);
        if (v.isBlank()) return List.of();
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private Optional<Path> optPath(String key) {
        String v = get(key);
        return v.isEmpty() ? Optional.empty() : Optional.of(path(key, v).toAbsolutePath());
    }

    private Path path(String key, String v) {
        try {
            return Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            problems.add(key + " is not a usable file path: " + e.getReason());
            return Path.of(".");
        }
    }

    private void mustBeReadable(String key, Path p) {
        if (!Files.isReadable(p)) problems.add(key + " " + p + " does not exist or is not readable");
    }

    private URI uri(String key, String v) {
        try {
            URI u = URI.create(v);
            if (!"https".equals(u.getScheme()) || u.getHost() == null) {
                problems.add(key + " must be an https:// URL such as https://app.example.com, got '" + v + "'");
            }
            return u;
        } catch (IllegalArgumentException e) {
            problems.add(key + " is not a URL: '" + v + "'");
            return URI.create("https://localhost");
        }
    }

    static String redactUrl(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1<redacted>");
    }

    @Override
    public String toString() {
        return "Config[dataDir=" + dataDir + ", https=" + httpsPort + ", http=" + httpPort + ", db="
                + dbUrl.map(Config::redactUrl).orElse("H2 in data dir") + ", rateLimits=" + rateLimitStore.value() + ", secrets=<redacted>]";
    }
}
