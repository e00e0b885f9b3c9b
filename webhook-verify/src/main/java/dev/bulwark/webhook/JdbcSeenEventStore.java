package dev.bulwark.webhook;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;

/**
 * Seen event ids in table {@code bulwark_webhook_seen} (see {@link WebhookStoreSchema}), shared by every app node.
 * Every change is one auto-committed statement: the primary key makes the first claim atomic, and taking over an
 * expired record or lease is a single conditional UPDATE, so of concurrent deliveries of one event exactly one wins.
 */
public final class JdbcSeenEventStore implements SeenEventStore {
    private static final String UNIQUE_VIOLATION = "23505";
    private final DataSource dataSource;

    public JdbcSeenEventStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public Claim claim(String key, String claimant, Instant leaseUntil, Instant keepUntil, Instant now) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(claimant, "claimant");
        long lease = leaseUntil.getEpochSecond();
        long keep = keepUntil.getEpochSecond();
        long at = now.getEpochSecond();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO bulwark_webhook_seen "
                    + "(event_key, keep_until, lease_until, claimed_by) VALUES (?, ?, ?, ?)")) {
                bind(ins, key, keep, lease, claimant);
                ins.executeUpdate();
                return Claim.CLAIMED;
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) throw e;
            }
            // A record exists. An expired record, or an in-progress one whose lease ran out, is taken over by one
            // conditional UPDATE: concurrent takers re-check the condition on the row they waited for, so one wins.
            try (PreparedStatement up = c.prepareStatement("UPDATE bulwark_webhook_seen SET lease_until = ?, "
                    + "claimed_by = ?, keep_until = CASE WHEN keep_until < ? THEN ? ELSE keep_until END "
                    + "WHERE event_key = ? AND (keep_until < ? OR (claimed_by IS NOT NULL AND lease_until < ?))")) {
                bind(up, lease, claimant, keep, keep, key, at, at);
                if (up.executeUpdate() == 1) return Claim.CLAIMED;
            }
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT claimed_by FROM bulwark_webhook_seen WHERE event_key = ?")) {
                bind(q, key);
                try (ResultSet rs = q.executeQuery()) {
                    // No row: its holder released it just now. The sender's retry will claim it.
                    if (!rs.next()) return Claim.IN_PROGRESS;
                    return rs.getString(1) == null ? Claim.DONE : Claim.IN_PROGRESS;
                }
            }
        } catch (SQLException e) {
            throw new WebhookStoreException("cannot record a webhook event id: " + e.getMessage(), e);
        }
    }

    @Override
    public void complete(String key) {
        update("mark a webhook event done",
                "UPDATE bulwark_webhook_seen SET claimed_by = NULL, lease_until = NULL WHERE event_key = ?", key);
    }

    @Override
    public void release(String key, String claimant) {
        Objects.requireNonNull(claimant, "claimant");
        update("release a webhook event",
                "DELETE FROM bulwark_webhook_seen WHERE event_key = ? AND claimed_by = ?", key, claimant);
    }

    @Override
    public void forget(String key) {
        update("forget a webhook event id", "DELETE FROM bulwark_webhook_seen WHERE event_key = ?", key);
    }

    @Override
    public int purgeExpired(Instant now) {
        return update("purge webhook event ids", "DELETE FROM bulwark_webhook_seen WHERE keep_until < ?",
                now.getEpochSecond());
    }

    private int update(String what, String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            c.setAutoCommit(true);
            bind(ps, params);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new WebhookStoreException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
    }
}
