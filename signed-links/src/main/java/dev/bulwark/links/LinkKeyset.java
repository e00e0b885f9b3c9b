package dev.bulwark.links;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Link-signing keys by kid: the primary signs new links; every key in the set verifies. Rotation: add a new
 * primary and keep the previous key until the links it signed have expired (at most the longest purpose
 * lifetime), then drop it.
 */
public final class LinkKeyset implements LinkKeySource {
    private final LinkKey primary;
    private final Map<String, LinkKey> byKid;
    private final LinkKey[] headerKeys;

    private LinkKeyset(LinkKey primary, Map<String, LinkKey> byKid) {
        this.primary = primary;
        this.byKid = Collections.unmodifiableMap(byKid);
        this.headerKeys = byKid.values().toArray(new LinkKey[0]);
    }

    /** A keyset with one key, which is also the primary. */
    public static LinkKeyset of(LinkKey primary) {
        return builder().primary(primary).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public LinkKey primary() {
        return primary;
    }

    /** Every key that verifies, the primary included. */
    public Collection<LinkKey> keys() {
        return byKid.values();
    }

    LinkKey byKid(String kid) {
        return kid == null ? null : byKid.get(kid);
    }

    /**
     * The key whose own canonical header is exactly the token's first {@code length} characters, so our tokens
     * skip header JSON parsing. The primary is tried first; keysets hold a handful of keys.
     */
    LinkKey byCanonicalHeader(String token, int length) {
        if (matches(primary, token, length)) return primary;
        for (LinkKey k : headerKeys) {
            if (matches(k, token, length)) return k;
        }
        return null;
    }

    private static boolean matches(LinkKey k, String token, int length) {
        String h = k.headerSegment();
        return h.length() == length && token.startsWith(h);
    }

    @Override
    public LinkKeyset current() {
        return this;
    }

    @Override
    public String toString() {
        return "LinkKeyset[primary=" + primary.kid() + ", kids=" + byKid.keySet() + "]";
    }

    public static final class Builder {
        private LinkKey primary;
        private final Map<String, LinkKey> keys = new LinkedHashMap<>();

        private Builder() {}

        /** The key that signs new links (also verifies). */
        public Builder primary(LinkKey key) {
            Objects.requireNonNull(key, "key");
            add(key);
            primary = key;
            return this;
        }

        /** A key that only verifies (a previous primary during rotation). */
        public Builder add(LinkKey key) {
            Objects.requireNonNull(key, "key");
            LinkKey old = keys.putIfAbsent(key.kid(), key);
            if (old != null && old != key) {
                throw new IllegalArgumentException("two keys with kid " + key.kid());
            }
            return this;
        }

        public LinkKeyset build() {
            if (primary == null) throw new IllegalStateException("a keyset needs a primary key");
            return new LinkKeyset(primary, new LinkedHashMap<>(keys));
        }
    }
}
