package dev.bulwark.audit;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Chains in SQL ({@code bulwark_audit_chains}, {@code bulwark_audit_events}); portable SQL for PostgreSQL and H2.
 * DDL: resource {@value #DDL_RESOURCE}, or {@link #createTablesIfMissing()}. An append is one transaction that locks
 * the chain row, inserts the entry and moves the head; lock timeouts, deadlocks and serialization failures are
 * retried.
 */
public final class JdbcAuditStore implements AuditStore {
    public static final String DDL_RESOURCE = "/dev/bulwark/audit/audit.sql";
    private static final int MAX_ATTEMPTS = 100;
    private static final String COLUMNS = "chain_id, seq, time_ms, actor_type, actor_id, action, target_type, target_id, "
            + "outcome, ip, user_agent, details, suspicious, key_id, prev_mac, mac";

    private final DataSource dataSource;

    public JdbcAuditStore(DataSource dataSource) {
        if (dataSource == null) throw new IllegalArgumentException("dataSource must not be null");
        this.dataSource = dataSource;
    }

    public JdbcAuditStore createTablesIfMissing() {
        String ddl;
        try (InputStream in = JdbcAuditStore.class.getResourceAsStream(DDL_RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + DDL_RESOURCE);
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AuditException(AuditException.Reason.STORAGE, "cannot read " + DDL_RESOURCE, e);
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String stmt : ddl.replaceAll("(?m)^--.*$", "").split(";")) {
                if (!stmt.isBlank()) s.execute(stmt.trim());
            }
        } catch (SQLException e) {
            throw storage("create tables", e);
        }
        return this;
    }

    private interface Tx<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs a transaction, retrying on lock timeouts, deadlocks, serialization failures and lost head-row inserts. */
    private <T> T transaction(String what, Tx<T> work) {
        SQLException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                boolean auto = c.getAutoCommit();
                c.setAutoCommit(false);
                try {
                    T r = work.run(c);
                    c.commit();
                    return r;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(auto);
                }
            } catch (SQLException e) {
                if (!retryable(e)) throw storage(what, e);
                last = e;
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(1, 2 + Math.min(attempt, 20)));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw storage(what, e);
                }
            }
        }
        throw storage(what + " after " + MAX_ATTEMPTS + " attempts under contention", last);
    }

    private static boolean retryable(SQLException e) {
        String st = e.getSQLState();
        if (st == null && e.getCause() instanceof SQLException cause) st = cause.getSQLState();
        // 40xxx: serialization failure / deadlock; 23505: lost the race to create the chain row;
        // HYT00: H2 lock timeout; 55P03: PostgreSQL lock not available.
        return st != null && (st.startsWith("40") || st.equals("23505") || st.equals("HYT00") || st.equals("55P03"));
    }

    /** Locks the chain row, creating it at genesis if missing. */
    private static ChainHead lockHead(Connection c, ChainId chain) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT last_seq, last_mac, last_time_ms FROM bulwark_audit_chains WHERE chain_id = ? FOR UPDATE")) {
            ps.setString(1, chain.value());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return new ChainHead(chain, rs.getLong(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)));
            }
        }
        ChainHead g = ChainHead.genesis(chain);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO bulwark_audit_chains (chain_id, last_seq, last_mac, last_time_ms) VALUES (?, 0, ?, 0)")) {
            ps.setString(1, chain.value());
            ps.setString(2, g.mac());
            ps.executeUpdate(); // a concurrent creator makes this fail with 23505: the transaction is retried
        }
        return g;
    }

    @Override
    public AuditEntry append(ChainId chain, Function<ChainHead, AuditEntry> sealer) {
        return transaction("append audit entry", c -> {
            ChainHead head = lockHead(c, chain);
            AuditEntry e = sealer.apply(head);
            if (e.seq() != head.seq() + 1 || !e.chain().equals(chain)) throw new IllegalStateException("sealer broke the chain order");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bulwark_audit_events (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int i = 1;
                ps.setString(i++, chain.value());
                ps.setLong(i++, e.seq());
                ps.setLong(i++, e.time().toEpochMilli());
                ps.setString(i++, e.actor().type().name());
                ps.setString(i++, e.actor().id());
                ps.setString(i++, e.action());
                ps.setString(i++, e.targetType());
                ps.setString(i++, e.targetId());
                ps.setString(i++, e.outcome().name());
                ps.setString(i++, e.ip());
                ps.setString(i++, e.userAgent());
                ps.setString(i++, Json.object(e.details().asMap()));
                ps.setBoolean(i++, e.suspicious());
                ps.setInt(i++, e.keyId());
                ps.setString(i++, e.prevMac());
                ps.setString(i, e.mac());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE bulwark_audit_chains SET last_seq = ?, last_mac = ?, last_time_ms = ? WHERE chain_id = ?")) {
                ps.setLong(1, e.seq());
                ps.setString(2, e.mac());
                ps.setLong(3, e.time().toEpochMilli());
                ps.setString(4, chain.value());
                ps.executeUpdate();
            }
            return e;
        });
    }

    @Override
    public Optional<ChainHead> head(ChainId chain) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT last_seq, last_mac, last_time_ms FROM bulwark_audit_chains WHERE chain_id = ? AND last_seq > 0")) {
            ps.setString(1, chain.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new ChainHead(chain, rs.getLong(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw storage("read chain head", e);
        }
    }

    @Override
    public Optional<Checkpoint> checkpoint(ChainId chain) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT cp_through_seq, cp_last_mac, cp_pruned_at_ms, cp_key_id, cp_mac FROM bulwark_audit_chains "
                        + "WHERE chain_id = ? AND cp_through_seq IS NOT NULL")) {
            ps.setString(1, chain.value());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Checkpoint(chain, rs.getLong(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                        rs.getInt(4), rs.getString(5)));
            }
        } catch (SQLException e) {
            throw storage("read checkpoint", e);
        }
    }

    @Override
    public List<AuditEntry> entries(ChainId chain, long afterSeq, int limit) {
        return select("chain_id = ? AND seq > ?", List.of(chain.value(), afterSeq), "seq", limit);
    }

    @Override
    public List<AuditEntry> query(AuditQuery q) {
        StringBuilder where = new StringBuilder("chain_id = ? AND seq > ? AND seq < ?");
        List<Object> args = new ArrayList<>(List.of(q.chain().value(), q.afterSeq, q.beforeSeq));
        if (q.from != null) {
            where.append(" AND time_ms >= ?");
            args.add(q.from.toEpochMilli());
        }
        if (q.to != null) {
            where.append(" AND time_ms < ?");
            args.add(q.to.toEpochMilli());
        }
        if (q.actor != null) {
            where.append(" AND actor_type = ? AND actor_id = ?");
            args.add(q.actor.type().name());
            args.add(q.actor.id());
        }
        if (q.action != null) {
            where.append(" AND action = ?");
            args.add(q.action);
        }
        if (q.targetType != null) {
            where.append(" AND target_type = ?");
            args.add(q.targetType);
        }
        if (q.targetId != null) {
            where.append(" AND target_id = ?");
            args.add(q.targetId);
        }
        if (q.outcome != null) {
            where.append(" AND outcome = ?");
            args.add(q.outcome.name());
        }
        if (q.suspiciousOnly) where.append(" AND suspicious = TRUE");
        return select(where.toString(), args, q.newestFirst ? "seq DESC" : "seq", q.limit);
    }

    private List<AuditEntry> select(String where, List<Object> args, String order, int limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM bulwark_audit_events WHERE " + where + " ORDER BY " + order + " LIMIT " + limit)) {
            for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(map(rs));
            }
            return out;
        } catch (SQLException e) {
            throw storage("read audit entries", e);
        }
    }

    /**
     * Maps a row. A row whose fields no longer parse (edited in the database) is returned with its content as
     * found and a MAC that cannot verify, so the verifier reports it as EDITED at its seq instead of failing.
     */
    private static AuditEntry map(ResultSet rs) throws SQLException {
        ChainId chain = ChainId.parse(rs.getString(1));
        long seq = rs.getLong(2);
        Instant time = Instant.ofEpochMilli(rs.getLong(3));
        boolean readable = chain != null;
        Actor actor;
        try {
            actor = new Actor(Actor.Type.valueOf(rs.getString(4)), rs.getString(5));
        } catch (RuntimeException e) {
            actor = Actor.system("unreadable");
            readable = false;
        }
        Outcome outcome;
        try {
            outcome = Outcome.valueOf(rs.getString(9));
        } catch (RuntimeException e) {
            outcome = Outcome.FAILURE;
            readable = false;
        }
        String detailsText = rs.getString(12);
        Details details;
        try {
            Map<String, String> values = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : Json.parseObject(detailsText).entrySet()) {
                if (!(e.getValue() instanceof String s)) throw new Json.Malformed("detail values must be strings");
                values.put(e.getKey(), s);
            }
            details = Details.stored(values);
        } catch (Json.Malformed e) {
            details = Details.stored(Map.of("unreadable", Json.printable(String.valueOf(detailsText))));
            readable = false;
        }
        String mac = rs.getString(16);
        return new AuditEntry(chain == null ? ChainId.PLATFORM : chain, seq, time, actor, rs.getString(6), rs.getString(7),
                rs.getString(8), outcome, rs.getString(10), rs.getString(11), details, rs.getBoolean(13), rs.getInt(14),
                rs.getString(15), readable ? mac : "!unreadable-row");
    }

    @Override
    public Pruned prune(ChainId chain, Instant cutoff, Function<AuditEntry, Checkpoint> sealer) {
        return transaction("prune audit chain", c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT last_seq FROM bulwark_audit_chains WHERE chain_id = ? FOR UPDATE")) {
                lock.setString(1, chain.value());
                try (ResultSet rs = lock.executeQuery()) {
                    if (!rs.next()) return new Pruned(0, null);
                }
            }
            List<AuditEntry> last;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM bulwark_audit_events "
                    + "WHERE chain_id = ? AND time_ms < ? ORDER BY seq DESC LIMIT 1")) {
                ps.setString(1, chain.value());
                ps.setLong(2, cutoff.toEpochMilli());
                last = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) last.add(map(rs));
                }
            }
            if (last.isEmpty()) return new Pruned(0, null);
            Checkpoint cp = sealer.apply(last.get(0));
            long removed;
            try (PreparedStatement del = c.prepareStatement("DELETE FROM bulwark_audit_events WHERE chain_id = ? AND seq <= ?")) {
                del.setString(1, chain.value());
                del.setLong(2, cp.throughSeq());
                removed = del.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE bulwark_audit_chains SET cp_through_seq = ?, cp_last_mac = ?, "
                    + "cp_pruned_at_ms = ?, cp_key_id = ?, cp_mac = ? WHERE chain_id = ?")) {
                ps.setLong(1, cp.throughSeq());
                ps.setString(2, cp.lastMac());
                ps.setLong(3, cp.prunedAt().toEpochMilli());
                ps.setInt(4, cp.keyId());
                ps.setString(5, cp.mac());
                ps.setString(6, chain.value());
                ps.executeUpdate();
            }
            return new Pruned(removed, cp);
        });
    }

    @Override
    public void setRetention(ChainId chain, Retention retention) {
        transaction("set retention", c -> {
            lockHead(c, chain);
            try (PreparedStatement ps = c.prepareStatement("UPDATE bulwark_audit_chains SET retention_ms = ? WHERE chain_id = ?")) {
                ps.setLong(1, retention.millis());
                ps.setString(2, chain.value());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Retention> retention(ChainId chain) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT retention_ms FROM bulwark_audit_chains WHERE chain_id = ? AND retention_ms IS NOT NULL")) {
            ps.setString(1, chain.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Retention.ofStoredMillis(rs.getLong(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw storage("read retention", e);
        }
    }

    @Override
    public List<ChainId> chains() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT chain_id FROM bulwark_audit_chains ORDER BY chain_id")) {
            List<ChainId> out = new ArrayList<>();
            while (rs.next()) {
                ChainId id = ChainId.parse(rs.getString(1));
                if (id != null) out.add(id);
            }
            return out;
        } catch (SQLException e) {
            throw storage("list chains", e);
        }
    }

    private static AuditException storage(String what, SQLException e) {
        return new AuditException(AuditException.Reason.STORAGE, "audit store: cannot " + what
                + (e == null ? "" : " (SQLState " + e.getSQLState() + ")"), e);
    }

    @Override
    public String toString() {
        return "JdbcAuditStore";
    }
}
