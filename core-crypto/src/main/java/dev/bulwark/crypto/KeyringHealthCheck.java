package dev.bulwark.crypto;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The start-up check: fails loudly when encrypted data exists but the keyset it needs is missing, or when stored
 * keysets do not decrypt under the configured master key. Run it before serving and before {@link Keyring#provision}.
 */
public final class KeyringHealthCheck {
    private KeyringHealthCheck() {}

    /** One problem found. */
    public record Problem(String keysetId, KeyringException.Reason reason, String message) { }

    /** The outcome; {@link #requireHealthy()} throws with every problem listed. */
    public record Report(List<Problem> problems, int keysetsChecked, int destroyedKeysets) {
        public Report {
            problems = List.copyOf(problems);
        }

        public boolean healthy() {
            return problems.isEmpty();
        }

        public Report requireHealthy() {
            if (!healthy()) {
                StringBuilder sb = new StringBuilder("refusing to start: encryption keys are not usable:");
                for (Problem p : problems) sb.append("\n - ").append(p.message());
                KeyringException.Reason first = problems.get(0).reason();
                throw new KeyringException(first, sb.toString());
            }
            return this;
        }
    }

    /**
     * Loads every stored keyset (catching a wrong master key) and checks that each keyset in {@code expected} that
     * the inventory says holds data exists.
     */
    public static Report check(Keyring keyring, Keyring.DataInventory inventory, Collection<KeysetName> expected) {
        List<Problem> problems = new ArrayList<>();
        int checked = 0;
        int destroyed = 0;
        keyring.clearCache();
        for (KeysetName name : keyring.storedKeysets()) {
            checked++;
            try {
                KeysetInfo info = keyring.info(name);
                if (info.destroyed()) destroyed++;
            } catch (KeyringException e) {
                problems.add(new Problem(name.id(), e.reason(), e.getMessage()));
            }
        }
        for (KeysetName name : expected) {
            long values = inventory.encryptedValuesUnder(name);
            if (values > 0 && !keyring.exists(name)) {
                problems.add(new Problem(name.id(), KeyringException.Reason.MISSING_KEYSET,
                        values + " encrypted values need keyset " + name.id() + ", which is missing; restore the keyset store "
                                + "(and the master key) from backup. A new key would not decrypt them."));
            }
        }
        return new Report(problems, checked, destroyed);
    }
}
