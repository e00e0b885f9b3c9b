package dev.bulwark.tenancy;

import dev.bulwark.crypto.KeysetName;

import java.util.regex.Pattern;

/** Shapes of the ids tenancy accepts. Workspace ids follow core-crypto's keyset naming rule (one definition, there). */
final class Ids {
    private Ids() {}

    static final Pattern MEMBER_ID = Pattern.compile("[A-Za-z0-9_.:@+-]{1,128}");

    static String workspaceId(String id) {
        if (!isWorkspaceId(id)) {
            throw new TenancyException(TenancyException.Reason.INVALID_INPUT,
                    "workspace id must be 1-64 characters of A-Z a-z 0-9 _ -");
        }
        return id;
    }

    static boolean isWorkspaceId(String id) {
        return KeysetName.isValidWorkspaceId(id);
    }

    static String memberId(String id) {
        if (id == null || !MEMBER_ID.matcher(id).matches()) {
            throw new TenancyException(TenancyException.Reason.INVALID_INPUT,
                    "member id must be 1-128 characters of A-Z a-z 0-9 _ . : @ + -");
        }
        return id;
    }

    static String workspaceName(String name) {
        if (name == null || name.isBlank() || name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
            throw new TenancyException(TenancyException.Reason.INVALID_INPUT,
                    "workspace name must be 1-200 characters without control characters");
        }
        return name.strip();
    }
}
