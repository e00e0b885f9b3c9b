package dev.bulwark.app;

import dev.bulwark.app.AdversarialRouteTable.Access;
import dev.bulwark.app.AdversarialRouteTable.Call;
import dev.bulwark.app.AdversarialRouteTable.Flag;
import dev.bulwark.app.AdversarialRouteTable.Spec;
import dev.bulwark.app.platform.App;
import dev.bulwark.tenancy.Role;
import dev.bulwark.tenancy.Scope;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Route × role × foreign-tenant matrix over every route the router holds. For each route: an anonymous caller, every
 * role of the owning workspace A, and every role of a foreign workspace B presenting A's workspace and ids (in path,
 * query and body), and, in B's own workspace, A's ids. Expected outcomes come from {@link Role#scope} (the tenancy
 * role table) and the permission the route declares in {@link AdversarialRouteTable}; a foreign id must answer exactly
 * like an id that does not exist (same status, same body once the ids are masked), and records of A handed to foreign
 * cells must be unchanged afterwards.
 */
abstract class AdversarialRouteMatrix {
    /** Handlers without a path: security headers, body handler, the not-found fallback. Anything else must be classified. */
    static final int PATHLESS_ROUTES = 3;

    enum Outcome { UNAUTHENTICATED, DENIED, NOT_FOUND, SERVED, SERVER_ERROR }

    /** Open routes check no membership: anything but an error, a refusal or a 404 (sign-out legitimately sends you to /login). */
    static final Set<Outcome> OPEN_OUTCOMES = Set.of(Outcome.SERVED, Outcome.UNAUTHENTICATED);

    abstract AdversarialWorld world();

    /** Every "METHOD /path" the router holds, read from {@link Router#getRoutes()}; method-less or regex routes are reported as such. */
    static Set<String> registeredRoutes(App app, List<String> problems) throws Exception {
        var f = App.class.getDeclaredField("router");
        f.setAccessible(true);
        Router router = (Router) f.get(app);
        Set<String> out = new TreeSet<>();
        int pathless = 0;
        for (Route r : router.getRoutes()) {
            if (r.getPath() == null) {
                if (r.isRegexPath()) problems.add("regex route (cannot be classified by path): " + r);
                pathless++;
                continue;
            }
            if (r.methods() == null || r.methods().isEmpty()) {
                problems.add("route for every method: ANY " + r.getPath());
                continue;
            }
            for (HttpMethod m : r.methods()) out.add(m.name() + " " + r.getPath());
        }
        if (pathless != PATHLESS_ROUTES) problems.add(pathless + " handlers without a path (expected " + PATHLESS_ROUTES + ": headers, body, not-found)");
        return out;
    }

    @Test
    void everyRegisteredRouteIsClassifiedInTheMatrixTable() throws Exception {
        List<String> problems = new ArrayList<>();
        Set<String> routes = registeredRoutes(world().app.app, problems);
        Set<String> unclassified = new TreeSet<>(routes);
        unclassified.removeAll(AdversarialRouteTable.keys());
        Set<String> stale = new TreeSet<>(AdversarialRouteTable.keys());
        stale.removeAll(routes);
        assertThat(problems).as("routes that cannot be classified").isEmpty();
        assertThat(unclassified).as("routes registered but not classified in AdversarialRouteTable (declare access, permission and target)").isEmpty();
        assertThat(stale).as("routes classified but no longer registered").isEmpty();
    }

    static boolean isApi(String path) {
        return path.startsWith("/api/");
    }

    static Outcome classify(String path, HttpResponse<Buffer> r) {
        int s = r.statusCode();
        if (s >= 500) return Outcome.SERVER_ERROR;
        if (s == 401) return Outcome.UNAUTHENTICATED;
        String loc = r.getHeader("Location");
        if ((s == 302 || s == 303) && loc != null && (loc.equals("/login") || loc.startsWith("/login?"))) return Outcome.UNAUTHENTICATED;
        if (s == 403) {
            if (!isApi(path)) return Outcome.DENIED;
            String body = r.bodyAsString();
            return body != null && body.contains("\"error\":\"forbidden\"") ? Outcome.DENIED : Outcome.SERVED;
        }
        if (s == 404) return Outcome.NOT_FOUND;
        return Outcome.SERVED;
    }

    /** Status, type, redirect target and body with every id/token of the request masked (and digits in HTML, which shows times). */
    static String shape(HttpResponse<Buffer> r, Set<String> masks) {
        List<String> m = new ArrayList<>(masks);
        m.removeIf(x -> x == null || x.length() < 4);
        m.sort(Comparator.comparingInt(String::length).reversed());
        String body = r.bodyAsString() == null ? "" : r.bodyAsString();
        String loc = r.getHeader("Location") == null ? "" : r.getHeader("Location");
        for (String x : m) {
            body = body.replace(x, "<id>");
            loc = loc.replace(x, "<id>");
        }
        String type = r.getHeader("Content-Type") == null ? "" : r.getHeader("Content-Type");
        if (type.startsWith("text/html")) body = body.replaceAll("[0-9]+", "0");
        return r.statusCode() + " " + type + " " + loc + "\n" + body;
    }

    record Cell(String route, String who, Outcome expected, Outcome got, String detail) {}

    private final List<String> failures = new ArrayList<>();
    private final Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    private int cells;
    private int requests;

    private HttpResponse<Buffer> send(Http h, Call c) throws Exception {
        requests++;
        return h.send(HttpMethod.valueOf(c.method()), c.path(), c.body());
    }

    private void record(Spec s, String who, Set<Outcome> allowed, HttpResponse<Buffer> r, String path) {
        cells++;
        Outcome got = classify(path, r);
        outcomes.merge(got, 1, Integer::sum);
        if (!allowed.contains(got)) {
            failures.add(s.key() + " as " + who + ": expected " + allowed + " but got " + got + " (" + r.statusCode() + " "
                    + abbreviate(r.bodyAsString()) + ")");
        }
    }

    static String abbreviate(String s) {
        if (s == null) return "";
        s = s.replaceAll("\\s+", " ");
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }

    @Test
    void everyRouteRoleAndForeignTenantCellAnswersAsTheRoleTableSaysAndForeignIdsLookMissing() throws Exception {
        AdversarialWorld w = world();
        List<String> problems = new ArrayList<>();
        Set<String> registered = registeredRoutes(w.app.app, problems);
        AdversarialWorld.Side a = w.a;
        AdversarialWorld.Side b = w.b;
        int routes = 0;
        int foreignCells = 0;
        Map<String, String> perRoute = new TreeMap<>();
        for (Spec s : AdversarialRouteTable.TABLE.values()) {
            if (!registered.contains(s.key())) continue;
            routes++;
            int before = failures.size();
            // 1. Anonymous.
            Http anon = w.client();
            AdversarialFx fa = AdversarialFx.own(a, a.owner);
            Call c = s.target().call(fa);
            HttpResponse<Buffer> anonymous = send(anon, c);
            record(s, "anonymous", switch (s.access()) {
                case STATIC, WEBHOOK -> Set.of(Outcome.SERVED);
                case OPEN -> open(s);
                default -> Set.of(Outcome.UNAUTHENTICATED);
            }, anonymous, c.path());
            if (s.access() == Access.STATIC && (anonymous.statusCode() < 200 || anonymous.statusCode() > 299)) {
                failures.add(s.key() + " static resource answered " + anonymous.statusCode());
            }
            // 2. Every role of the owning workspace.
            for (Role role : Role.values()) {
                AdversarialWorld.User u = a.users.get(role);
                AdversarialFx f = AdversarialFx.own(a, u);
                Call call = s.target().call(f);
                Http actor = s.flags().contains(Flag.FRESH_ACTOR) ? w.login(u) : u.http();
                HttpResponse<Buffer> r = send(actor, call);
                Set<Outcome> expected = switch (s.access()) {
                    case STATIC, USER -> Set.of(Outcome.SERVED);
                    case OPEN -> open(s);
                    case PLATFORM_ADMIN -> Set.of(Outcome.NOT_FOUND);
                    case WEBHOOK -> Set.of(Outcome.SERVED);
                    case WORKSPACE -> expectedFor(role, s);
                };
                record(s, "A/" + role, expected, r, call.path());
                if (s.access() == Access.WEBHOOK && !shape(r, Set.of()).equals(shape(anonymous, Set.of()))) {
                    failures.add(s.key() + " as A/" + role + ": a webhook answered a signed-in member differently from an anonymous caller");
                }
            }
            if (s.access() == Access.PLATFORM_ADMIN) {
                HttpResponse<Buffer> r = send(w.platformAdmin.http(), s.target().call(AdversarialFx.own(a, w.platformAdmin)));
                record(s, "platform admin", Set.of(Outcome.SERVED), r, c.path());
            }
            // 3. Every role of the foreign workspace B.
            for (Role role : Role.values()) {
                AdversarialWorld.User actorUser = b.users.get(role);
                AdversarialWorld.User idUser = a.users.get(role);
                Http actor = s.flags().contains(Flag.FRESH_ACTOR) ? w.login(actorUser) : actorUser.http();
                // 3a. A's workspace and ids, B's links, against a workspace and ids that do not exist.
                AdversarialFx foreign = AdversarialFx.foreign(a, b, idUser, a.ws);
                Call fc = s.target().call(foreign);
                boolean namesWorkspace = foreign.used.contains(a.ws);
                if (namesWorkspace || foreign.namedIds) {
                    foreignCells += compare(s, "B/" + role + " with A's workspace and ids", actor, fc, foreign,
                            AdversarialFx.missing(a, b, idUser, AdversarialWorld.missingLike(a.ws)), a, s.access() == Access.WORKSPACE);
                }
                // 3b. B's own workspace with A's ids, against ids that do not exist.
                if (namesWorkspace && foreign.namedIds) {
                    AdversarialFx mixed = AdversarialFx.foreign(a, b, idUser, b.ws);
                    foreignCells += compare(s, "B/" + role + " in B's workspace with A's ids", actor, s.target().call(mixed), mixed,
                            AdversarialFx.missing(a, b, idUser, b.ws), a, false);
                }
            }
            perRoute.put(s.key(), failures.size() == before ? "ok" : (failures.size() - before) + " wrong");
        }
        int roles = Role.values().length;
        System.out.printf("[adversarial] route matrix on %s: %d routes x (anonymous + %d own roles + %d foreign roles) = %d cells "
                        + "(%d foreign-tenant comparisons), %d requests; outcomes %s; wrong cells %d%n",
                w.app.kind, routes, roles, roles, cells, foreignCells, requests, outcomes, failures.size());
        failures.forEach(f -> System.out.println("[adversarial]   WRONG " + f));
        assertThat(problems).isEmpty();
        assertThat(routes).isEqualTo(registered.size());
        assertThat(failures).as("cells that differ from the role table, or foreign ids that do not look missing").isEmpty();
    }

    static Set<Outcome> open(Spec s) {
        return s.flags().contains(Flag.UNCONFIGURED_IS_404) ? Set.of(Outcome.SERVED, Outcome.UNAUTHENTICATED, Outcome.NOT_FOUND) : OPEN_OUTCOMES;
    }

    /** Where two shapes first differ, with some context. */
    static String difference(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) i++;
        int from = Math.max(0, i - 60);
        return "\n      foreign: ..." + abbreviate(a.substring(from, Math.min(a.length(), i + 140)))
                + "\n      missing: ..." + abbreviate(b.substring(from, Math.min(b.length(), i + 140)));
    }

    /** Allowed scope ALL: served; OWN (staff): served, or 404 for rows of others; no scope: 403. */
    static Set<Outcome> expectedFor(Role role, Spec s) {
        Scope scope = role.scope(s.permission());
        if (!scope.granted() || (s.flags().contains(Flag.OWNER_ONLY) && role != Role.OWNER)) return Set.of(Outcome.DENIED);
        if (scope == Scope.OWN || (s.flags().contains(Flag.MEMBER_ROWS) && role != Role.OWNER)) return Set.of(Outcome.SERVED, Outcome.NOT_FOUND);
        return Set.of(Outcome.SERVED);
    }

    /** Sends the foreign request and its missing twin; they must be indistinguishable, and the id side's records unchanged. */
    private int compare(Spec s, String who, Http actor, Call foreignCall, AdversarialFx foreign, AdversarialFx missingFx, AdversarialWorld.Side idSide,
                        boolean mustBeNotFound) throws Exception {
        HttpResponse<Buffer> fr = send(actor, foreignCall);
        Call mc = s.target().call(missingFx);
        HttpResponse<Buffer> mr = send(actor, mc);
        Set<String> masks = new java.util.HashSet<>(foreign.used);
        masks.addAll(missingFx.used);
        record(s, who, mustBeNotFound ? Set.of(Outcome.NOT_FOUND) : Set.of(Outcome.SERVED, Outcome.DENIED, Outcome.NOT_FOUND,
                Outcome.UNAUTHENTICATED), fr, foreignCall.path());
        String a = shape(fr, masks);
        String b = shape(mr, masks);
        if (!a.equals(b)) {
            failures.add(s.key() + " as " + who + ": a foreign id answers differently from a missing one:" + difference(a, b));
        }
        for (Map.Entry<String, String> g : foreign.guarded.entrySet()) {
            String[] kindId = g.getKey().split(" ", 2);
            String now = idSide.state(kindId[0], kindId[1], foreign.idUser());
            if (!now.equals(g.getValue())) {
                failures.add(s.key() + " as " + who + ": the foreign request changed " + g.getKey() + ": " + abbreviate(g.getValue()) + " -> " + abbreviate(now));
            }
        }
        return 1;
    }

}
