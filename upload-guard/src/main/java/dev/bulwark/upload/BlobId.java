package dev.bulwark.upload;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The random storage name of a stored file: 128 bits from {@link SecureRandom}, as 32 lower-case hex digits.
 * Nothing a user supplies ever becomes part of a storage path; {@link #parse} accepts only this exact shape.
 */
public record BlobId(String value) {
    private static final Pattern SHAPE = Pattern.compile("[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public BlobId {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("a blob id is 32 lower-case hex digits");
        }
    }

    static BlobId random() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return new BlobId(HexFormat.of().formatHex(b));
    }

    /** Parses an id from a request (URL path, form field); empty if it does not have the exact shape. */
    public static Optional<BlobId> parse(String value) {
        return value != null && SHAPE.matcher(value).matches() ? Optional.of(new BlobId(value)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
