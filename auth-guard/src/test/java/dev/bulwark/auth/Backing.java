package dev.bulwark.auth;

import dev.bulwark.testkit.TestDatabase;

import javax.sql.DataSource;

/** Where a store under test keeps its data: in memory, or a fresh H2 / real PostgreSQL schema with our DDL applied. */
public enum Backing {
    MEMORY, H2, POSTGRESQL;

    public Opened open() {
        if (this == MEMORY) return new Opened(null, null);
        TestDatabase db = (this == H2 ? TestDatabase.Kind.H2 : TestDatabase.Kind.POSTGRESQL).open();
        AuthSchema.create(db.dataSource());
        return new Opened(db, db.dataSource());
    }

    /** An opened backing; {@link #dataSource()} is null for MEMORY. */
    public static final class Opened implements AutoCloseable {
        private final TestDatabase db;
        private final DataSource dataSource;

        Opened(TestDatabase db, DataSource dataSource) {
            this.db = db;
            this.dataSource = dataSource;
        }

        public DataSource dataSource() {
            return dataSource;
        }

        public boolean inMemory() {
            return dataSource == null;
        }

        @Override
        public void close() {
            if (db != null) db.close();
        }
    }
}
