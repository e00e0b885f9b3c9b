package dev.bulwark.auth.totp;

/** The HMAC behind TOTP (RFC 6238). SHA1 is what every authenticator app supports; it is still sound for HMAC. */
public enum TotpAlgorithm {
    SHA1("HmacSHA1", 20), SHA256("HmacSHA256", 32), SHA512("HmacSHA512", 64);

    final String macName;
    final int secretLength;

    TotpAlgorithm(String macName, int secretLength) {
        this.macName = macName;
        this.secretLength = secretLength;
    }

    /** Recommended secret length in bytes (the HMAC's output size, RFC 4226 section 4). */
    public int secretLength() {
        return secretLength;
    }
}
