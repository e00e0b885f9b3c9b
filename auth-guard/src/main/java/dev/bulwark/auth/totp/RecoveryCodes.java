package dev.bulwark.auth.totp;

import java.util.List;

/**
 * Freshly issued recovery codes: show them to the user once ("store these somewhere safe"); only their hashes
 * were stored. Each code has 120 random bits, written as {@code xxxx-xxxx-xxxx-xxxx-xxxx-xxxx}. toString prints a redaction.
 */
public final class RecoveryCodes {
    private final List<String> codes;

    RecoveryCodes(List<String> codes) {
        this.codes = List.copyOf(codes);
    }

    public List<String> codes() {
        return codes;
    }

    @Override
    public String toString() {
        return "RecoveryCodes[" + codes.size() + " codes, <redacted>]";
    }
}
