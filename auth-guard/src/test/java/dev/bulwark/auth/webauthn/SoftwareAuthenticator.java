package dev.bulwark.auth.webauthn;

import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.extension.authenticator.RegistrationExtensionAuthenticatorOutput;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * A software FIDO2 authenticator with one P-256 credential, "none" attestation: builds the bytes a browser hands
 * over (clientDataJSON, attestationObject, authenticatorData, signature) so tests can vary or tamper any of them.
 */
final class SoftwareAuthenticator {
    static final byte UP = 0x01, UV = 0x04, AT = 0x40;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Encoder B64U = Base64.getUrlEncoder().withoutPadding();

    final KeyPair keys;
    final byte[] credentialId = new byte[16];
    long counter;

    SoftwareAuthenticator() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            keys = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        new SecureRandom().nextBytes(credentialId);
    }

    static String challengeOf(String optionsJson) {
        return JSON.readTree(optionsJson).get("challenge").asString();
    }

    /** The parts of a response, each replaceable before {@link #json()}. */
    static final class Parts {
        byte[] id;
        byte[] clientData;
        byte[] attestationObject; // registration
        byte[] authenticatorData; // authentication
        byte[] signature;         // authentication

        String json() {
            StringBuilder r = new StringBuilder("{\"clientDataJSON\":\"" + B64U.encodeToString(clientData) + "\"");
            if (attestationObject != null) r.append(",\"attestationObject\":\"").append(B64U.encodeToString(attestationObject)).append("\",\"transports\":[\"usb\"]");
            if (authenticatorData != null) r.append(",\"authenticatorData\":\"").append(B64U.encodeToString(authenticatorData)).append('"');
            if (signature != null) r.append(",\"signature\":\"").append(B64U.encodeToString(signature)).append('"');
            r.append('}');
            String id = B64U.encodeToString(this.id);
            return "{\"id\":\"" + id + "\",\"rawId\":\"" + id + "\",\"type\":\"public-key\",\"response\":" + r
                    + ",\"clientExtensionResults\":{}}";
        }
    }

    static byte[] clientData(String type, String challenge, String origin) {
        return ("{\"type\":\"" + type + "\",\"challenge\":\"" + challenge + "\",\"origin\":\"" + origin + "\",\"crossOrigin\":false}")
                .getBytes(StandardCharsets.UTF_8);
    }

    Parts register(String optionsJson, String origin) {
        JsonNode o = JSON.readTree(optionsJson);
        return register(o.get("challenge").asString(), origin, o.get("rp").get("id").asString(), (byte) (UP | UV | AT));
    }

    Parts register(String challenge, String origin, String rpId, byte flags) {
        ObjectConverter oc = new ObjectConverter();
        AttestedCredentialData attested = new AttestedCredentialData(AAGUID.ZERO, credentialId,
                EC2COSEKey.create((ECPublicKey) keys.getPublic(), COSEAlgorithmIdentifier.ES256));
        AuthenticatorData<RegistrationExtensionAuthenticatorOutput> authData =
                new AuthenticatorData<>(sha256(rpId.getBytes(StandardCharsets.UTF_8)), flags, counter, attested);
        Parts p = new Parts();
        p.id = credentialId;
        p.clientData = clientData("webauthn.create", challenge, origin);
        p.attestationObject = new AttestationObjectConverter(oc).convertToBytes(new AttestationObject(authData, new NoneAttestationStatement()));
        return p;
    }

    Parts assertion(String optionsJson, String origin) {
        JsonNode o = JSON.readTree(optionsJson);
        return assertion(o.get("challenge").asString(), origin, o.get("rpId").asString(), (byte) (UP | UV), ++counter);
    }

    Parts assertion(String challenge, String origin, String rpId, byte flags, long signCount) {
        Parts p = new Parts();
        p.id = credentialId;
        p.clientData = clientData("webauthn.get", challenge, origin);
        p.authenticatorData = ByteBuffer.allocate(37).put(sha256(rpId.getBytes(StandardCharsets.UTF_8))).put(flags)
                .putInt((int) signCount).array();
        p.signature = sign(p.authenticatorData, p.clientData);
        return p;
    }

    byte[] sign(byte[] authenticatorData, byte[] clientData) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(keys.getPrivate());
            s.update(authenticatorData);
            s.update(sha256(clientData));
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
