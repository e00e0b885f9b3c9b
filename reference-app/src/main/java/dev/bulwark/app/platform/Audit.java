package dev.bulwark.app.platform;

import dev.bulwark.audit.Actor;
import dev.bulwark.audit.AuditEvent;
import dev.bulwark.audit.AuditLog;
import dev.bulwark.audit.ChainId;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The app's audit trail (audit-log): one hash chain per workspace, one for the platform. Called on workers. */
public final class Audit {
    private static final Logger log = LoggerFactory.getLogger(Audit.class);
    private final AuditLog auditLog;

    public Audit(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    public AuditLog log() {
        return auditLog;
    }

    public static Actor actor(Principal p) {
        if (p == null) return Actor.system("anonymous");
        return p.viaApiKey() ? Actor.apiKey(p.apiKeyId()) : Actor.member(p.userId());
    }

    public void workspace(String workspaceId, Actor actor, String action, String targetType, String targetId, Outcome outcome,
                          Req req, Details details, boolean suspicious) {
        record(ChainId.workspace(workspaceId), actor, action, targetType, targetId, outcome, req == null ? null : req.clientIp,
                req == null ? null : req.userAgent, details, suspicious);
    }

    public void platform(Actor actor, String action, String targetType, String targetId, Outcome outcome, String ip, Details details,
                         boolean suspicious) {
        record(ChainId.PLATFORM, actor, action, targetType, targetId, outcome, ip, null, details, suspicious);
    }

    public void record(ChainId chain, Actor actor, String action, String targetType, String targetId, Outcome outcome,
                       String ip, String userAgent, Details details, boolean suspicious) {
        AuditEvent.Builder b = AuditEvent.in(chain).actor(actor).action(action).outcome(outcome);
        if (targetType != null && targetId != null) b.target(targetType, targetId);
        if (ip != null) b.ip(ip);
        if (userAgent != null && !userAgent.isEmpty()) b.userAgent(userAgent);
        if (details != null) b.details(details);
        if (suspicious) b.suspicious();
        auditLog.record(b.build());
        log.debug("audit {} {}", chain, action);
    }
}
