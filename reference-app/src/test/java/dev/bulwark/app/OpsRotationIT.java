package dev.bulwark.app;

import dev.bulwark.app.backup.Progress;
import dev.bulwark.app.customers.Customer;
import dev.bulwark.app.customers.CustomerRepository;
import dev.bulwark.app.keys.KeyRotation;
import dev.bulwark.crypto.FieldCipher;
import dev.bulwark.crypto.FieldContext;
import dev.bulwark.crypto.KeyPurpose;
import dev.bulwark.crypto.KeysetInfo;
import dev.bulwark.crypto.KeysetName;
import dev.bulwark.testkit.TestDatabase;
import dev.bulwark.upload.AccessCheck;
import dev.bulwark.upload.BlobId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Online key rotation on H2 and PostgreSQL: under concurrent writes, after a crash, for blind indexes and files. */
class OpsRotationIT {

    private static KeyRotation rotation(OpsEnv env) {
        return rotation(env, Clock.systemUTC());
    }

    private static KeyRotation rotation(OpsEnv env, Clock clock) {
        return new KeyRotation(env.db.dataSource(), env.db.postgres(), env.keys.keyring(), env.config.dataDir.resolve("files"), env.audit,
                clock).batchSize(25);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void rotationUnderConcurrentWritesLeavesEveryValueReadableAndNoneUnderTheOldKey(TestDatabase.Kind kind) throws Exception {
        try (OpsEnv env = OpsEnv.open(kind)) {
            OpsEnv.Seeded s = env.seed("Busy", 150);
            KeysetName data = KeysetName.workspace(KeyPurpose.WORKSPACE_DATA, s.workspaceId());
            int oldPrimary = env.keys.keyring().info(data).primaryKeyId();
            CustomerRepository repo = env.customers();
            Map<String, String> lastNotes = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger writes = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    while (!stop.get()) {
                        // each writer owns half of the customers, so the last value it wrote is the one that must survive
                        int i = 2 * ThreadLocalRandom.current().nextInt(75) + writer;
                        Customer c = s.customers().get(i);
                        String notes = "note " + writes.incrementAndGet();
                        repo.update(s.ctx(), new Customer(c.id(), c.name(), c.email(), c.phone(), c.address(), notes, null, c.createdAtMs(),
                                System.currentTimeMillis()));
                        lastNotes.put(c.id(), notes);
                    }
                    return null;
                }));
            }
            KeyRotation.Result r;
            try {
                Thread.sleep(100);
                r = rotation(env).rotate(data, false, Progress.NONE);
            } finally {
                stop.set(true);
                for (Future<?> f : writers) f.get(30, TimeUnit.SECONDS);
                pool.shutdown();
            }
            assertThat(writes.get()).isGreaterThan(0);
            assertThat(r.clean()).as(r.summary()).isTrue();
            assertThat(r.oldKeys()).containsExactly(oldPrimary);
            int newPrimary = env.keys.keyring().info(data).primaryKeyId();
            assertThat(newPrimary).isEqualTo(r.newPrimary()).isNotEqualTo(oldPrimary);

            FieldCipher cipher = env.keys.keyring().workspaceFields(s.workspaceId());
            int values = 0;
            try (Connection c = env.owner(); PreparedStatement ps = c.prepareStatement(
                    "SELECT id, email_enc, phone_enc, address_enc, notes_enc FROM prod_customers WHERE workspace_id = ?")) {
                ps.setString(1, s.workspaceId());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String[] cols = {"email", "phone", "address", "notes"};
                        for (int i = 0; i < 4; i++) {
                            String stored = rs.getString(i + 2);
                            assertThat(cipher.keyIdOf(stored)).as("value under the new key").isEqualTo(newPrimary);
                            String plain = cipher.decrypt(stored, FieldContext.of(s.workspaceId(), "prod_customers", cols[i], rs.getString(1)));
                            if (cols[i].equals("notes") && lastNotes.containsKey(rs.getString(1))) assertThat(plain).isEqualTo(lastNotes.get(rs.getString(1)));
                            values++;
                        }
                    }
                }
            }
            assertThat(values).isEqualTo(150 * 4);
            // With the proof in hand the old key can go, and everything still reads.
            env.keys.keyring().disableKey(data, oldPrimary, r.evidence());
            assertThat(repo.list(s.ctx(), 500)).hasSize(150);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void anInterruptedRotationResumesWithoutAddingAnotherKeyAndFinishesClean(TestDatabase.Kind kind) throws Exception {
        try (OpsEnv env = OpsEnv.open(kind)) {
            OpsEnv.Seeded s = env.seed("Crashy", 60);
            KeysetName data = KeysetName.workspace(KeyPurpose.WORKSPACE_DATA, s.workspaceId());
            Progress crashAfterFirstWalk = new Progress() {
                @Override
                public void phase(String name, long total) { }

                @Override
                public void step(long n) {
                    throw new IllegalStateException("simulated crash");
                }
            };
            assertThatThrownBy(() -> rotation(env).rotate(data, false, crashAfterFirstWalk)).hasMessageContaining("simulated crash");
            assertThat(env.keys.keyring().info(data).keys()).hasSize(2);
            try (Connection c = env.owner(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT status FROM ops_rotations")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("RUNNING");
            }
            KeyRotation.Result r = rotation(env).rotate(data, true, Progress.NONE);
            assertThat(env.keys.keyring().info(data).keys()).hasSize(2);
            assertThat(r.clean()).isTrue();
            // the e-mail column was finished before the crash: phone, address and notes (3 x 60) and the file's encrypted name were left
            assertThat(r.rewritten()).isEqualTo(3 * 60 + 1);
            assertThat(r.oldKeysDisabled()).isTrue();
            KeysetInfo info = env.keys.keyring().info(data);
            assertThat(info.keys()).filteredOn(k -> !k.primary()).allSatisfy(k -> assertThat(k.enabled()).isFalse());
            assertThat(env.customers().list(s.ctx(), 100)).hasSize(60);
            try (Connection c = env.owner(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT status FROM ops_rotations")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("DONE");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void blindIndexAndSharedKeysetsRotateAndLookupsStillWork(TestDatabase.Kind kind) throws Exception {
        try (OpsEnv env = OpsEnv.open(kind)) {
            OpsEnv.Seeded a = env.seed("IndexA", 20);
            OpsEnv.Seeded b = env.seed("IndexB", 20);
            KeyRotation.Result r = rotation(env).rotate(KeysetName.of(KeyPurpose.BLIND_INDEX), true, Progress.NONE);
            assertThat(r.clean()).as(r.summary()).isTrue();
            assertThat(r.rewritten()).isEqualTo(40);
            assertThat(r.oldKeysDisabled()).isTrue();
            for (OpsEnv.Seeded s : List.of(a, b)) {
                Customer c = s.customers().get(7);
                assertThat(env.customers().byEmail(s.ctx(), c.email().toUpperCase())).extracting(Customer::id).containsExactly(c.id());
            }
            KeyRotation.Result creds = rotation(env).rotate(KeysetName.of(KeyPurpose.CONNECTION_CREDENTIALS), true, Progress.NONE);
            assertThat(creds.clean()).isTrue();
            KeyRotation.Result audit = rotation(env).rotate(KeysetName.of(KeyPurpose.AUDIT), true, Progress.NONE);
            assertThat(audit.oldKeysDisabled()).as("audit keys must stay to verify old entries").isFalse();
            assertThat(env.audit.log().verify(dev.bulwark.audit.ChainId.PLATFORM).intact()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void workspaceFilesAreReencryptedInPlaceAndStillOpen(TestDatabase.Kind kind) throws Exception {
        try (OpsEnv env = OpsEnv.open(kind)) {
            OpsEnv.Seeded s = env.seed("Files", 1);
            Path file;
            try (Stream<Path> w = Files.walk(env.config.dataDir.resolve("files"))) {
                file = w.filter(p -> p.getFileName().toString().equals(s.blobId())).findFirst().orElseThrow();
            }
            byte[] before = Files.readAllBytes(file);
            KeyRotation.Result r = rotation(env).rotate(KeysetName.workspace(KeyPurpose.WORKSPACE_FILES, s.workspaceId()), true, Progress.NONE);
            assertThat(r.filesRewritten()).isEqualTo(1);
            assertThat(r.note()).contains("no key id");
            byte[] after = Files.readAllBytes(file);
            assertThat(after).isNotEqualTo(before);
            try (InputStream in = env.uploads().open(BlobId.parse(s.blobId()).orElseThrow(), AccessCheck.of(s.workspaceId(), u -> true)).content()) {
                assertThat(in.readAllBytes()).isEqualTo(OpsEnv.png());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void passwordPepperKeysRetireOnlyWhenNoHashNamesThemAndNeverInTheRunThatAddedTheNewKey(TestDatabase.Kind kind) throws Exception {
        try (OpsEnv env = OpsEnv.open(kind);
             var hasher = dev.bulwark.auth.password.PasswordHasher.builder().parameters(dev.bulwark.auth.password.Argon2idParameters.of(256, 1, 1))
                     .threads(1).peppers(env.keys.passwordPeppers()).build();
             var plain = dev.bulwark.auth.password.PasswordHasher.builder().parameters(dev.bulwark.auth.password.Argon2idParameters.of(256, 1, 1))
                     .threads(1).build()) {
            KeysetName pepper = KeysetName.of(KeyPurpose.PASSWORD_PEPPER);
            int oldKey = env.keys.keyring().info(pepper).primaryKeyId();
            var users = new dev.bulwark.app.account.UserRepository(env.db.dataSource());
            String pw = "correct horse battery staple 42";
            java.time.Instant now = java.time.Instant.now();
            users.insert(new dev.bulwark.app.account.User("u_peppered", "peppered@example.com", "P", hasher.hash(pw), true, null, false, null, now));
            users.insert(new dev.bulwark.app.account.User("u_legacy", "legacy@example.com", "L", plain.hash(pw), true, null, false, null, now));

            KeyRotation.Result first = rotation(env).rotate(pepper, true, Progress.NONE);
            int newKey = first.newPrimary();
            assertThat(first.clean()).as(first.summary()).isTrue();
            assertThat(first.oldKeysStillNamed()).containsExactly(oldKey);
            assertThat(first.oldKeysDisabled()).isFalse();
            assertThat(first.summary()).contains("1 old key(s) still named").contains("1 password hash(es)");

            // The peppered user signs in: the hash verifies under the old key and moves to the new one.
            String before = users.byId("u_peppered").orElseThrow().passwordHash();
            var v = hasher.verify(pw, before);
            assertThat(v.matches()).isTrue();
            assertThat(v.needsRehash()).isTrue();
            assertThat(users.upgradePasswordHash("u_peppered", before, hasher.hash(pw))).isTrue();
            assertThat(users.upgradePasswordHash("u_peppered", before, hasher.hash(pw))).as("compare-and-set: the old hash is gone").isFalse();

            // Within PEPPER_SETTLE of the run that added the key, another node may still hash under the old one: kept.
            KeyRotation.Result early = rotation(env).rotate(pepper, true, Progress.NONE);
            assertThat(early.newPrimary()).isEqualTo(newKey);
            assertThat(early.oldKeysStillNamed()).isEmpty();
            assertThat(early.oldKeysDisabled()).isFalse();
            assertThat(early.summary()).contains("at least 10 minutes after");
            assertThat(env.keys.keyring().info(pepper).keys()).allMatch(KeysetInfo.Key::enabled);

            // The next run after it resumes (no third key); no hash names the old key now (the legacy one names none): it is disabled.
            KeyRotation.Result second = rotation(env, Clock.offset(Clock.systemUTC(), KeyRotation.PEPPER_SETTLE)).rotate(pepper, true, Progress.NONE);
            assertThat(second.newPrimary()).isEqualTo(newKey);
            assertThat(second.oldKeysStillNamed()).isEmpty();
            assertThat(second.oldKeysDisabled()).isTrue();
            KeysetInfo info = env.keys.keyring().info(pepper);
            assertThat(info.keys()).hasSize(2);
            assertThat(info.keys()).filteredOn(k -> k.id() == oldKey).singleElement().satisfies(k -> assertThat(k.enabled()).isFalse());
            env.keys.keyring().destroyKey(pepper, oldKey, second.evidence());
            assertThat(env.keys.keyring().info(pepper).keys()).extracting(KeysetInfo.Key::id).containsExactly(newKey);
            assertThat(hasher.verify(pw, users.byId("u_peppered").orElseThrow().passwordHash()).matches()).isTrue();
            assertThat(hasher.verify(pw, users.byId("u_legacy").orElseThrow().passwordHash()).needsRehash()).isTrue();

            // That rotation is finished: the next one adds a key again.
            assertThat(rotation(env).rotate(pepper, false, Progress.NONE).newPrimary()).isNotEqualTo(newKey);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aMissingPepperKeysetIsCreatedForPrePepperDataButNeverOverPepperedHashes(TestDatabase.Kind kind) throws Exception {
        try (OpsEnv env = OpsEnv.open(kind)) {
            var users = new dev.bulwark.app.account.UserRepository(env.db.dataSource());
            users.insert(new dev.bulwark.app.account.User("u_old", "old@example.com", "O",
                    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g", true, null, false, null,
                    java.time.Instant.now()));
            // A database from before the pepper: no password-pepper keyset yet. Start-up provisions it.
            try (Connection c = env.owner(); Statement st = c.createStatement()) {
                assertThat(st.executeUpdate("DELETE FROM bulwark_keysets WHERE name = 'password-pepper'")).isEqualTo(1);
            }
            var reopened = dev.bulwark.app.platform.Keys.open(env.config, env.db.dataSource());
            assertThat(reopened.keyring().exists(KeysetName.of(KeyPurpose.PASSWORD_PEPPER))).isTrue();
            // Once a hash names a pepper, losing the keyset stops start-up instead of minting a key no hash was made with.
            try (Connection c = env.owner(); Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE app_users SET password_hash = '$argon2id$v=19$m=19456,t=2,p=1,keyid=MDAwMDAwMDE$c2FsdHNhbHRzYWx0c2FsdA$"
                        + "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g' WHERE id = 'u_old'");
                assertThat(st.executeUpdate("DELETE FROM bulwark_keysets WHERE name = 'password-pepper'")).isEqualTo(1);
            }
            assertThatThrownBy(() -> dev.bulwark.app.platform.Keys.open(env.config, env.db.dataSource()))
                    .hasMessageContaining("password-pepper").hasMessageContaining("MISSING_KEYSET");
        }
    }
}
