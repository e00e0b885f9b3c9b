package dev.bulwark.app;

import dev.bulwark.auth.login.LockStatus;
import dev.bulwark.auth.login.LoginGuard;
import dev.bulwark.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Login flood against the real app (H2, HTTPS, in this JVM): wrong-password logins from many client addresses (through
 * the trusted loopback proxy's X-Forwarded-For) against a handful of accounts and as many non-existent e-mails, while
 * normal users keep signing in and using the app. Checks and prints: lockout at exactly the configured threshold (and
 * nothing counted once locked, also when attempts race the lock), no other account locked, known and unknown accounts
 * indistinguishable by answer and latency band, heap bounded, and the normal routes' p50/p99 with and without the flood.
 * Not a unit test: run through {@code LoginFloodLoadCheck} ({@code mvn -B -pl reference-app verify -Ploadtest}) or
 * {@code java -cp ... dev.bulwark.app.LoginFlood [threshold] [wrong logins] [baseline seconds]} (see BENCHMARKS.md);
 * exits 1 when a check fails.
 */
public final class LoginFlood {
    /** Answers of known and unknown accounts must not differ in p50/p90 latency by more than this factor either way. */
    static final double TIMING_BAND = 1.33;
    /** Addresses each flood client uses for this many attempts (far below the per-address limit of 20/min). */
    static final int ATTEMPTS_PER_ADDRESS = 4;
    /** Rounds of the quiet timing probe: each normal user mistypes N-1 times per round, then signs in. */
    static final int QUIET_ROUNDS = 2;
    /** The flood may leave at most this much more heap behind (after a full GC) than the run without it. */
    static final long RETAINED_GROWTH_BOUND = 64L << 20;

    record Settings(int threshold, int wrongLogins, int targeted, int lanesPerAccount, int normalUsers, int bystanders,
                    int baselineSeconds, int timeLimitSeconds, long heapBoundBytes) {
        static Settings defaults() {
            return new Settings(7, 1000, 6, 3, 8, 10, 15, 1200, 448L << 20);
        }

        static Settings from(String[] args) {
            Settings d = defaults();
            return new Settings(args.length > 0 ? Integer.parseInt(args[0]) : d.threshold, args.length > 1 ? Integer.parseInt(args[1]) : d.wrongLogins,
                    d.targeted, d.lanesPerAccount, d.normalUsers, d.bystanders, args.length > 2 ? Integer.parseInt(args[2]) : d.baselineSeconds,
                    d.timeLimitSeconds, d.heapBoundBytes);
        }

        Map<String, String> env() {
            return Map.of("BULWARK_LOCKOUT_THRESHOLD", String.valueOf(threshold),
                    "BULWARK_LOGIN_LIMIT_PER_IP", "20", // the shipped default: flood clients stay below it
                    "BULWARK_LOGIN_LIMIT_PER_ACCOUNT", "1000", // above the flood's rate, so every attempt reaches the lockout logic
                    "BULWARK_TRUSTED_PROXIES", "127.0.0.1/32");
        }
    }

    /** One flooded identifier: a real account (known) or an e-mail nobody signed up with. */
    static final class Target {
        final String email;
        final boolean known;
        final boolean burstAtEdge; // attempts N-1 one by one, then all lanes at once across the threshold
        final int planned;
        final AtomicInteger sent = new AtomicInteger();
        volatile int lockedAfter = -1; // attempt number after which the lock was first seen (one-by-one part only)
        volatile boolean lockedBeforeEdge;
        volatile LockStatus after;
        int lockMails = -1;
        int rightPasswordStatus = -1;
        int ownDeviceStatus = -1;
        Http owner;

        Target(String email, boolean known, boolean burstAtEdge, int planned) {
            this.email = email;
            this.known = known;
            this.burstAtEdge = burstAtEdge;
            this.planned = planned;
        }
    }

    /** What one side (known or unknown accounts) of the flood saw. */
    static final class Side {
        final LoadKit.Latencies latency = new LoadKit.Latencies();
        final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        final Set<String> answers = ConcurrentHashMap.newKeySet();

        void record(int status, String body, long nanos) {
            latency.add(nanos);
            statuses.merge(status, 1, Integer::sum);
            answers.add(status + " " + body);
        }

        int total() {
            return statuses.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Normal users' traffic in one phase. */
    static final class Phase {
        final String name;
        final LoadKit.Latencies routes = new LoadKit.Latencies();
        final LoadKit.Latencies logins = new LoadKit.Latencies();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong loginTimeouts = new AtomicLong();
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong heapMax = new AtomicLong();
        volatile long retainedAfter; // heap used after a full GC at the end of the phase
        volatile double seconds;

        Phase(String name) {
            this.name = name;
        }

        void fail(String what) {
            failed.incrementAndGet();
            if (failures.size() < 10) failures.add(what);
        }
    }

    record NormalUser(String email, String workspace, Http http) {}

    private final Settings settings;
    private final TestApp app;
    private final Vertx vertx;
    private final WebClient flood;
    private final String csrfCookie;
    private final String csrfToken;
    private final LoginGuard guard;
    private final AtomicInteger addressCounter = new AtomicInteger();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final StringBuilder out = new StringBuilder();

    private LoginFlood(Settings settings, TestApp app, Vertx vertx) throws Exception {
        this.settings = settings;
        this.app = app;
        this.vertx = vertx;
        this.flood = LoadKit.httpsClient(vertx, 2 * settings.targeted * settings.lanesPerAccount + 4, true);
        Http anon = new Http(vertx, app, "192.0.2.1").withCsrf();
        this.csrfCookie = "__Host-bw_csrf=" + anon.cookies.get("__Host-bw_csrf");
        this.csrfToken = anon.csrf;
        this.guard = app.app.services().loginGuard();
    }

    public static void main(String[] args) throws Exception {
        List<String> failed = run(Settings.from(args));
        System.exit(failed.isEmpty() ? 0 : 1);
    }

    /** Runs the scenario, prints the result table and returns the failed checks (empty when all passed). */
    static List<String> run(Settings s) throws Exception {
        Vertx vertx = Vertx.vertx();
        try (TestApp app = TestApp.start(TestDatabase.Kind.H2, s.env())) {
            LoginFlood f = new LoginFlood(s, app, vertx);
            f.scenario();
            System.out.println(f.out);
            // Also kept in a file: the app's logs interleave with stdout.
            java.nio.file.Path table = java.nio.file.Path.of("target", "login-flood.txt");
            java.nio.file.Files.createDirectories(table.getParent());
            java.nio.file.Files.writeString(table, f.out);
            System.out.println("(table also written to " + table.toAbsolutePath() + ")");
            return List.copyOf(f.failures);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private void scenario() throws Exception {
        int n = settings.threshold;
        long tag = System.nanoTime();
        // Accounts: targeted (their owners keep their browser: session + device cookie), normal users, bystanders.
        List<Target> targets = new ArrayList<>();
        int pairs = settings.targeted;
        int perSide = settings.wrongLogins / 2;
        for (int i = 0; i < pairs; i++) {
            int planned = perSide / pairs + (i < perSide % pairs ? 1 : 0);
            boolean burst = i >= pairs / 2;
            Target known = new Target("target" + i + "-" + tag + "@example.com", true, burst, planned);
            known.owner = LoadKit.signedUpOwner(vertx, app, "Target " + i, known.email, "198.51.100." + (10 + i));
            targets.add(known);
            targets.add(new Target("ghost" + i + "-" + tag + "@example.com", false, burst, planned));
        }
        List<NormalUser> users = new ArrayList<>();
        for (int i = 0; i < settings.normalUsers; i++) {
            String email = "user" + i + "-" + tag + "@example.com";
            Http h = LoadKit.signedUpOwner(vertx, app, "User " + i, email, "198.51.100." + (100 + i));
            String ws = h.get("/api/v1/workspaces").bodyAsJsonArray().getJsonObject(0).getString("id");
            users.add(new NormalUser(email, ws, h));
        }
        List<String> bystanders = new ArrayList<>();
        for (int i = 0; i < settings.bystanders; i++) {
            String email = "bystander" + i + "-" + tag + "@example.com";
            LoadKit.signedUpOwner(vertx, app, "Bystander " + i, email, "198.51.100." + (200 + i));
            bystanders.add(email);
        }

        // Quiet timing probe: nothing else runs. Each normal user mistypes N-1 times (alternating with a non-existent
        // e-mail that gets the same number of attempts), then signs in: N-1 failures must not lock.
        Side quietKnown = new Side();
        Side quietUnknown = new Side();
        int notLockedAtNMinus1 = 0;
        for (int round = 0; round < QUIET_ROUNDS; round++) {
            for (NormalUser u : users) {
                String ghost = "absent" + round + "-" + u.email;
                for (int j = 0; j < n - 1; j++) {
                    attempt(u.email, quietKnown);
                    attempt(ghost, quietUnknown);
                }
                if (login(u.http, u.email) == 200) notLockedAtNMinus1++;
            }
        }
        check(notLockedAtNMinus1 == QUIET_ROUNDS * users.size(), "after " + (n - 1) + " wrong passwords every normal user still signs in ("
                + notLockedAtNMinus1 + "/" + QUIET_ROUNDS * users.size() + ")");

        // Normal users run through both phases; the heap is sampled throughout.
        AtomicReference<Phase> phase = new AtomicReference<>(new Phase("without flood"));
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Thread sampler = thread("heap-sampler", () -> {
            while (!Thread.currentThread().isInterrupted()) {
                phase.get().heapMax.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        List<Thread> normal = new ArrayList<>();
        for (NormalUser u : users) normal.add(thread("normal-" + u.email, () -> normalUser(u, phase)));

        Phase baseline = phase.get();
        long t0 = System.nanoTime();
        Thread.sleep(settings.baselineSeconds * 1000L);
        baseline.seconds = (System.nanoTime() - t0) / 1e9;

        phase.set(new Phase("between")); // the full GC's pause is measured in neither phase
        baseline.retainedAfter = retained(memory);
        Phase during = new Phase("during flood");
        phase.set(during);
        Side knownSide = new Side();
        Side unknownSide = new Side();
        long f0 = System.nanoTime();
        long deadline = f0 + settings.timeLimitSeconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(targets.size());
        for (Target t : targets) {
            thread("flood-" + t.email, () -> {
                try {
                    floodOne(t, t.known ? knownSide : unknownSide, deadline);
                } catch (Exception e) {
                    failures.add("flood of " + t.email + " broke: " + e);
                } finally {
                    done.countDown();
                }
            });
        }
        boolean inTime = done.await(settings.timeLimitSeconds + 30L, TimeUnit.SECONDS);
        during.seconds = (System.nanoTime() - f0) / 1e9;
        phase.set(new Phase("after"));
        for (Thread t : normal) t.join(30_000);
        sampler.interrupt();
        during.retainedAfter = retained(memory);
        check(inTime && System.nanoTime() < deadline, "flood finished within " + settings.timeLimitSeconds + " s (" + fmt(during.seconds) + " s)");

        // After the flood: the lock is real (right password refused from a new browser, with the wrong-password answer),
        // the owner's own browser (device cookie) still gets in, nobody else is locked.
        for (Target t : targets) {
            t.after = guard.lockStatus(t.email);
            if (!t.known) continue;
            HttpResponse<Buffer> fresh = send(t.email, LoadKit.PASSWORD, nextAddress());
            t.rightPasswordStatus = fresh.statusCode();
            check(knownSide.answers.contains(fresh.statusCode() + " " + fresh.bodyAsString()),
                    t.email + ": the right password while locked gets the wrong-password answer (" + fresh.statusCode() + ")");
            t.ownDeviceStatus = login(t.owner, t.email);
            t.lockMails = lockMails(t.email);
        }
        int othersLocked = 0;
        int otherLockMails = 0;
        int bystandersIn = 0;
        for (NormalUser u : users) {
            LockStatus st = guard.lockStatus(u.email);
            if (st.passwordLocked() || st.lockouts() > 0) othersLocked++;
            otherLockMails += lockMails(u.email);
        }
        for (String b : bystanders) {
            LockStatus st = guard.lockStatus(b);
            if (st.passwordLocked() || st.lockouts() > 0 || st.failures() > 0) othersLocked++;
            otherLockMails += lockMails(b);
            if (send(b, LoadKit.PASSWORD, nextAddress()).statusCode() == 200) bystandersIn++;
        }

        for (Target t : targets) {
            String who = (t.known ? "known " : "unknown ") + t.email;
            if (t.burstAtEdge) {
                check(!t.lockedBeforeEdge, who + ": not locked after " + (n - 1) + " failures");
            } else {
                check(t.lockedAfter == n, who + ": locked after exactly attempt " + n + " (seen after " + t.lockedAfter + ")");
            }
            check(t.sent.get() == t.planned, who + ": all " + t.planned + " attempts sent (" + t.sent.get() + ")");
            check(t.after.passwordLocked() && t.after.lockouts() == 1 && t.after.failures() == 0,
                    who + ": locked once, no failure counted while locked (lockouts " + t.after.lockouts() + ", failures " + t.after.failures() + ")");
            if (t.known) {
                check(t.rightPasswordStatus == 401, who + ": right password from a new browser refused (" + t.rightPasswordStatus + ")");
                check(t.ownDeviceStatus == 200, who + ": owner's own browser (device cookie) still signs in (" + t.ownDeviceStatus + ")");
                check(t.lockMails == 1, who + ": exactly one lock e-mail (" + t.lockMails + ")");
            }
        }
        check(othersLocked == 0, "no normal user or bystander locked or charged with failures (" + othersLocked + ")");
        check(otherLockMails == 0, "no lock e-mail to anyone else (" + otherLockMails + ")");
        check(bystandersIn == bystanders.size(), "every bystander signs in after the flood (" + bystandersIn + "/" + bystanders.size() + ")");
        check(during.failed.get() == 0 && baseline.failed.get() == 0, "no normal request failed or login refused (" + baseline.failed.get() + " without, "
                + during.failed.get() + " during the flood" + (during.failures.isEmpty() ? "" : ": " + during.failures) + ")");
        check(knownSide.answers.equals(unknownSide.answers) && quietKnown.answers.equals(quietUnknown.answers),
                "known and unknown accounts get the same answers (" + knownSide.answers + " vs " + unknownSide.answers + ")");
        check(sameShares(knownSide, unknownSide), "status distribution known " + new TreeMap<>(knownSide.statuses) + " vs unknown " + new TreeMap<>(unknownSide.statuses));
        checkBand("flood", knownSide, unknownSide);
        checkBand("quiet", quietKnown, quietUnknown);
        check(during.heapMax.get() < settings.heapBoundBytes, "heap used during the flood " + mib(during.heapMax.get()) + " MiB < bound "
                + mib(settings.heapBoundBytes) + " MiB");
        check(during.retainedAfter - baseline.retainedAfter < RETAINED_GROWTH_BOUND, "heap retained after the flood grew by "
                + mib(during.retainedAfter - baseline.retainedAfter) + " MiB < " + mib(RETAINED_GROWTH_BOUND) + " MiB");

        report(targets, knownSide, unknownSide, quietKnown, quietUnknown, baseline, during, users.size(), bystanders.size(), bystandersIn, othersLocked, otherLockMails);
    }

    /** Floods one identifier: one attempt at a time up to the edge (lock state read after each), then all lanes at once. */
    private void floodOne(Target t, Side side, long deadline) throws Exception {
        int n = settings.threshold;
        int oneByOne = t.burstAtEdge ? n - 1 : n;
        for (int i = 1; i <= oneByOne && System.nanoTime() < deadline; i++) {
            t.sent.incrementAndGet();
            attempt(t.email, side);
            if (t.lockedAfter < 0 && guard.lockStatus(t.email).passwordLocked()) t.lockedAfter = i;
        }
        t.lockedBeforeEdge = t.lockedAfter >= 0 && t.lockedAfter < n;
        List<Thread> lanes = new ArrayList<>();
        for (int l = 0; l < settings.lanesPerAccount; l++) {
            lanes.add(thread("lane-" + t.email, () -> {
                while (System.nanoTime() < deadline) {
                    int k = t.sent.incrementAndGet();
                    if (k > t.planned) {
                        t.sent.decrementAndGet();
                        return;
                    }
                    try {
                        attempt(t.email, side);
                    } catch (Exception e) {
                        side.record(-1, e.getClass().getSimpleName(), 0);
                    }
                }
            }));
        }
        for (Thread l : lanes) l.join();
    }

    /** One wrong-password login from the next flood address; the answer goes to {@code side}. */
    private void attempt(String email, Side side) throws Exception {
        long s = System.nanoTime();
        HttpResponse<Buffer> r = send(email, "wrong password " + s, nextAddress());
        side.record(r.statusCode(), r.bodyAsString(), System.nanoTime() - s);
    }

    private String nextAddress() {
        int a = addressCounter.getAndIncrement() / ATTEMPTS_PER_ADDRESS;
        return "10.20." + (a >> 8 & 255) + "." + (a & 255);
    }

    private HttpResponse<Buffer> send(String email, String password, String clientIp) throws Exception {
        return LoadKit.loginRequest(flood, app, csrfCookie, csrfToken, clientIp).sendJsonObject(new JsonObject().put("email", email).put("password", password))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static int login(Http h, String email) throws Exception {
        return h.post("/api/v1/login", new JsonObject().put("email", email).put("password", LoadKit.PASSWORD)).statusCode();
    }

    /**
     * A normal user: reads their account and customer list, adds a customer now and then, signs in again every 5 s
     * (12/min, under the per-address limit), with 20 ms think time; until the phase is "after".
     */
    private static void normalUser(NormalUser u, AtomicReference<Phase> phase) {
        String customers = "/api/v1/workspaces/" + u.workspace + "/customers";
        long nextLogin = System.nanoTime() + 5_000_000_000L;
        for (int i = 0; ; i++) {
            Phase p = phase.get();
            if (p.name.equals("after")) return;
            try {
                if (System.nanoTime() >= nextLogin) {
                    nextLogin += 5_000_000_000L;
                    long s = System.nanoTime();
                    try {
                        int st = login(u.http, u.email);
                        p.logins.add(System.nanoTime() - s);
                        if (st != 200) p.fail("login " + st); // a refusal: the user could not get in
                    } catch (java.util.concurrent.TimeoutException slow) {
                        // Waited 30 s in the password lane's queue: slow, not refused. The server may still finish it and
                        // replace this browser's session (fixation defence), so sign in again, as a user would.
                        p.loginTimeouts.incrementAndGet();
                        nextLogin = System.nanoTime();
                        continue;
                    }
                }
                timed(p, () -> u.http.get("/api/v1/account"), 200, "GET account");
                timed(p, () -> u.http.get(customers), 200, "GET customers");
                if (i % 5 == 0) {
                    int c = i;
                    timed(p, () -> u.http.post(customers, new JsonObject().put("name", "Customer " + c).put("email", "c" + c + "@example.org")), 201, "POST customer");
                }
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                p.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    private static void timed(Phase p, java.util.concurrent.Callable<HttpResponse<Buffer>> request, int expected, String what) throws Exception {
        long s = System.nanoTime();
        int st = request.call().statusCode();
        p.routes.add(System.nanoTime() - s);
        if (st != expected) p.fail(what + " " + st);
    }

    private static long retained(MemoryMXBean memory) throws InterruptedException {
        System.gc();
        Thread.sleep(200);
        return memory.getHeapMemoryUsage().getUsed();
    }

    private int lockMails(String email) throws Exception {
        return (int) app.mailsTo(email).stream().filter(m -> m.getString("subject").contains("Your account was locked")).count();
    }

    private static boolean sameShares(Side a, Side b) {
        Set<Integer> codes = new java.util.HashSet<>(a.statuses.keySet());
        codes.addAll(b.statuses.keySet());
        for (int c : codes) {
            double sa = a.statuses.getOrDefault(c, 0) / (double) Math.max(1, a.total());
            double sb = b.statuses.getOrDefault(c, 0) / (double) Math.max(1, b.total());
            if (Math.abs(sa - sb) > 0.02) return false;
        }
        return true;
    }

    private void checkBand(String what, Side known, Side unknown) {
        for (double q : new double[] {0.5, 0.9}) {
            double r = ratio(known, unknown, q);
            check(r <= TIMING_BAND && r >= 1 / TIMING_BAND, String.format(Locale.ROOT, "%s p%.0f known/unknown %.2f within 1/%.2f..%.2f",
                    what, q * 100, r, TIMING_BAND, TIMING_BAND));
        }
    }

    private static double ratio(Side known, Side unknown, double q) {
        return known.latency.percentile(q) / (double) Math.max(1, unknown.latency.percentile(q));
    }

    private void check(boolean ok, String what) {
        if (!ok) failures.add(what);
    }

    private void report(List<Target> targets, Side known, Side unknown, Side quietKnown, Side quietUnknown, Phase baseline, Phase during,
                        int normalUsers, int bystanders, int bystandersIn, int othersLocked, int otherLockMails) {
        int n = settings.threshold;
        line("Login flood: threshold N = %d, %d wrong-password logins (%d known, %d unknown) in %s s from %d client addresses, %d normal users, %d bystanders",
                n, known.total() + unknown.total(), known.total(), unknown.total(), fmt(during.seconds),
                (addressCounter.get() + ATTEMPTS_PER_ADDRESS - 1) / ATTEMPTS_PER_ADDRESS, normalUsers, bystanders);
        line("");
        line("| flooded identifier | edge | attempts | lock seen after attempt | lockouts | failures counted while locked | lock e-mails | right password after (new browser / own device) |");
        line("|---|---|---:|---:|---:|---:|---:|---|");
        for (Target t : targets) {
            line("| %s %s | %s | %d | %s | %d | %d | %s | %s |", t.known ? "known" : "unknown", t.email.substring(0, t.email.indexOf('-')),
                    t.burstAtEdge ? n - 1 + " one by one, then " + settings.lanesPerAccount + " at once" : "one by one", t.sent.get(),
                    t.burstAtEdge ? (t.lockedBeforeEdge ? "before " + n + " (!)" : "not before " + n) : String.valueOf(t.lockedAfter),
                    t.after.lockouts(), t.after.failures(), t.known ? String.valueOf(t.lockMails) : "-",
                    t.known ? t.rightPasswordStatus + " / " + t.ownDeviceStatus : "-");
        }
        line("");
        line("Other accounts: %d normal users + %d bystanders locked or charged: %d; lock e-mails to them: %d; bystanders signing in after: %d/%d",
                normalUsers, bystanders, othersLocked, otherLockMails, bystandersIn, bystanders);
        line("");
        line("| wrong-password answers | attempts | statuses | p50 ms | p90 ms |");
        line("|---|---:|---|---:|---:|");
        for (Object[] row : new Object[][] {{"flood, known accounts", known}, {"flood, unknown accounts", unknown},
                {"quiet probe, known", quietKnown}, {"quiet probe, unknown", quietUnknown}}) {
            Side s = (Side) row[1];
            line("| %s | %d | %s | %.1f | %.1f |", row[0], s.total(), new TreeMap<>(s.statuses), s.latency.millis(0.5), s.latency.millis(0.9));
        }
        line("");
        line("known/unknown latency ratio (band 1/%.2f..%.2f): flood p50 %.2f, p90 %.2f; quiet p50 %.2f, p90 %.2f; answers identical: %s",
                TIMING_BAND, TIMING_BAND, ratio(known, unknown, 0.5), ratio(known, unknown, 0.9), ratio(quietKnown, quietUnknown, 0.5),
                ratio(quietKnown, quietUnknown, 0.9), known.answers.equals(unknown.answers));
        line("");
        line("| normal users (%d, 20 ms think time) | s | requests | p50 ms | p99 ms | logins | login p50 ms | login p99 ms | failed | login timeouts (> 30 s) | heap used max MiB | heap retained after (full GC) MiB |", normalUsers);
        line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Phase p : List.of(baseline, during)) {
            line("| %s | %s | %d | %.1f | %.1f | %d | %.0f | %.0f | %d | %d | %s | %s |", p.name, fmt(p.seconds), p.routes.count(), p.routes.millis(0.5),
                    p.routes.millis(0.99), p.logins.count(), p.logins.millis(0.5), p.logins.millis(0.99), p.failed.get(), p.loginTimeouts.get(), mib(p.heapMax.get()),
                    mib(p.retainedAfter));
        }
        line("");
        line("heap: used sampled every 50 ms, bound %s MiB (JVM max heap %s MiB); retained = used after System.gc() at the end of the phase",
                mib(settings.heapBoundBytes), mib(Runtime.getRuntime().maxMemory()));
        line(failures.isEmpty() ? "ALL CHECKS PASSED" : "FAILED CHECKS:");
        for (String f : failures) line("  - %s", f);
    }

    private static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void line(String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private static String fmt(double seconds) {
        return String.format(Locale.ROOT, "%.1f", seconds);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
    }
}
