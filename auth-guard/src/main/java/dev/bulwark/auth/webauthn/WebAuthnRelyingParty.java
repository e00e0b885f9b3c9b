package dev.bulwark.auth.webauthn;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.AttestedCredentialDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.client.CollectedClientData;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.exception.BadAlgorithmException;
import com.webauthn4j.verifier.exception.BadAttestationStatementException;
import com.webauthn4j.verifier.exception.BadChallengeException;
import com.webauthn4j.verifier.exception.BadClientDataHashException;
import com.webauthn4j.verifier.exception.BadOriginException;
import com.webauthn4j.verifier.exception.BadRpIdException;
import com.webauthn4j.verifier.exception.BadSignatureException;
import com.webauthn4j.verifier.exception.BadTopOriginException;
import com.webauthn4j.verifier.exception.CrossOriginException;
import com.webauthn4j.verifier.exception.InconsistentClientDataTypeException;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import com.webauthn4j.verifier.exception.NotAllowedAlgorithmException;
import com.webauthn4j.verifier.exception.NotAllowedCredentialIdException;
import com.webauthn4j.verifier.exception.UserNotPresentException;
import com.webauthn4j.verifier.exception.UserNotVerifiedException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static dev.bulwark.auth.webauthn.WebAuthnRejected.Reason;

/**
 * The relying-party side of WebAuthn (security keys as a second factor), on webauthn4j. Each ceremony has a start
 * that issues a fresh random challenge (32 bytes, single use, short-lived, bound to the user and the ceremony) and a
 * finish that takes the browser's {@code PublicKeyCredential} JSON and either returns a verified result or throws a
 * typed {@link WebAuthnRejected}, whatever the input.
 *
 * <pre>{@code
 * WebAuthnRelyingParty rp = WebAuthnRelyingParty.builder().relyingParty("bookings.example", "Acme Bookings")
 *         .origin("https://bookings.example").store(new JdbcWebAuthnStore(ds)).build();
 * String createOptions = rp.startRegistration(userId, "ann@example.com");   // to navigator.credentials.create
 * WebAuthnCredential key = rp.finishRegistration(userId, "Blue key", credentialJson);
 * String getOptions = rp.startAuthentication(userId);                       // to navigator.credentials.get
 * VerifiedAssertion ok = rp.finishAuthentication(userId, assertionJson);
 * }</pre>
 * Checked on every response: challenge (issued here, unused, unexpired, same user, same ceremony), clientData type,
 * origin, rpId hash, user presence (always) and user verification (when required), the signature (assertions), and
 * the signature counter (a counter that does not grow is refused as a possible clone). Count failures with
 * {@code LoginGuard.verifySecondFactor} so guessing is locked out.
 */
public final class WebAuthnRelyingParty {
    /** Per user, so a loop cannot fill the store. */
    public static final int MAX_CREDENTIALS_PER_USER = 10;
    public static final int MAX_NAME_LENGTH = 64;
    /** Larger responses are refused before parsing (real ones are a few kilobytes). */
    public static final int MAX_RESPONSE_CHARS = 64 * 1024;
    /** The longest encoded credential (credential id + public key) a store keeps: the JDBC column's width. */
    public static final int MAX_STORED_KEY_CHARS = 4000;
    private static final int CHALLENGE_BYTES = 32;
    private static final List<COSEAlgorithmIdentifier> ALGORITHMS = List.of(COSEAlgorithmIdentifier.ES256,
            COSEAlgorithmIdentifier.EdDSA, COSEAlgorithmIdentifier.RS256);
    private static final Base64.Encoder B64U = Base64.getUrlEncoder().withoutPadding();

    private final String rpId;
    private final String rpName;
    private final Set<Origin> origins;
    private final Duration challengeTtl;
    private final boolean userVerificationRequired;
    private final Clock clock;
    private final WebAuthnStore store;
    private final SecureRandom random = new SecureRandom();
    private final ObjectConverter converter = new ObjectConverter();
    private final WebAuthnManager manager = WebAuthnManager.createNonStrictWebAuthnManager(converter);
    private final AttestedCredentialDataConverter attestedConverter = new AttestedCredentialDataConverter(converter);

    private WebAuthnRelyingParty(Builder b) {
        this.rpId = b.rpId;
        this.rpName = b.rpName;
        Set<Origin> o = new LinkedHashSet<>();
        for (String s : b.origins) o.add(new Origin(s));
        this.origins = Set.copyOf(o);
        this.challengeTtl = b.challengeTtl;
        this.userVerificationRequired = b.userVerificationRequired;
        this.clock = b.clock;
        this.store = b.store;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String rpId() {
        return rpId;
    }

    /**
     * Starts adding a security key for {@code userId}: returns {@code PublicKeyCredentialCreationOptions} as JSON
     * (binary fields base64url), for the browser to decode and pass to {@code navigator.credentials.create}.
     * The user's existing keys are excluded, so the same key is not registered twice.
     */
    public String startRegistration(String userId, String userName) {
        Objects.requireNonNull(userId);
        Objects.requireNonNull(userName);
        String challenge = issue(userId, Ceremony.REGISTRATION);
        StringBuilder j = new StringBuilder(512);
        j.append("{\"rp\":{\"id\":").append(Json.str(rpId)).append(",\"name\":").append(Json.str(rpName)).append('}')
                .append(",\"user\":{\"id\":").append(Json.str(B64U.encodeToString(userHandle(userId))))
                .append(",\"name\":").append(Json.str(userName)).append(",\"displayName\":").append(Json.str(userName)).append('}')
                .append(",\"challenge\":").append(Json.str(challenge))
                .append(",\"pubKeyCredParams\":[");
        for (int i = 0; i < ALGORITHMS.size(); i++) {
            if (i > 0) j.append(',');
            j.append("{\"type\":\"public-key\",\"alg\":").append(ALGORITHMS.get(i).getValue()).append('}');
        }
        j.append("],\"timeout\":").append(challengeTtl.toMillis())
                .append(",\"excludeCredentials\":").append(descriptors(userId))
                .append(",\"authenticatorSelection\":{\"residentKey\":\"discouraged\",\"requireResidentKey\":false,\"userVerification\":")
                .append(Json.str(userVerificationRequired ? "required" : "preferred")).append('}')
                .append(",\"attestation\":\"none\"}");
        return j.toString();
    }

    /**
     * Finishes adding a key: verifies the browser's {@code PublicKeyCredential} (attestation response) JSON against
     * the challenge issued to this user for registration, and stores the credential under {@code name}.
     */
    public WebAuthnCredential finishRegistration(String userId, String name, String credentialJson) throws WebAuthnRejected {
        Objects.requireNonNull(userId);
        String label = name == null ? "" : name.strip();
        RegistrationData data;
        try {
            data = manager.parseRegistrationResponseJSON(bounded(credentialJson));
        } catch (RuntimeException e) {
            throw new WebAuthnRejected(Reason.MALFORMED, "not a PublicKeyCredential registration response");
        }
        byte[] challenge = consume(userId, Ceremony.REGISTRATION, data.getCollectedClientData());
        if (label.isEmpty() || label.length() > MAX_NAME_LENGTH || label.codePoints().anyMatch(Character::isISOControl)) {
            throw new WebAuthnRejected(Reason.INVALID_NAME, "name the key with 1 to " + MAX_NAME_LENGTH + " printable characters");
        }
        List<PublicKeyCredentialParameters> params = ALGORITHMS.stream()
                .map(a -> new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, a)).toList();
        try {
            manager.verify(data, new RegistrationParameters(serverProperty(challenge), params, userVerificationRequired, true));
        } catch (RuntimeException e) {
            throw translate(e);
        }
        AuthenticatorData<?> authData = data.getAttestationObject() == null ? null : data.getAttestationObject().getAuthenticatorData();
        AttestedCredentialData attested = authData == null ? null : authData.getAttestedCredentialData();
        if (attested == null) throw new WebAuthnRejected(Reason.MALFORMED, "the response holds no attested credential data");
        if (store.credentials(userId).size() >= MAX_CREDENTIALS_PER_USER) {
            throw new WebAuthnRejected(Reason.TOO_MANY_CREDENTIALS, "at most " + MAX_CREDENTIALS_PER_USER + " security keys per user");
        }
        String encoded = B64U.encodeToString(attestedConverter.convert(attested));
        if (encoded.length() > MAX_STORED_KEY_CHARS) {
            // e.g. an RSA key of many thousand bits: "none" attestation limits nothing, the store's column does.
            throw new WebAuthnRejected(Reason.MALFORMED, "the key's credential data is too large to store (over "
                    + MAX_STORED_KEY_CHARS + " characters encoded)");
        }
        WebAuthnCredential credential = new WebAuthnCredential(B64U.encodeToString(attested.getCredentialId()), userId, label,
                encoded, authData.getSignCount(), authData.isFlagUV(), Instant.ofEpochMilli(clock.millis()), null);
        if (!store.addCredential(credential)) {
            throw new WebAuthnRejected(Reason.DUPLICATE_CREDENTIAL, "this security key is already registered");
        }
        return credential;
    }

    /**
     * Starts a sign-in with a security key for {@code userId}: returns {@code PublicKeyCredentialRequestOptions} as
     * JSON listing the user's keys, for {@code navigator.credentials.get}.
     */
    public String startAuthentication(String userId) {
        Objects.requireNonNull(userId);
        String challenge = issue(userId, Ceremony.AUTHENTICATION);
        return "{\"challenge\":" + Json.str(challenge) + ",\"timeout\":" + challengeTtl.toMillis() + ",\"rpId\":" + Json.str(rpId)
                + ",\"allowCredentials\":" + descriptors(userId)
                + ",\"userVerification\":" + Json.str(userVerificationRequired ? "required" : "preferred") + "}";
    }

    /** Finishes a sign-in: verifies the assertion JSON for {@code userId} and advances the key's signature counter. */
    public VerifiedAssertion finishAuthentication(String userId, String assertionJson) throws WebAuthnRejected {
        Objects.requireNonNull(userId);
        AuthenticationData data;
        try {
            data = manager.parseAuthenticationResponseJSON(bounded(assertionJson));
        } catch (RuntimeException e) {
            throw new WebAuthnRejected(Reason.MALFORMED, "not a PublicKeyCredential assertion response");
        }
        byte[] challenge = consume(userId, Ceremony.AUTHENTICATION, data.getCollectedClientData());
        if (data.getCredentialId() == null || data.getAuthenticatorData() == null) {
            throw new WebAuthnRejected(Reason.MALFORMED, "the assertion has no credential id or authenticator data");
        }
        String credentialId = B64U.encodeToString(data.getCredentialId());
        WebAuthnCredential stored = store.findCredential(credentialId)
                .orElseThrow(() -> new WebAuthnRejected(Reason.UNKNOWN_CREDENTIAL, "no such security key is registered"));
        if (!stored.userId().equals(userId)) {
            throw new WebAuthnRejected(Reason.FOREIGN_CREDENTIAL, "this security key belongs to another account");
        }
        if (data.getUserHandle() != null && !MessageDigest.isEqual(data.getUserHandle(), userHandle(userId))) {
            throw new WebAuthnRejected(Reason.FOREIGN_CREDENTIAL, "the assertion names another user");
        }
        AttestedCredentialData attested;
        try {
            attested = attestedConverter.convert(Base64.getUrlDecoder().decode(stored.attestedCredential()));
        } catch (RuntimeException e) {
            throw new IllegalStateException("stored credential does not decode", e);
        }
        CredentialRecordImpl record = new CredentialRecordImpl(null, stored.userVerified(), null, null, stored.signCount(),
                attested, null, null, null, null);
        try {
            manager.verify(data, new AuthenticationParameters(serverProperty(challenge), record,
                    List.of(data.getCredentialId()), userVerificationRequired, true));
        } catch (RuntimeException e) {
            throw translate(e);
        }
        long newCount = data.getAuthenticatorData().getSignCount();
        long now = clock.millis();
        if (!store.updateSignCount(credentialId, stored.signCount(), newCount, now)) {
            throw new WebAuthnRejected(Reason.COUNTER_REGRESSION, "the security key was used concurrently; possible clone");
        }
        return new VerifiedAssertion(userId, stored.withUse(newCount, Instant.ofEpochMilli(now)), data.getAuthenticatorData().isFlagUV());
    }

    /** The user's registered keys, oldest first. */
    public List<WebAuthnCredential> credentials(String userId) {
        return store.credentials(userId);
    }

    /** Removes a key of the user; false when the user has no such key (another user's id changes nothing). */
    public boolean remove(String userId, String credentialId) {
        return credentialId != null && store.removeCredential(userId, credentialId);
    }

    private String issue(String userId, Ceremony ceremony) {
        byte[] challenge = new byte[CHALLENGE_BYTES];
        random.nextBytes(challenge);
        long now = clock.millis();
        store.saveChallenge(new PendingChallenge(hash(challenge), userId, ceremony, now + challengeTtl.toMillis()), now);
        return B64U.encodeToString(challenge);
    }

    /** Consumes the challenge named in clientDataJSON: whatever follows, it cannot be used again. */
    private byte[] consume(String userId, Ceremony ceremony, CollectedClientData clientData) throws WebAuthnRejected {
        if (clientData == null || clientData.getChallenge() == null || clientData.getChallenge().getValue() == null) {
            throw new WebAuthnRejected(Reason.MALFORMED, "clientDataJSON has no challenge");
        }
        byte[] challenge = clientData.getChallenge().getValue();
        Optional<PendingChallenge> pending = store.consumeChallenge(hash(challenge));
        if (pending.isEmpty() || pending.get().expiresAtMillis() < clock.millis()) {
            throw new WebAuthnRejected(Reason.CHALLENGE_UNKNOWN, "the challenge is unknown, expired or already used; start again");
        }
        if (!pending.get().userId().equals(userId) || pending.get().ceremony() != ceremony) {
            throw new WebAuthnRejected(Reason.CHALLENGE_MISMATCH, "the challenge was issued for another user or ceremony");
        }
        return challenge;
    }

    private ServerProperty serverProperty(byte[] challenge) {
        return new ServerProperty(origins, rpId, new DefaultChallenge(challenge));
    }

    private String descriptors(String userId) {
        StringBuilder j = new StringBuilder("[");
        for (WebAuthnCredential c : store.credentials(userId)) {
            if (j.length() > 1) j.append(',');
            j.append("{\"type\":\"public-key\",\"id\":").append(Json.str(c.credentialId())).append('}');
        }
        return j.append(']').toString();
    }

    /** An opaque, stable user handle for this relying party (no personal data, as the specification asks). */
    private byte[] userHandle(String userId) {
        return sha256(("bulwark.webauthn.user-handle\0" + rpId + "\0" + userId).getBytes(StandardCharsets.UTF_8));
    }

    private static String bounded(String json) throws WebAuthnRejected {
        if (json == null || json.isBlank()) throw new WebAuthnRejected(Reason.MALFORMED, "empty response");
        if (json.length() > MAX_RESPONSE_CHARS) throw new WebAuthnRejected(Reason.MALFORMED, "response too large");
        return json;
    }

    private static WebAuthnRejected translate(RuntimeException e) {
        if (e instanceof BadOriginException || e instanceof BadTopOriginException || e instanceof CrossOriginException) {
            return new WebAuthnRejected(Reason.BAD_ORIGIN, "the response comes from an origin this relying party does not serve");
        }
        if (e instanceof BadRpIdException) return new WebAuthnRejected(Reason.BAD_RP_ID, "the authenticator data is for another relying party");
        if (e instanceof InconsistentClientDataTypeException) return new WebAuthnRejected(Reason.WRONG_CEREMONY, "clientDataJSON.type is for the other ceremony");
        if (e instanceof BadChallengeException) return new WebAuthnRejected(Reason.CHALLENGE_MISMATCH, "the challenge does not match");
        if (e instanceof BadSignatureException || e instanceof BadClientDataHashException) {
            return new WebAuthnRejected(Reason.BAD_SIGNATURE, "the signature does not verify");
        }
        if (e instanceof UserNotPresentException) return new WebAuthnRejected(Reason.USER_NOT_PRESENT, "the authenticator did not see the user");
        if (e instanceof UserNotVerifiedException) return new WebAuthnRejected(Reason.USER_NOT_VERIFIED, "the authenticator did not verify the user");
        if (e instanceof MaliciousCounterValueException) return new WebAuthnRejected(Reason.COUNTER_REGRESSION, "the signature counter went back; possible clone");
        if (e instanceof NotAllowedCredentialIdException) return new WebAuthnRejected(Reason.FOREIGN_CREDENTIAL, "credential not allowed");
        if (e instanceof NotAllowedAlgorithmException || e instanceof BadAlgorithmException) {
            return new WebAuthnRejected(Reason.UNSUPPORTED_ALGORITHM, "the key's algorithm is not accepted");
        }
        if (e instanceof BadAttestationStatementException) return new WebAuthnRejected(Reason.ATTESTATION_REJECTED, "the attestation statement does not verify");
        if (e instanceof com.webauthn4j.verifier.exception.VerificationException) return new WebAuthnRejected(Reason.INVALID, "the response does not verify");
        return new WebAuthnRejected(Reason.MALFORMED, "the response does not parse");
    }

    static String hash(byte[] challenge) {
        return HexFormat.of().formatHex(sha256(challenge));
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Configuration with secure defaults: 5-minute challenges, user presence always, user verification preferred. */
    public static final class Builder {
        private String rpId;
        private String rpName;
        private final List<String> origins = new ArrayList<>();
        private Duration challengeTtl = Duration.ofMinutes(5);
        private boolean userVerificationRequired;
        private Clock clock = Clock.systemUTC();
        private WebAuthnStore store;

        private Builder() {}

        /** The relying-party id (a registrable domain, e.g. {@code bookings.example}) and the name shown to users. */
        public Builder relyingParty(String id, String name) {
            if (id == null || id.isBlank() || id.contains("/") || id.contains(":") || !id.equals(id.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("relying-party id must be a lower-case host name");
            }
            this.rpId = id;
            this.rpName = Objects.requireNonNull(name);
            return this;
        }

        /** An origin responses may come from, e.g. {@code https://bookings.example}; https only (localhost aside). */
        public Builder origin(String origin) {
            URI u = URI.create(origin);
            boolean local = "localhost".equals(u.getHost()) || "127.0.0.1".equals(u.getHost());
            if (!"https".equals(u.getScheme()) && !(local && "http".equals(u.getScheme()))) {
                throw new IllegalArgumentException("origins must be https");
            }
            if (u.getHost() == null || (u.getPath() != null && !u.getPath().isEmpty()) || u.getQuery() != null) {
                throw new IllegalArgumentException("an origin is scheme://host[:port], nothing more");
            }
            origins.add(origin);
            return this;
        }

        /** How long a challenge stays usable (also the browser's timeout); 30 seconds to 10 minutes. */
        public Builder challengeTtl(Duration ttl) {
            if (ttl.compareTo(Duration.ofSeconds(30)) < 0 || ttl.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("challenge lifetime must be 30 s to 10 min");
            }
            this.challengeTtl = ttl;
            return this;
        }

        /**
         * Require user verification (PIN / biometric) on every key, not only presence. Off by default: as a second
         * factor after a password, presence of the registered key is the proof.
         */
        public Builder requireUserVerification(boolean required) {
            this.userVerificationRequired = required;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder store(WebAuthnStore store) {
            this.store = Objects.requireNonNull(store);
            return this;
        }

        public WebAuthnRelyingParty build() {
            if (rpId == null) throw new IllegalStateException("relyingParty(id, name) is required");
            if (origins.isEmpty()) throw new IllegalStateException("at least one origin is required");
            if (store == null) throw new IllegalStateException("store is required");
            for (String o : origins) {
                String host = URI.create(o).getHost();
                if (!host.equals(rpId) && !host.endsWith("." + rpId)) {
                    throw new IllegalStateException("origin " + o + " is not within relying-party id " + rpId);
                }
            }
            return new WebAuthnRelyingParty(this);
        }
    }
}
