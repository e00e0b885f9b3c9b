package dev.bulwark.auth.totp;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Second-factor state in memory (one node, tests). */
public final class InMemoryMfaStore implements MfaStore {
    private final ConcurrentHashMap<String, Long> steps = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> codes = new ConcurrentHashMap<>();

    @Override
    public boolean advanceStep(String userId, long step) {
        boolean[] advanced = {false};
        steps.compute(userId, (k, last) -> {
            if (last == null || step > last) {
                advanced[0] = true;
                return step;
            }
            return last;
        });
        return advanced[0];
    }

    @Override
    public void replaceRecoveryCodes(String userId, List<String> codeHashes) {
        Set<String> s = ConcurrentHashMap.newKeySet();
        s.addAll(codeHashes);
        codes.put(userId, s);
    }

    @Override
    public boolean consumeRecoveryCode(String userId, String codeHash) {
        Set<String> s = codes.get(userId);
        return s != null && s.remove(codeHash);
    }

    @Override
    public int countRecoveryCodes(String userId) {
        Set<String> s = codes.get(userId);
        return s == null ? 0 : s.size();
    }

    @Override
    public void deleteUser(String userId) {
        steps.remove(userId);
        codes.remove(userId);
    }
}
