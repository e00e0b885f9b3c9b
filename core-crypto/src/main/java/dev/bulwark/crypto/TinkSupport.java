package dev.bulwark.crypto;

import com.google.crypto.tink.Key;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.daead.DeterministicAeadConfig;
import com.google.crypto.tink.daead.PredefinedDeterministicAeadParameters;
import com.google.crypto.tink.mac.HmacParameters;
import com.google.crypto.tink.mac.MacConfig;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;

import java.security.GeneralSecurityException;

/** Tink registration and the one key template per {@link KeyPurpose.KeyKind}. */
final class TinkSupport {
    private TinkSupport() {}

    private static volatile boolean registered;

    static void register() {
        if (registered) return;
        synchronized (TinkSupport.class) {
            if (registered) return;
            try {
                AeadConfig.register();
                DeterministicAeadConfig.register();
                MacConfig.register();
                StreamingAeadConfig.register();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot register Tink primitives", e);
            }
            registered = true;
        }
    }

    /** HMAC-SHA256, 256-bit key, full 256-bit tag, no Tink prefix: the tag is a plain HMAC (usable as JWS HS256). */
    static final HmacParameters HMAC_SHA256_RAW;

    static {
        try {
            HMAC_SHA256_RAW = HmacParameters.builder().setKeySizeBytes(32).setTagSizeBytes(32)
                    .setHashType(HmacParameters.HashType.SHA256).setVariant(HmacParameters.Variant.NO_PREFIX).build();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static Parameters parametersFor(KeyPurpose.KeyKind kind) {
        return switch (kind) {
            case AEAD -> PredefinedAeadParameters.AES256_GCM;
            case DETERMINISTIC_AEAD -> PredefinedDeterministicAeadParameters.AES256_SIV;
            case MAC -> HMAC_SHA256_RAW;
            case STREAMING_AEAD -> PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB;
        };
    }

    /** A keyset holding only {@code entry}'s key, as primary, under the same id. */
    static KeysetHandle single(KeysetHandle.Entry entry) throws GeneralSecurityException {
        Key key = entry.getKey();
        KeysetHandle.Builder.Entry e = KeysetHandle.importKey(key);
        if (key.getIdRequirementOrNull() == null) e = e.withFixedId(entry.getId());
        return KeysetHandle.newBuilder().addEntry(e.makePrimary()).build();
    }
}
