package dev.bulwark.auth.login;

import java.util.function.UnaryOperator;

/**
 * Durable login state shared by every node: failure counters/lockouts and the addresses each account has used.
 * Implementations: {@link InMemoryLoginStateStore} (one node, tests) and {@link JdbcLoginStateStore}
 * (PostgreSQL or H2, DDL in {@code dev/bulwark/auth/schema.sql}).
 */
public interface LoginStateStore {

    AttemptState get(String key);

    /**
     * Atomically replaces the state of {@code key} with {@code update(current)} (current is {@link AttemptState#EMPTY}
     * when absent) and returns the new state. An empty result deletes the entry. {@code update} may run more than once.
     */
    AttemptState update(String key, UnaryOperator<AttemptState> update);

    void delete(String key);

    /** What {@link #rememberAddress} found. */
    enum AddressHistory { FIRST_FOR_ACCOUNT, NEW, KNOWN }

    /** Records that {@code account} used {@code address}; says whether the account had used it before. */
    AddressHistory rememberAddress(String account, String address, java.time.Instant now);
}
