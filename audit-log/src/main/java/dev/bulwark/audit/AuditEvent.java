package dev.bulwark.audit;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What happened, before it is sealed into a chain by {@link AuditLog#record}. The time is stamped by the log.
 *
 * <pre>{@code
 * AuditEvent.in(ChainId.workspace(ctx.workspaceId())).actor(Actor.member(ctx.memberId()))
 *         .action("invoice.refund").target("invoice", invoiceId).outcome(Outcome.SUCCESS)
 *         .ip(request.remoteAddress()).userAgent(request.userAgent()).details(Details.of("amount", 1200)).build();
 * }</pre>
 */
public final class AuditEvent {
    static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_.:-]{0,99}");
    static final Pattern TARGET_TYPE = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    static final int MAX_USER_AGENT = 512;
    static final String INVALID_IP = "invalid";

    final ChainId chain;
    final Actor actor;
    final String action;
    final String targetType;
    final String targetId;
    final Outcome outcome;
    final String ip;
    final String userAgent;
    final Details details;
    final boolean suspicious;

    private AuditEvent(Builder b) {
        this.chain = b.chain;
        this.actor = b.actor;
        this.action = b.action;
        this.targetType = b.targetType;
        this.targetId = b.targetId;
        this.outcome = b.outcome;
        this.ip = b.ip;
        this.userAgent = b.userAgent;
        this.details = b.details;
        this.suspicious = b.suspicious;
    }

    /** An event of a workspace (team-level) or of the platform ({@link ChainId#PLATFORM}, administrator-level). */
    public static Builder in(ChainId chain) {
        return new Builder(Objects.requireNonNull(chain, "chain"));
    }

    public ChainId chain() {
        return chain;
    }

    public static final class Builder {
        private final ChainId chain;
        private Actor actor;
        private String action;
        private String targetType;
        private String targetId;
        private Outcome outcome = Outcome.SUCCESS;
        private String ip;
        private String userAgent;
        private Details details = Details.EMPTY;
        private boolean suspicious;

        private Builder(ChainId chain) {
            this.chain = chain;
        }

        public Builder actor(Actor actor) {
            this.actor = Objects.requireNonNull(actor, "actor");
            return this;
        }

        /** A dotted action name such as {@code auth.login_failed} or {@code invoice.refund}. */
        public Builder action(String action) {
            if (action == null || !ACTION.matcher(action).matches()) {
                throw new AuditException(AuditException.Reason.INVALID_EVENT, "action must match [a-z][a-z0-9_.:-]{0,99}");
            }
            this.action = action;
            return this;
        }

        public Builder target(String type, String id) {
            if (type == null || !TARGET_TYPE.matcher(type).matches()) {
                throw new AuditException(AuditException.Reason.INVALID_EVENT, "target type must match [a-z][a-z0-9_.-]{0,63}");
            }
            if (id == null || !Actor.ID.matcher(id).matches()) {
                throw new AuditException(AuditException.Reason.INVALID_EVENT, "target id must be 1-128 characters of A-Z a-z 0-9 _ . : @ + -");
            }
            this.targetType = type;
            this.targetId = id;
            return this;
        }

        public Builder outcome(Outcome outcome) {
            this.outcome = Objects.requireNonNull(outcome, "outcome");
            return this;
        }

        /** The client address. Request-supplied text is never trusted: anything but an IP literal is stored as {@code invalid}. */
        public Builder ip(String ip) {
            this.ip = ip == null ? null : (IPV4.matcher(ip).matches() || (ip.contains(":") && IPV6.matcher(ip).matches()) ? ip : INVALID_IP);
            return this;
        }

        /** The client's User-Agent: control characters become spaces and it is cut to 512 characters. */
        public Builder userAgent(String userAgent) {
            if (userAgent == null) {
                this.userAgent = null;
            } else {
                String clean = userAgent.replaceAll("\\p{Cntrl}", " ");
                this.userAgent = clean.length() > MAX_USER_AGENT ? clean.substring(0, MAX_USER_AGENT) : clean;
            }
            return this;
        }

        public Builder details(Details details) {
            this.details = Objects.requireNonNull(details, "details");
            return this;
        }

        /** Marks the event for review (e.g. repeated failed logins, access from a new country, a denied export). */
        public Builder suspicious() {
            this.suspicious = true;
            return this;
        }

        public AuditEvent build() {
            if (actor == null) throw new AuditException(AuditException.Reason.INVALID_EVENT, "an actor is required");
            if (action == null) throw new AuditException(AuditException.Reason.INVALID_EVENT, "an action is required");
            return new AuditEvent(this);
        }
    }
}
