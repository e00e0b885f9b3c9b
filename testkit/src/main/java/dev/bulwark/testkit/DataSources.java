package dev.bulwark.testkit;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.logging.Logger;

/** Small {@link DataSource}s for store tests: a pool stand-in that hands out connections from a lambda. */
public final class DataSources {
    private DataSources() {}

    /** Where the connections come from (a real data source wrapped, a shared connection, a fresh driver connection...). */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection get() throws SQLException;
    }

    /**
     * A data source whose {@code getConnection()} asks {@code source}. The user/password variant is refused, as the
     * stores under test never call it; nothing here is a wrapper.
     */
    public static DataSource from(ConnectionSource source) {
        Objects.requireNonNull(source, "source");
        return new DataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                return source.get();
            }

            @Override
            public Connection getConnection(String user, String password) throws SQLException {
                throw new SQLException("not supported by this test data source");
            }

            @Override
            public PrintWriter getLogWriter() {
                return null;
            }

            @Override
            public void setLogWriter(PrintWriter out) {
            }

            @Override
            public void setLoginTimeout(int seconds) {
            }

            @Override
            public int getLoginTimeout() {
                return 0;
            }

            @Override
            public Logger getParentLogger() {
                return Logger.getGlobal();
            }

            @Override
            public <T> T unwrap(Class<T> iface) throws SQLException {
                throw new SQLException("not a wrapper");
            }

            @Override
            public boolean isWrapperFor(Class<?> iface) {
                return false;
            }
        };
    }
}
