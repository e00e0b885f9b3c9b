package dev.bulwark.app.platform;

import dev.bulwark.audit.AuditMacKey;
import dev.bulwark.crypto.FieldContext;
import dev.bulwark.crypto.JdbcKeysetStore;
import dev.bulwark.crypto.KeyPurpose;
import dev.bulwark.crypto.Keyring;
import dev.bulwark.crypto.KeyringException;
import dev.bulwark.crypto.KeysetName;
import dev.bulwark.crypto.MacKeys;
import dev.bulwark.crypto.MasterKey;
import dev.bulwark.links.LinkKey;
import dev.bulwark.links.LinkKeySource;
import dev.bulwark.links.LinkKeyset;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The keyring (core-crypto) and the keys the app derives from it. The master key comes from BULWARK_MASTER_KEY or
 * the key file (created in the data directory, mode 0600, only in dev mode and only while no keyset exists yet:
 * a lost key file over existing keysets stops start-up instead of silently minting a new key).
 */
public final class Keys {
    private final Keyring keyring;
    private final MacKeys linkMacs;
    private final PasswordPeppers peppers;
    private volatile CachedLinkKeys cached;

    private record CachedLinkKeys(List<Integer> ids, LinkKeyset keyset) {}

    private Keys(Keyring keyring) {
        this.keyring = keyring;
        this.linkMacs = keyring.macKeys(KeyPurpose.LINK_SIGNING);
        this.peppers = new PasswordPeppers(keyring.macKeys(KeyPurpose.PASSWORD_PEPPER),
                () -> keyring.reload(KeysetName.of(KeyPurpose.PASSWORD_PEPPER)), System::nanoTime);
    }

    public static Keys open(Config config, DataSource ds) {
        JdbcKeysetStore store = new JdbcKeysetStore(ds);
        boolean fresh = store.names().isEmpty();
        MasterKey mk;
        try {
            if (config.masterKey.isPresent()) {
                mk = MasterKey.fromBase64(config.masterKey.get(), "BULWARK_MASTER_KEY");
            } else {
                MasterKey.FileMode mode = fresh && config.devMode ? MasterKey.FileMode.DEV_CREATE_IF_MISSING : MasterKey.FileMode.EXISTING_ONLY;
                mk = MasterKey.fromKeyFile(config.masterKeyFile, mode);
            }
            Keyring k = Keyring.builder().masterKey(mk).store(store).build();
            k.provisionShared(name -> encryptedValuesUnder(ds, name));
            Keys keys = new Keys(k);
            keys.selfTest();
            return keys;
        } catch (KeyringException e) {
            throw new ConfigException("keyring: " + e.getMessage() + " (reason " + e.reason() + ")");
        }
    }

    /**
     * Shared-keyset inventory: the app's only shared encrypted column is the TOTP secret; password hashes that name a
     * pepper need the password-pepper keyset (without it no such user could sign in again, so it is never re-created).
     */
    private static long encryptedValuesUnder(DataSource ds, KeysetName name) {
        String count;
        if (name.equals(KeysetName.of(KeyPurpose.FIELDS))) count = "SELECT count(*) FROM app_users WHERE mfa_secret IS NOT NULL";
        else if (name.equals(KeysetName.of(KeyPurpose.PASSWORD_PEPPER))) count = "SELECT count(*) FROM app_users WHERE password_hash LIKE '"
                + PasswordPeppers.SQL_LIKE_PEPPERED + "'";
        else return 0;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(count)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count encrypted values: " + e.getSQLState(), e);
        }
    }

    /** Health check: the master key unwraps the keysets and a value round-trips. */
    public boolean selfTest() {
        FieldContext ctx = FieldContext.of("platform", "health", "probe", "1");
        try {
            String c = keyring.fields().encrypt("probe", ctx);
            linkMacs.primaryKeyId();
            keyring.macKeys(KeyPurpose.AUDIT).primaryKeyId();
            peppers.peppers();
            return "probe".equals(keyring.fields().decrypt(c, ctx));
        } catch (Exception e) {
            return false;
        }
    }

    public Keyring keyring() {
        return keyring;
    }

    /** Link-signing keys derived from core-crypto's link-signing keyset: HMAC(keyset key, label); rotation follows it. */
    public LinkKeySource linkKeys() {
        return () -> {
            List<Integer> ids = linkMacs.activeKeyIds();   // one read of the keyset, primary first
            CachedLinkKeys c = cached;
            if (c != null && c.ids.equals(ids)) return c.keyset;
            // All link keys from one read too, so the primary is always among them.
            var tags = linkMacs.tagUnderEachActiveKey("bulwark.app.link-key.v1".getBytes(StandardCharsets.UTF_8));
            LinkKeyset.Builder b = LinkKeyset.builder();
            boolean first = true;
            for (var e : tags.entrySet()) {
                LinkKey key = LinkKey.of("k" + MacKeys.kid(e.getKey()), e.getValue());
                if (first) b.primary(key);
                else b.add(key);
                first = false;
            }
            LinkKeyset ks = b.build();
            cached = new CachedLinkKeys(List.copyOf(tags.keySet()), ks);
            return ks;
        };
    }

    /** The password peppers (ASVS 2.4.5) for the password hasher: they follow the password-pepper keyset's rotation. */
    public PasswordPeppers passwordPeppers() {
        return peppers;
    }

    /** A 32-byte key for an app purpose (device cookies, CSRF), derived from the link-signing keyset's primary key. */
    public byte[] derived(String label) {
        return linkMacs.tag(linkMacs.primaryKeyId(), ("bulwark.app." + label + ".v1").getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC-SHA256 under a derived key (used for CSRF tokens). */
    public static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The audit chain MAC key: core-crypto's audit keyset. */
    public AuditMacKey auditKey() {
        MacKeys k = keyring.macKeys(KeyPurpose.AUDIT);
        return new AuditMacKey() {
            public int currentKeyId() { return k.primaryKeyId(); }
            public byte[] tag(int keyId, byte[] data) { return k.tag(keyId, data); }
            public boolean verify(int keyId, byte[] data, byte[] tag) { return k.verify(keyId, data, tag); }
        };
    }

    @Override
    public String toString() {
        return "Keys[<redacted>]";
    }
}
