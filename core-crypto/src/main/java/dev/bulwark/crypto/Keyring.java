package dev.bulwark.crypto;

import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.StreamingAead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Named keysets by purpose, each stored encrypted under the {@link MasterKey}, plus one data keyset and one file
 * keyset per workspace. Unwrapped keysets are cached for at most {@link Builder#cacheMaxAge(Duration)} so a KMS
 * master key costs one round-trip per keyset per period, not one per operation.
 *
 * <p>Keysets are never created implicitly: {@link #provision} creates missing ones only where the caller's
 * {@link DataInventory} says no encrypted data needs them, so a lost keyset can never be silently replaced.
 */
public final class Keyring {
    private static final Logger log = LoggerFactory.getLogger(Keyring.class);

    private final MasterKey masterKey;
    private final KeysetStore store;
    private final long maxAgeNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentMap<KeysetName, LoadedKeyset> cache = new ConcurrentHashMap<>();

    private Keyring(Builder b) {
        this.masterKey = b.masterKey;
        this.store = b.store;
        this.maxAgeNanos = b.cacheMaxAge.toNanos();
        this.nanoClock = b.nanoClock;
        TinkSupport.register();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with secure defaults: keysets cached for at most 5 minutes. */
    public static final class Builder {
        private MasterKey masterKey;
        private KeysetStore store;
        private Duration cacheMaxAge = Duration.ofMinutes(5);
        private LongSupplier nanoClock = System::nanoTime;

        public Builder masterKey(MasterKey masterKey) {
            this.masterKey = Objects.requireNonNull(masterKey, "masterKey");
            return this;
        }

        public Builder store(KeysetStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** How long an unwrapped keyset may be used before it is re-read (picks up rotation by other nodes). */
        public Builder cacheMaxAge(Duration maxAge) {
            if (maxAge == null || maxAge.isNegative()) throw new IllegalArgumentException("cacheMaxAge must be >= 0");
            this.cacheMaxAge = maxAge;
            return this;
        }

        /** For tests: the monotonic clock used for cache ages. */
        public Builder nanoClock(LongSupplier nanoClock) {
            this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        public Keyring build() {
            if (masterKey == null) throw new IllegalStateException("a master key is required: Keyring.builder().masterKey(...)");
            if (store == null) throw new IllegalStateException("a keyset store is required: Keyring.builder().store(...)");
            return new Keyring(this);
        }
    }

    /** Tells the keyring how much encrypted data exists under a keyset, so it never creates a key over existing data. */
    @FunctionalInterface
    public interface DataInventory {
        /** How many stored values need {@code keyset}; 0 if none. */
        long encryptedValuesUnder(KeysetName keyset);

        /** For a brand-new installation with no data anywhere. */
        DataInventory EMPTY = k -> 0;
    }

    // ---------------------------------------------------------------- primitives

    /** Shared sensitive fields. */
    public FieldCipher fields() {
        return new FieldCipher(this, KeysetName.of(KeyPurpose.FIELDS));
    }

    /** Third-party OAuth tokens and API keys, under their own keyset. */
    public FieldCipher connectionCredentials() {
        return new FieldCipher(this, KeysetName.of(KeyPurpose.CONNECTION_CREDENTIALS));
    }

    /** Fields of one workspace, under that workspace's data keyset (crypto-shreddable). */
    public FieldCipher workspaceFields(String workspaceId) {
        return new FieldCipher(this, KeysetName.workspace(KeyPurpose.WORKSPACE_DATA, workspaceId));
    }

    /** Deterministic (AES-SIV) encryption for exact-match columns. */
    public SearchableFieldCipher searchableFields() {
        return new SearchableFieldCipher(this, KeysetName.of(KeyPurpose.SEARCHABLE_FIELDS));
    }

    /** Blind indexes (HMAC-SHA256 with per-column derived keys). */
    public BlindIndexer blindIndexes() {
        return new BlindIndexer(this, KeysetName.of(KeyPurpose.BLIND_INDEX));
    }

    /** Shared file encryption (streaming). */
    public StreamCipher files() {
        return new StreamCipher(this, KeysetName.of(KeyPurpose.FILES));
    }

    /** Backup encryption (streaming). */
    public StreamCipher backups() {
        return new StreamCipher(this, KeysetName.of(KeyPurpose.BACKUPS));
    }

    /** Files of one workspace, under that workspace's file keyset (crypto-shreddable). */
    public StreamCipher workspaceFiles(String workspaceId) {
        return new StreamCipher(this, KeysetName.workspace(KeyPurpose.WORKSPACE_FILES, workspaceId));
    }

    /** MAC keys for {@link KeyPurpose#LINK_SIGNING}, {@link KeyPurpose#AUDIT} or {@link KeyPurpose#PASSWORD_PEPPER}. */
    public MacKeys macKeys(KeyPurpose purpose) {
        if (purpose != KeyPurpose.LINK_SIGNING && purpose != KeyPurpose.AUDIT && purpose != KeyPurpose.PASSWORD_PEPPER) {
            throw new IllegalArgumentException("macKeys is for LINK_SIGNING, AUDIT or PASSWORD_PEPPER, not " + purpose);
        }
        return new MacKeys(this, KeysetName.of(purpose));
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Creates each named keyset that does not exist yet, unless {@code inventory} reports encrypted data under it:
     * then the keyset was lost, and creating a fresh one would silently orphan that data, so this throws.
     *
     * @return the keysets created
     */
    public List<KeysetName> provision(DataInventory inventory, Collection<KeysetName> names) {
        Objects.requireNonNull(inventory, "inventory");
        List<KeysetName> created = new ArrayList<>();
        for (KeysetName name : names) {
            Optional<KeysetStore.StoredKeyset> existing = store.find(name.id());
            if (existing.isPresent()) {
                if (existing.get().destroyed()) {
                    throw new KeyringException(KeyringException.Reason.KEYSET_DESTROYED,
                            "keyset " + name.id() + " was destroyed and is never recreated under the same name");
                }
                continue;
            }
            long values = inventory.encryptedValuesUnder(name);
            if (values > 0) {
                throw new KeyringException(KeyringException.Reason.MISSING_KEYSET,
                        "keyset " + name.id() + " is missing but " + values + " encrypted values need it; restore the keyset "
                                + "store from backup instead of creating a new key (that would make the data unreadable)");
            }
            if (store.insert(name.id(), wrap(name, generate(name)))) {
                created.add(name);
                log.info("created keyset {}", name.id());
            }
        }
        return created;
    }

    /** Provisions every shared purpose's keyset. */
    public List<KeysetName> provisionShared(DataInventory inventory) {
        List<KeysetName> names = new ArrayList<>();
        for (KeyPurpose p : KeyPurpose.values()) if (!p.perWorkspace()) names.add(KeysetName.of(p));
        return provision(inventory, names);
    }

    /** Creates a new workspace's data and file keysets. Fails if the workspace id was used and shredded before. */
    public void createWorkspaceKeys(String workspaceId) {
        provision(DataInventory.EMPTY, List.of(
                KeysetName.workspace(KeyPurpose.WORKSPACE_DATA, workspaceId),
                KeysetName.workspace(KeyPurpose.WORKSPACE_FILES, workspaceId)));
    }

    /**
     * Crypto-shredding: destroys the workspace's data and file keysets. Every value and file encrypted under them is
     * permanently unreadable (including copies in old backups); other workspaces are untouched. The destruction
     * stays on record in the store.
     *
     * @return the keysets destroyed
     */
    public List<KeysetName> destroyWorkspaceKeys(String workspaceId) {
        List<KeysetName> destroyed = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (KeyPurpose p : List.of(KeyPurpose.WORKSPACE_DATA, KeyPurpose.WORKSPACE_FILES)) {
            KeysetName name = KeysetName.workspace(p, workspaceId);
            if (store.markDestroyed(name.id(), now)) destroyed.add(name);
            cache.remove(name);
        }
        log.warn("destroyed keysets of workspace {} (crypto-shredding): {}", workspaceId, destroyed);
        return destroyed;
    }

    /** Whether the keyset exists and was destroyed. */
    public boolean isDestroyed(KeysetName name) {
        return store.find(name.id()).map(KeysetStore.StoredKeyset::destroyed).orElse(false);
    }

    public boolean exists(KeysetName name) {
        return store.find(name.id()).isPresent();
    }

    /** Adds a fresh key and makes it primary. Old keys stay enabled, so existing values still decrypt. */
    public int rotate(KeysetName name) {
        LoadedKeyset current = loadFresh(name);
        requireAlive(current);
        try {
            KeysetHandle.Builder b = KeysetHandle.newBuilder(current.handle);
            b.addEntry(KeysetHandle.generateEntryFromParameters(TinkSupport.parametersFor(name.purpose().kind()))
                    .withRandomId().makePrimary());
            KeysetHandle rotated = b.build();
            save(name, rotated, current.version);
            int primary = rotated.getPrimary().getId();
            log.info("rotated keyset {}: new primary key {}", name.id(), Integer.toUnsignedString(primary));
            return primary;
        } catch (GeneralSecurityException e) {
            throw new KeyringException(KeyringException.Reason.INVALID_KEY_OPERATION, "cannot rotate keyset " + name.id(), e);
        }
    }

    /**
     * Disables an old key. Allowed only with evidence: clean, complete rewrite reports for this keyset (one per
     * column or store that uses it) in which no value still references the key. Disabled keys can be re-enabled
     * by restoring the keyset; see {@link #destroyKey} for the irreversible step.
     */
    public void disableKey(KeysetName name, int keyId, Collection<RewriteReport> evidence) {
        changeKey(name, keyId, evidence, false);
    }

    /** Removes a disabled key's material for good. Same evidence rule as {@link #disableKey}. */
    public void destroyKey(KeysetName name, int keyId, Collection<RewriteReport> evidence) {
        changeKey(name, keyId, evidence, true);
    }

    private void changeKey(KeysetName name, int keyId, Collection<RewriteReport> evidence, boolean destroy) {
        LoadedKeyset current = loadFresh(name);
        requireAlive(current);
        if (!current.statuses.containsKey(keyId)) {
            throw new KeyringException(KeyringException.Reason.INVALID_KEY_OPERATION,
                    "keyset " + name.id() + " has no key " + Integer.toUnsignedString(keyId));
        }
        if (keyId == current.primaryId) {
            throw new KeyringException(KeyringException.Reason.INVALID_KEY_OPERATION,
                    "key " + Integer.toUnsignedString(keyId) + " is the primary of " + name.id() + "; rotate first");
        }
        if (evidence == null || evidence.isEmpty()) {
            throw new KeyringException(KeyringException.Reason.KEY_STILL_IN_USE,
                    "no rewrite report shows that key " + Integer.toUnsignedString(keyId) + " is unused");
        }
        for (RewriteReport r : evidence) {
            if (!r.keysetId().equals(name.id()) || !r.provesKeyUnused(keyId)) {
                throw new KeyringException(KeyringException.Reason.KEY_STILL_IN_USE,
                        "report " + r + " does not prove key " + Integer.toUnsignedString(keyId) + " of " + name.id()
                                + " is unused (it must be complete, without conflicts or failures, for this keyset)");
            }
        }
        if (destroy && current.statuses.get(keyId) == KeyStatus.ENABLED) {
            throw new KeyringException(KeyringException.Reason.INVALID_KEY_OPERATION,
                    "disable key " + Integer.toUnsignedString(keyId) + " first; destroy is the second, irreversible step");
        }
        KeysetHandle.Builder b = KeysetHandle.newBuilder(current.handle);
        for (int i = 0; i < b.size(); i++) {
            if (current.handle.getAt(i).getId() != keyId) continue;
            if (destroy) b.deleteAt(i);
            else b.getAt(i).setStatus(KeyStatus.DISABLED);
            break;
        }
        try {
            save(name, b.build(), current.version);
        } catch (GeneralSecurityException e) {
            throw new KeyringException(KeyringException.Reason.INVALID_KEY_OPERATION, "cannot change key in " + name.id(), e);
        }
        log.info("{} key {} of keyset {}", destroy ? "destroyed" : "disabled", Integer.toUnsignedString(keyId), name.id());
    }

    /** Key ids and states (no material). */
    public KeysetInfo info(KeysetName name) {
        LoadedKeyset k = load(name);
        List<KeysetInfo.Key> keys = new ArrayList<>();
        k.statuses.forEach((id, st) -> keys.add(new KeysetInfo.Key(id, st == KeyStatus.ENABLED, id == k.primaryId)));
        keys.sort((a, b) -> Boolean.compare(b.primary(), a.primary()));
        return new KeysetInfo(name.id(), k.destroyed(), k.primaryId, keys);
    }

    /**
     * Brings an existing Tink keyset under this keyring (migration from another system, or a fixed test keyset).
     * Fails if the name is taken.
     */
    public void importKeyset(KeysetName name, KeysetHandle handle) {
        if (!store.insert(name.id(), wrap(name, handle))) {
            throw new KeyringException(KeyringException.Reason.KEYSET_EXISTS, "keyset " + name.id() + " already exists");
        }
        cache.remove(name);
    }

    /**
     * Drops the cached copy of one keyset, so its next use reads and unwraps it from the store again: for a node that
     * meets a key id another node's rotation added within the cache period.
     */
    public void reload(KeysetName name) {
        cache.remove(Objects.requireNonNull(name, "name"));
    }

    /** Drops every cached keyset, forcing the next use to unwrap again. */
    public void clearCache() {
        cache.clear();
    }

    /** Names of all stored keysets this version understands. */
    public List<KeysetName> storedKeysets() {
        List<KeysetName> out = new ArrayList<>();
        for (String id : store.names()) {
            KeysetName n = KeysetName.parse(id);
            if (n != null) out.add(n);
        }
        return out;
    }

    public MasterKey masterKey() {
        return masterKey;
    }

    // ---------------------------------------------------------------- internals

    LoadedKeyset load(KeysetName name) {
        LoadedKeyset k = cache.get(name);
        if (k != null && nanoClock.getAsLong() - k.loadedAtNanos <= maxAgeNanos) return k;
        return loadFresh(name);
    }

    private LoadedKeyset loadFresh(KeysetName name) {
        KeysetStore.StoredKeyset stored = store.find(name.id()).orElseThrow(() -> new KeyringException(
                KeyringException.Reason.MISSING_KEYSET,
                "keyset " + name.id() + " does not exist; create it with Keyring.provision(...) on first start"
                        + (name.purpose().perWorkspace() ? " (or createWorkspaceKeys for a new workspace)" : "")));
        LoadedKeyset k;
        if (stored.destroyed()) {
            k = new LoadedKeyset(name, null, stored.version(), nanoClock.getAsLong());
        } else {
            try {
                KeysetHandle h = TinkProtoKeysetFormat.parseEncryptedKeyset(stored.encryptedKeyset(), masterKey.aead(), binding(name));
                k = new LoadedKeyset(name, h, stored.version(), nanoClock.getAsLong());
            } catch (GeneralSecurityException e) {
                throw new KeyringException(KeyringException.Reason.WRONG_MASTER_KEY,
                        "keyset " + name.id() + " does not decrypt under the master key from " + masterKey.source()
                                + ": the master key is wrong, or the stored keyset was altered");
            }
        }
        cache.put(name, k);
        return k;
    }

    static void requireAlive(LoadedKeyset k) {
        if (k.destroyed()) {
            throw new KeyringException(KeyringException.Reason.KEYSET_DESTROYED,
                    "keyset " + k.name.id() + " was destroyed (crypto-shredded); nothing can be encrypted under it");
        }
    }

    private void save(KeysetName name, KeysetHandle handle, long expectedVersion) {
        if (!store.update(name.id(), wrap(name, handle), expectedVersion)) {
            cache.remove(name);
            throw new KeyringException(KeyringException.Reason.CONCURRENT_MODIFICATION,
                    "keyset " + name.id() + " was changed concurrently; retry");
        }
        cache.remove(name);
    }

    private byte[] wrap(KeysetName name, KeysetHandle handle) {
        try {
            return TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, masterKey.aead(), binding(name));
        } catch (GeneralSecurityException e) {
            throw new KeyringException(KeyringException.Reason.MASTER_KEY_UNAVAILABLE,
                    "cannot encrypt keyset " + name.id() + " under the master key from " + masterKey.source(), e);
        }
    }

    private static KeysetHandle generate(KeysetName name) {
        try {
            return KeysetHandle.generateNew(TinkSupport.parametersFor(name.purpose().kind()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a key for " + name.id(), e);
        }
    }

    /** Associated data of a stored keyset: a keyset stored under another name (e.g. another workspace) fails to load. */
    private static byte[] binding(KeysetName name) {
        return ("bulwark.keyset.v1:" + name.id()).getBytes(StandardCharsets.UTF_8);
    }

    static StreamingAead streaming(LoadedKeyset k) {
        return k.primitive(StreamingAead.class);
    }

    @Override
    public String toString() {
        return "Keyring[" + masterKey + ", " + store + "]";
    }
}
