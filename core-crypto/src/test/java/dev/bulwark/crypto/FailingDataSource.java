package dev.bulwark.crypto;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;

/** A data source for store tests: delegates to a real one, and can run something before a given connection is handed out. */
class FailingDataSource implements DataSource {
    interface Hook {
        void beforeConnection(int number) throws SQLException;
    }

    private final DataSource delegate;
    private final Hook hook;
    private int connections;

    FailingDataSource(DataSource delegate, Hook hook) {
        this.delegate = delegate;
        this.hook = hook;
    }

    /** Every connection attempt fails as if the database were down. */
    static FailingDataSource down() {
        return new FailingDataSource(null, n -> {
            throw new SQLException("Connection to db.internal:5432 refused", "08001");
        });
    }

    @Override
    public Connection getConnection() throws SQLException {
        hook.beforeConnection(++connections);
        return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        hook.beforeConnection(++connections);
        return delegate.getConnection(username, password);
    }

    @Override public PrintWriter getLogWriter() { return null; }
    @Override public void setLogWriter(PrintWriter out) { }
    @Override public void setLoginTimeout(int seconds) { }
    @Override public int getLoginTimeout() { return 0; }
    @Override public Logger getParentLogger() { return Logger.getGlobal(); }
    @Override public <T> T unwrap(Class<T> iface) throws SQLException { throw new SQLException("not a wrapper"); }
    @Override public boolean isWrapperFor(Class<?> iface) { return false; }
}
