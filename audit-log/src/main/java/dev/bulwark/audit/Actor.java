package dev.bulwark.audit;

import java.util.regex.Pattern;

/** Who acted: a member, an API key (by its public id, never the key), or the system (a job name). */
public record Actor(Type type, String id) {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:@+-]{1,128}");

    public enum Type { MEMBER, API_KEY, SYSTEM }

    public Actor {
        if (type == null) throw new AuditException(AuditException.Reason.INVALID_EVENT, "actor type is required");
        if (id == null || !ID.matcher(id).matches()) {
            throw new AuditException(AuditException.Reason.INVALID_EVENT, "actor id must be 1-128 characters of A-Z a-z 0-9 _ . : @ + -");
        }
    }

    public static Actor member(String memberId) {
        return new Actor(Type.MEMBER, memberId);
    }

    /** The API key's public identifier (e.g. its prefix), never the secret part. */
    public static Actor apiKey(String keyId) {
        return new Actor(Type.API_KEY, keyId);
    }

    public static Actor system(String jobName) {
        return new Actor(Type.SYSTEM, jobName);
    }
}
