package dev.bulwark.app.incident;

import dev.bulwark.audit.Actor;
import dev.bulwark.audit.AuditEntry;
import dev.bulwark.audit.AuditQuery;
import dev.bulwark.audit.AuditStore;
import dev.bulwark.audit.ChainId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An incident report drawn from the audit log: for a time window and optional filters (actor, IP, workspace), which
 * workspaces, which record types, how many events and distinct records, and approximately how many people were
 * touched, split into exports, reads and changes. Rendered as Markdown and JSON under the headings of GDPR Art. 33(3)
 * (nature of the breach with categories and approximate numbers; contact point; likely consequences; measures), with
 * the parts only the operator can know left for them to complete. Reads the audit store only; never record content.
 */
public final class IncidentReport {
    /** Record types whose ids identify a person (a data subject): customers and accounts/members. */
    static final Set<String> PERSON_TYPES = Set.of("customer", "user", "member", "account", "invite");

    public record Filter(Instant from, Instant to, Optional<Actor> actor, Optional<String> ip, Optional<String> workspaceId) {
        public Filter {
            if (from == null || to == null || !from.isBefore(to)) throw new IllegalArgumentException("the window needs --from before --to");
        }
    }

    /** Figures for one record type in one workspace. */
    public static final class TypeFigures {
        long events, exports, reads, changes, failures;
        final Set<String> records = new TreeSet<>();
        final Set<String> actions = new TreeSet<>();

        public long events() { return events; }
        public int distinctRecords() { return records.size(); }
    }

    private final Filter filter;
    private final Instant generatedAt;
    private final Map<String, Map<String, TypeFigures>> byWorkspace = new TreeMap<>();
    private final Set<String> actors = new TreeSet<>();
    private final Set<String> ips = new TreeSet<>();
    private final Set<String> people = new TreeSet<>();
    private long events;
    private long suspicious;

    private IncidentReport(Filter filter, Instant generatedAt) {
        this.filter = filter;
        this.generatedAt = generatedAt;
    }

    /** Scans the matching chains (one workspace's, or every chain including the platform's) within the window. */
    public static IncidentReport build(AuditStore store, Filter filter, Instant now) {
        IncidentReport r = new IncidentReport(filter, now);
        List<ChainId> chains = filter.workspaceId().map(ws -> List.of(ChainId.workspace(ws))).orElseGet(store::chains);
        for (ChainId chain : chains) {
            long after = 0;
            while (true) {
                AuditQuery q = AuditQuery.in(chain).from(filter.from()).to(filter.to()).afterSeq(after).limit(AuditQuery.MAX_LIMIT);
                if (filter.actor().isPresent()) q = q.actor(filter.actor().get());
                List<AuditEntry> page = store.query(q);
                for (AuditEntry e : page) {
                    if (filter.ip().isPresent() && !filter.ip().get().equals(e.ip())) continue;
                    r.add(e);
                }
                if (page.size() < AuditQuery.MAX_LIMIT) break;
                after = page.get(page.size() - 1).seq();
            }
        }
        return r;
    }

    private void add(AuditEntry e) {
        events++;
        if (e.suspicious()) suspicious++;
        actors.add(e.actor().type().name().toLowerCase(Locale.ROOT) + ":" + e.actor().id());
        if (e.ip() != null) ips.add(e.ip());
        String ws = e.chain().isPlatform() ? "(platform)" : e.chain().workspaceId();
        String type = e.targetType() == null ? "(none)" : e.targetType();
        TypeFigures f = byWorkspace.computeIfAbsent(ws, k -> new TreeMap<>()).computeIfAbsent(type, k -> new TypeFigures());
        f.events++;
        f.actions.add(e.action());
        if (e.targetId() != null) {
            f.records.add(e.targetId());
            if (PERSON_TYPES.contains(type)) people.add(ws + "/" + type + "/" + e.targetId());
        }
        switch (category(e.action())) {
            case "export" -> f.exports++;
            case "read" -> f.reads++;
            default -> f.changes++;
        }
        if (e.outcome() != dev.bulwark.audit.Outcome.SUCCESS) f.failures++;
    }

    static String category(String action) {
        String a = action.toLowerCase(Locale.ROOT);
        if (a.contains("export") || a.contains("download") || a.contains("share")) return "export";
        if (a.contains("view") || a.contains("read") || a.contains("list") || a.contains("search") || a.contains("open") || a.contains("login")) return "read";
        return "change";
    }

    public long events() {
        return events;
    }

    public Set<String> workspaces() {
        return byWorkspace.keySet();
    }

    public Optional<TypeFigures> figures(String workspace, String recordType) {
        return Optional.ofNullable(byWorkspace.getOrDefault(workspace, Map.of()).get(recordType));
    }

    public int approximatePeople() {
        return people.size();
    }

    public long distinctRecords() {
        return byWorkspace.values().stream().flatMap(m -> m.values().stream()).mapToLong(f -> f.records.size()).sum();
    }

    public JsonObject toJson() {
        JsonObject ws = new JsonObject();
        byWorkspace.forEach((w, types) -> {
            JsonObject t = new JsonObject();
            types.forEach((type, f) -> t.put(type, new JsonObject().put("events", f.events).put("distinctRecords", f.records.size())
                    .put("exports", f.exports).put("reads", f.reads).put("changes", f.changes).put("failures", f.failures)
                    .put("actions", new JsonArray(new ArrayList<>(f.actions)))));
            ws.put(w, t);
        });
        return new JsonObject().put("generatedAt", generatedAt.toString())
                .put("window", new JsonObject().put("from", filter.from().toString()).put("to", filter.to().toString()))
                .put("filters", new JsonObject().put("actor", filter.actor().map(a -> a.type().name().toLowerCase(Locale.ROOT) + ":" + a.id()).orElse(null))
                        .put("ip", filter.ip().orElse(null)).put("workspace", filter.workspaceId().orElse(null)))
                .put("events", events).put("suspiciousEvents", suspicious).put("distinctRecords", distinctRecords())
                .put("approximatePeople", people.size()).put("actors", new JsonArray(new ArrayList<>(actors)))
                .put("ipAddresses", new JsonArray(new ArrayList<>(ips))).put("workspaces", ws)
                .put("toComplete", new JsonArray(List.of("contactPoint", "likelyConsequences", "measuresTaken", "natureOfTheBreach")));
    }

    public String toMarkdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Personal data breach report (draft)\n\n")
                .append("Generated ").append(generatedAt).append(" from the Bulwark audit log. Window: ").append(filter.from()).append(" to ")
                .append(filter.to()).append(". Filters: actor ").append(filter.actor().map(a -> a.type().name().toLowerCase(Locale.ROOT) + ":" + a.id()).orElse("any"))
                .append(", IP ").append(filter.ip().orElse("any")).append(", workspace ").append(filter.workspaceId().orElse("any")).append(".\n\n")
                .append("> GDPR Art. 33: notify the supervisory authority without undue delay and, where feasible, within 72 hours of becoming ")
                .append("aware of the breach. The figures below come from the audit log; sections marked TO COMPLETE need the operator.\n\n");
        b.append("## 1. Nature of the breach (Art. 33(3)(a))\n\n").append("TO COMPLETE: what happened, how it was detected, when it started and ended.\n\n")
                .append("### Categories and approximate number of data subjects and records\n\n")
                .append("- Audit events in the window: ").append(events).append(" (").append(suspicious).append(" flagged suspicious)\n")
                .append("- Workspaces concerned: ").append(byWorkspace.size()).append('\n')
                .append("- Distinct records touched: ").append(distinctRecords()).append('\n')
                .append("- Approximate number of people (customers and accounts whose records were touched): ").append(people.size()).append('\n')
                .append("- Actors: ").append(actors.isEmpty() ? "none" : String.join(", ", actors)).append('\n')
                .append("- IP addresses: ").append(ips.isEmpty() ? "none" : String.join(", ", ips)).append("\n\n")
                .append("| Workspace | Record type | Events | Distinct records | Exports | Reads | Changes | Failed/denied |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        byWorkspace.forEach((w, types) -> types.forEach((type, f) -> b.append("| ").append(md(w)).append(" | ").append(md(type)).append(" | ")
                .append(f.events).append(" | ").append(f.records.size()).append(" | ").append(f.exports).append(" | ").append(f.reads).append(" | ")
                .append(f.changes).append(" | ").append(f.failures).append(" |\n")));
        b.append("\n## 2. Contact point (Art. 33(3)(b))\n\nTO COMPLETE: name and contact details of the data protection officer or other contact point.\n\n")
                .append("## 3. Likely consequences (Art. 33(3)(c))\n\nTO COMPLETE: e.g. exposure of contact details, risk of phishing or fraud, "
                        + "loss of confidentiality of notes.\n\n")
                .append("## 4. Measures taken or proposed (Art. 33(3)(d))\n\nTO COMPLETE: e.g. sessions revoked, API keys rotated, keys rotated "
                        + "(rotate-keys), affected customers informed (Art. 34), measures to mitigate adverse effects.\n");
        return b.toString();
    }

    private static String md(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
