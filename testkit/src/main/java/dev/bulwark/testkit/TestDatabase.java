package dev.bulwark.testkit;

import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, empty database for one test: a private schema on the real PostgreSQL, or a private in-memory H2
 * database. Closing it drops the PostgreSQL schema.
 */
public final class TestDatabase implements AutoCloseable {

    /** The two SQL engines every JDBC store must pass the same tests on. */
    public enum Kind {
        H2, POSTGRESQL;

        public TestDatabase open() {
            return this == H2 ? h2() : postgres();
        }
    }

    private final Kind kind;
    private final DataSource dataSource;
    private final String schema;

    private TestDatabase(Kind kind, DataSource dataSource, String schema) {
        this.kind = kind;
        this.dataSource = dataSource;
        this.schema = schema;
    }

    public static TestDatabase h2() {
        JdbcDataSource ds = new JdbcDataSource();
        // DB_CLOSE_DELAY=-1 keeps the in-memory database alive between connections of the same test.
        ds.setURL("jdbc:h2:mem:t" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        return new TestDatabase(Kind.H2, ds, null);
    }

    public static TestDatabase postgres() {
        Services.assumePostgres();
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(Services.postgresUrl()); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test schema on PostgreSQL: " + e.getMessage(), e);
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(Services.postgresUrl());
        ds.setCurrentSchema(schema);
        return new TestDatabase(Kind.POSTGRESQL, ds, schema);
    }

    public Kind kind() {
        return kind;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The private schema on PostgreSQL, or {@code null} on H2. */
    public String schema() {
        return schema;
    }

    @Override
    public void close() {
        if (schema == null) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            } catch (SQLException ignored) {
                // already closed
            }
            return;
        }
        try (Connection c = DriverManager.getConnection(Services.postgresUrl()); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test schema " + schema + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return kind.name();
    }
}
