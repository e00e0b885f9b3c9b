package dev.bulwark.auth.login;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** Login state for a single node (lost on restart). */
public final class InMemoryLoginStateStore implements LoginStateStore {
    private final ConcurrentHashMap<String, AttemptState> states = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> addresses = new ConcurrentHashMap<>();

    @Override
    public AttemptState get(String key) {
        return states.getOrDefault(key, AttemptState.EMPTY);
    }

    @Override
    public AttemptState update(String key, UnaryOperator<AttemptState> update) {
        AttemptState r = states.compute(key, (k, old) -> {
            AttemptState n = update.apply(old == null ? AttemptState.EMPTY : old);
            return n == null || n.isEmpty() ? null : n;
        });
        return r == null ? AttemptState.EMPTY : r;
    }

    @Override
    public void delete(String key) {
        states.remove(key);
    }

    @Override
    public AddressHistory rememberAddress(String account, String address, Instant now) {
        boolean[] first = {false};
        Set<String> set = addresses.computeIfAbsent(account, a -> {
            first[0] = true;
            return ConcurrentHashMap.newKeySet();
        });
        boolean added = set.add(address);
        if (first[0]) return AddressHistory.FIRST_FOR_ACCOUNT;
        return added ? AddressHistory.NEW : AddressHistory.KNOWN;
    }
}
