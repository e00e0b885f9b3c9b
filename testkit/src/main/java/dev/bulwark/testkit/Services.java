package dev.bulwark.testkit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Where the real services used by integration tests live, and what to do when one is missing.
 *
 * <p>On a developer machine without PostgreSQL or Redis a test that needs them is skipped with a one-line
 * reason. With {@code BULWARK_REQUIRE_SERVICES=1} (set by {@code .ci/run}) the same test fails instead, so CI
 * can never pass by silently skipping.
 */
public final class Services {
    private Services() {}

    public static final String PG_URL_ENV = "BULWARK_TEST_PG_URL";
    public static final String REDIS_URL_ENV = "BULWARK_TEST_REDIS_URL";
    public static final String REQUIRE_ENV = "BULWARK_REQUIRE_SERVICES";

    /** JDBC URL of the test PostgreSQL (trust auth on loopback by default). */
    public static String postgresUrl() {
        String url = System.getenv(PG_URL_ENV);
        return url == null || url.isBlank() ? "jdbc:postgresql://127.0.0.1:5432/test?user=root" : url;
    }

    /** Redis URI, e.g. {@code redis://127.0.0.1:6379}. */
    public static String redisUrl() {
        String url = System.getenv(REDIS_URL_ENV);
        return url == null || url.isBlank() ? "redis://127.0.0.1:6379" : url;
    }

    public static boolean servicesRequired() {
        return "1".equals(System.getenv(REQUIRE_ENV)) || Boolean.getBoolean("bulwark.requireServices");
    }

    /** Skips (or, when services are required, fails) the calling test unless PostgreSQL answers. */
    public static void assumePostgres() {
        String why = null;
        try (Connection c = DriverManager.getConnection(postgresUrl())) {
            if (!c.isValid(5)) why = "connection not valid";
        } catch (SQLException e) {
            why = e.getMessage();
        }
        unavailable("PostgreSQL at " + redactedPgUrl(), why);
    }

    /** Skips (or fails) the calling test unless something listens at the Redis address. */
    public static void assumeRedis() {
        URI uri = URI.create(redisUrl());
        String why = null;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), 2000);
        } catch (IOException e) {
            why = e.getMessage();
        }
        unavailable("Redis at " + uri.getHost() + ":" + uri.getPort(), why);
    }

    private static void unavailable(String what, String why) {
        if (why == null) return;
        String msg = what + " is not reachable (" + why + "); start it (see ARCHITECTURE.md) or set "
                + PG_URL_ENV + "/" + REDIS_URL_ENV;
        if (servicesRequired()) {
            Assertions.fail(REQUIRE_ENV + "=1 and " + msg);
        }
        Assumptions.assumeTrue(false, "skipped: " + msg);
    }

    private static String redactedPgUrl() {
        String url = postgresUrl();
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
