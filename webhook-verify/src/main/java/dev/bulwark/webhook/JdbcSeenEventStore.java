package dev.bulwark.webhook;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;

/**
 * Seen event ids in table {@code bulwark_webhook_seen} (see {@link WebhookStoreSchema}), shared by every app node.
 * The primary key makes {@link #firstSeen} atomic: of two concurrent deliveries of one event exactly one wins.
 */
public final class JdbcSeenEventStore implements SeenEventStore {
    private static final String UNIQUE_VIOLATION = "23505";
    private final DataSource dataSource;

    public JdbcSeenEventStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public boolean firstSeen(String key, Instant keepUntil, Instant now) {
        Objects.requireNonNull(key, "key");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO bulwark_webhook_seen (event_key, keep_until) VALUES (?, ?)")) {
                ins.setString(1, key);
                ins.setLong(2, keepUntil.getEpochSecond());
                ins.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) throw e;
            }
            // A record exists; it counts only while live. Taking over an expired one is a single atomic update.
            try (PreparedStatement up = c.prepareStatement(
                    "UPDATE bulwark_webhook_seen SET keep_until = ? WHERE event_key = ? AND keep_until < ?")) {
                up.setLong(1, keepUntil.getEpochSecond());
                up.setString(2, key);
                up.setLong(3, now.getEpochSecond());
                return up.executeUpdate() == 1;
            }
        } catch (SQLException e) {
            throw new WebhookStoreException("cannot record a webhook event id: " + e.getMessage(), e);
        }
    }

    @Override
    public void forget(String key) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM bulwark_webhook_seen WHERE event_key = ?")) {
            ps.setString(1, key);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new WebhookStoreException("cannot forget a webhook event id: " + e.getMessage(), e);
        }
    }

    @Override
    public int purgeExpired(Instant now) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM bulwark_webhook_seen WHERE keep_until < ?")) {
            ps.setLong(1, now.getEpochSecond());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new WebhookStoreException("cannot purge webhook event ids: " + e.getMessage(), e);
        }
    }
}
