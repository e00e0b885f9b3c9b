package dev.bulwark.benchmarks;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.bulwark.crypto.FieldCipher;
import dev.bulwark.crypto.FieldContext;
import dev.bulwark.crypto.InMemoryKeysetStore;
import dev.bulwark.crypto.KeyPurpose;
import dev.bulwark.crypto.Keyring;
import dev.bulwark.crypto.KeysetName;
import dev.bulwark.crypto.MasterKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * core-crypto field encryption versus raw Tink {@link Aead} with the same key, same plaintext sizes, same run.
 * "raw" uses a fixed associated data array and returns bytes; "ours" builds the context AAD and the text form
 * (version prefix + base64url) on every call, as an application does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FieldEncryptionBenchmark {
    @Param({"64", "1024", "4096"})
    public int size;

    private FieldCipher ours;
    private Aead raw;
    private byte[] plaintext;
    private FieldContext context;
    private byte[] rawAad;
    private String ourCiphertext;
    private byte[] rawCiphertext;
    private String rawText;
    private static final Base64.Encoder B64E = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    @Setup
    public void setup() throws Exception {
        AeadConfig.register();
        KeysetHandle handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
        byte[] mk = new byte[32];
        new SecureRandom().nextBytes(mk);
        Keyring keyring = Keyring.builder().masterKey(MasterKey.fromBase64(Base64.getEncoder().encodeToString(mk), "bench"))
                .store(new InMemoryKeysetStore()).build();
        keyring.importKeyset(KeysetName.of(KeyPurpose.FIELDS), handle);
        ours = keyring.fields();
        raw = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
        plaintext = new byte[size];
        new SecureRandom().nextBytes(plaintext);
        context = FieldContext.of("ws_8f3a2c", "customers", "notes", "c_01HZX4");
        rawAad = "ws_8f3a2c/customers/notes/c_01HZX4".getBytes(StandardCharsets.UTF_8);
        ourCiphertext = ours.encrypt(plaintext, context);
        rawCiphertext = raw.encrypt(plaintext, rawAad);
        rawText = "bw1." + B64E.encodeToString(rawCiphertext);
    }

    @Benchmark
    public String oursEncrypt() {
        return ours.encrypt(plaintext, context);
    }

    @Benchmark
    public byte[] rawTinkEncrypt() throws Exception {
        return raw.encrypt(plaintext, rawAad);
    }

    /** Diagnostic: raw Tink plus the same text form (prefix + base64url), to separate encoding cost from ours. */
    @Benchmark
    public String rawTinkEncryptToText() throws Exception {
        return "bw1." + B64E.encodeToString(raw.encrypt(plaintext, rawAad));
    }

    @Benchmark
    public byte[] rawTinkDecryptFromText() throws Exception {
        return raw.decrypt(B64D.decode(rawText.substring(4)), rawAad);
    }

    @Benchmark
    public byte[] oursDecrypt() throws Exception {
        return ours.decryptBytes(ourCiphertext, context);
    }

    @Benchmark
    public byte[] rawTinkDecrypt() throws Exception {
        return raw.decrypt(rawCiphertext, rawAad);
    }
}
