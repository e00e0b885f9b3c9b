package dev.bulwark.links;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a link may be used for, with the longest lifetime a link of that purpose may have and whether it can be
 * used only once. A token signed for one purpose is rejected when presented for another.
 *
 * <p>Built-in purposes and their caps: {@link #BOOKING} 30 days, {@link #INVOICE_VIEW} 7 days,
 * {@link #PASSWORD_RESET} 30 minutes (single use), {@link #EMAIL_VERIFY} 24 hours (single use),
 * {@link #TEAM_INVITE} 7 days (single use). Define others with {@link #of(String, Duration, boolean)}.
 */
public final class LinkPurpose {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    /** No purpose may allow links that live longer than this. */
    public static final Duration LONGEST_LIFETIME = Duration.ofDays(90);

    /** A public booking page link. */
    public static final LinkPurpose BOOKING = new LinkPurpose("booking", Duration.ofDays(30), false);
    /** A shared "view this invoice" link. */
    public static final LinkPurpose INVOICE_VIEW = new LinkPurpose("invoice-view", Duration.ofDays(7), false);
    /** A password-reset link: short and single use. */
    public static final LinkPurpose PASSWORD_RESET = new LinkPurpose("password-reset", Duration.ofMinutes(30), true);
    /** An e-mail address verification link, single use. */
    public static final LinkPurpose EMAIL_VERIFY = new LinkPurpose("email-verify", Duration.ofHours(24), true);
    /** An invitation to join a team (workspace), single use. */
    public static final LinkPurpose TEAM_INVITE = new LinkPurpose("team-invite", Duration.ofDays(7), true);

    private final String name;
    private final Duration maxLifetime;
    private final boolean singleUse;

    private LinkPurpose(String name, Duration maxLifetime, boolean singleUse) {
        this.name = name;
        this.maxLifetime = maxLifetime;
        this.singleUse = singleUse;
    }

    /**
     * A purpose of your own.
     *
     * @param name        lower-case letters, digits and '-', at most 40 characters (signed into every token)
     * @param maxLifetime the cap on the lifetime of links of this purpose, between 1 second and 90 days
     * @param singleUse   whether a link of this purpose is accepted only once (its token id is recorded)
     */
    public static LinkPurpose of(String name, Duration maxLifetime, boolean singleUse) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("purpose name must match " + NAME.pattern());
        }
        if (maxLifetime.compareTo(Duration.ofSeconds(1)) < 0 || maxLifetime.compareTo(LONGEST_LIFETIME) > 0) {
            throw new IllegalArgumentException("maxLifetime must be between 1 second and " + LONGEST_LIFETIME);
        }
        return new LinkPurpose(name, maxLifetime, singleUse);
    }

    public String name() {
        return name;
    }

    public Duration maxLifetime() {
        return maxLifetime;
    }

    public boolean singleUse() {
        return singleUse;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinkPurpose p && p.name.equals(name) && p.maxLifetime.equals(maxLifetime)
                && p.singleUse == singleUse;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, maxLifetime, singleUse);
    }

    @Override
    public String toString() {
        return name + "(max " + maxLifetime + (singleUse ? ", single use)" : ")");
    }
}
