package dev.bulwark.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.bulwark.app.AdversarialRouteTable.Call;
import dev.bulwark.app.AdversarialRouteTable.Flag;
import dev.bulwark.app.AdversarialRouteTable.Spec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hostile JSON bodies against every route that reads a body (every state-changing route the router holds, signed in
 * as the owner of a workspace only this suite touches, with a valid CSRF token so the body reaches the parsers): the
 * random family (arbitrary bytes and text, token soup, deep nesting, non-object JSON, huge numbers, duplicate keys,
 * other content types) and the schema-mutated family (each route's real body with fields dropped, retyped, nulled,
 * stretched or filled with hostile strings). No response may be a 5xx, none may hang (10 s), and the app may log no
 * error or warning with a stack trace (an uncaught exception) while the properties run.
 */
class AdversarialJsonFuzzIT {
    static final int TRIES = 10_000;
    /** Routes whose body is never read and whose call would end the fuzzing session; the shared body parser still sees every other route's input. */
    static final Set<String> NOT_FUZZED = Set.of("POST /logout", "POST /api/v1/logout");

    record Target(String key, Call call, JsonObject seed) {}

    record Try(Target target, byte[] body, String contentType, String family) {
        @Override
        public String toString() {
            String b = new String(body, StandardCharsets.UTF_8);
            return target.key() + " <" + contentType + "> " + (b.length() > 300 ? b.substring(0, 300) + "...(" + body.length + " bytes)" : b);
        }
    }

    static final List<Target> TARGETS = new ArrayList<>();
    static final List<String> APP_ERRORS = new CopyOnWriteArrayList<>();
    static final Map<String, AtomicInteger> TRIED = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> STATUSES = new ConcurrentHashMap<>();
    static final Map<String, java.util.concurrent.atomic.AtomicLong> MILLIS = new ConcurrentHashMap<>();
    static Http owner;
    static AppenderBase<ILoggingEvent> appender;

    /** Extra fields each route reads (from the handlers), on top of the body the route table sends. */
    static final Map<String, JsonObject> SCHEMA_FIELDS = Map.ofEntries(
            Map.entry("signup", new JsonObject().put("name", "Fuzz").put("email", "fuzz@example.com").put("password", "long enough pass phrase 1").put("business", "Biz").put("acceptPrivacy", true)),
            Map.entry("login", new JsonObject().put("email", "fuzz@example.com").put("password", "wrong but long password")),
            Map.entry("login/mfa", new JsonObject().put("code", "123456")),
            Map.entry("verify-email", new JsonObject().put("u", "u_AAAAAAAAAAAAAAAAAAAA").put("t", "x.y.z")),
            Map.entry("verify-email/resend", new JsonObject().put("email", "fuzz@example.com")),
            Map.entry("password/forgot", new JsonObject().put("email", "fuzz@example.com")),
            Map.entry("password/reset", new JsonObject().put("u", "u_AAAAAAAAAAAAAAAAAAAA").put("t", "x.y.z").put("password", "another long pass phrase")),
            Map.entry("account/password", new JsonObject().put("current", "not the password at all").put("password", "another long pass phrase")),
            Map.entry("account/email", new JsonObject().put("email", "new-fuzz@example.com")),
            Map.entry("account/email/confirm", new JsonObject().put("u", "u_AAAAAAAAAAAAAAAAAAAA").put("t", "x.y.z")),
            Map.entry("reauth", new JsonObject().put("password", "not the password at all").put("code", "123456")),
            Map.entry("mfa/confirm", new JsonObject().put("code", "123456")),
            Map.entry("accept", new JsonObject().put("name", "Fuzz").put("password", "long enough pass phrase 1").put("acceptPrivacy", true)),
            Map.entry("share", new JsonObject().put("days", 3)),
            Map.entry("invoices", new JsonObject().put("discountBp", 1000).put("dueDate", "2030-01-31")),
            Map.entry("appointments", new JsonObject().put("startLocal", "2030-01-01T10:00")),
            Map.entry("services", new JsonObject().put("priceMinor", 4500).put("active", "true")),
            Map.entry("profile", new JsonObject().put("bookingEnabled", "true")),
            Map.entry("customers", new JsonObject().put("email", "c@example.org").put("address", "Street 1").put("notes", "n")),
            Map.entry("settings/security", new JsonObject().put("ipAllowlist", "")),
            Map.entry(":blob/delete", new JsonObject().put("back", "/w/x/customers")));

    @BeforeContainer
    static void start() throws Exception {
        AdversarialWorld w = AdversarialShared.h2();
        AdversarialWorld.Side f = AdversarialShared.fuzzSide();
        owner = w.login(f.owner);
        List<String> problems = new ArrayList<>();
        Set<String> routes = AdversarialRouteMatrix.registeredRoutes(w.app.app, problems);
        for (Spec s : AdversarialRouteTable.TABLE.values()) {
            if (!routes.contains(s.key()) || s.key().startsWith("GET ") || NOT_FUZZED.contains(s.key()) || s.flags().contains(Flag.FRESH_ACTOR)) continue;
            Call c = s.target().call(AdversarialFx.own(f, f.owner));
            JsonObject seed = c.body() == null ? new JsonObject() : c.body().copy();
            SCHEMA_FIELDS.forEach((suffix, extra) -> {
                String path = s.key().substring(s.key().indexOf(' ') + 1);
                if (path.endsWith("/" + suffix)) extra.forEach(e -> seed.put(e.getKey(), e.getValue()));
            });
            TARGETS.add(new Target(s.key(), c, seed));
        }
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                if (e.getLevel().isGreaterOrEqual(Level.ERROR) || (e.getLevel().isGreaterOrEqual(Level.WARN) && e.getThrowableProxy() != null)) {
                    APP_ERRORS.add(e.getLoggerName() + ": " + e.getFormattedMessage()
                            + (e.getThrowableProxy() == null ? "" : " / " + e.getThrowableProxy().getClassName() + ": " + e.getThrowableProxy().getMessage()));
                }
            }
        };
        appender.start();
        root.addAppender(appender);
    }

    @AfterContainer
    static void stop() {
        if (appender != null) ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
        System.out.printf("[adversarial] JSON fuzz over %d body-reading routes: tries per family %s; statuses %s; app errors logged %d%n",
                TARGETS.size(), new TreeMap<>(TRIED), new TreeMap<>(STATUSES), APP_ERRORS.size());
        MILLIS.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue().get(), x.getValue().get())).limit(12)
                .forEach(e -> System.out.println("[adversarial]   ms in " + e.getKey() + ": " + e.getValue()));
    }

    static HttpResponse<Buffer> send(Try t) throws Exception {
        Call c = t.target().call();
        HttpRequest<Buffer> r = owner.client.request(HttpMethod.valueOf(c.method()), c.path()).timeout(10_000);
        r.putHeader("X-Forwarded-For", owner.clientIp);
        StringBuilder b = new StringBuilder();
        owner.cookies.forEach((k, v) -> b.append(b.length() == 0 ? "" : "; ").append(k).append('=').append(v));
        r.putHeader("Cookie", b.toString());
        r.putHeader("Origin", owner.origin);
        r.putHeader("X-CSRF-Token", owner.csrf);
        r.putHeader("Content-Type", t.contentType());
        return r.sendBuffer(Buffer.buffer(t.body())).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    }

    static void check(Try t) throws Exception {
        TRIED.computeIfAbsent(t.family(), k -> new AtomicInteger()).incrementAndGet();
        int before = APP_ERRORS.size();
        long t0 = System.nanoTime();
        HttpResponse<Buffer> r = send(t);
        MILLIS.computeIfAbsent(t.target().key(), k -> new java.util.concurrent.atomic.AtomicLong()).addAndGet((System.nanoTime() - t0) / 1_000_000);
        STATUSES.computeIfAbsent(String.valueOf(r.statusCode()), k -> new AtomicInteger()).incrementAndGet();
        if (r.statusCode() >= 500) throw new AssertionError("server error " + r.statusCode() + " " + r.bodyAsString() + " for " + t);
        if (APP_ERRORS.size() > before) throw new AssertionError("the app logged an error: " + APP_ERRORS.subList(before, APP_ERRORS.size()) + " for " + t);
        boolean webhook = t.target().key().contains("/webhooks/");
        if (!webhook && t.body().length > 0 && t.body().length <= 65_536 && t.contentType().startsWith("text/plain")
                && r.statusCode() != 415 && r.statusCode() != 429) {
            throw new AssertionError("a body that is neither JSON nor a form was not refused with 415 (" + r.statusCode() + ") for " + t);
        }
        String ct = r.getHeader("Content-Type");
        if (AdversarialRouteMatrix.isApi(t.target().call().path()) && r.statusCode() >= 400 && (ct == null || !ct.startsWith("application/json"))) {
            throw new AssertionError("an API error that is not JSON (" + r.statusCode() + ", " + ct + ") for " + t);
        }
    }

    // ------------------------------------------------------------------ random family

    @Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED)
    void randomBodiesNeverCauseAServerErrorAHangOrAnUncaughtException(@ForAll("randomTries") Try t) throws Exception {
        check(t);
    }

    @Provide
    Arbitrary<Try> randomTries() {
        Arbitrary<Target> target = Arbitraries.of(TARGETS);
        Arbitrary<byte[]> body = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(300).map(s -> s.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)),
                Tuple.of(4, tokenSoup()),
                Tuple.of(2, nesting()),
                Tuple.of(2, jsonValues().map(v -> v.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Arbitraries.integers().between(60_000, 70_000).map(n -> ("{\"name\":\"" + "A".repeat(n) + "\"}").getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Arbitraries.integers().between(1, 200).map(n -> duplicateKeys(n).getBytes(StandardCharsets.UTF_8))));
        Arbitrary<String> type = Arbitraries.frequency(
                Tuple.of(12, "application/json"),
                Tuple.of(1, "application/json; charset=utf-16"),
                Tuple.of(1, "application/x-www-form-urlencoded"),
                Tuple.of(1, "multipart/form-data; boundary=xyz"),
                Tuple.of(1, "text/plain"),
                Tuple.of(1, "APPLICATION/JSON;;;"));
        return Combinators.combine(target, body, type).as((tg, b, ty) -> new Try(tg, b, ty, "random"));
    }

    static Arbitrary<byte[]> tokenSoup() {
        List<String> tokens = List.of("{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "\u0000", "true", "false", "null", "1e999999", "-0",
                "1.0e-400", "123456789012345678901234567890", "\"name\"", "\"email\"", "\"lines\"", "\"t\"", "\"__proto__\"", " ", "\n", "NaN", "Infinity",
                "'", "/*", "*/", "//", "\"\\u0000\"", "\u2028", "\uFEFF", "0x10", "+1", ".5", "\"a\":", "{\"a\":", "[[[[");
        return Arbitraries.of(tokens).list().ofMaxSize(60).map(l -> String.join("", l).getBytes(StandardCharsets.UTF_8));
    }

    static Arbitrary<byte[]> nesting() {
        return Arbitraries.integers().between(1, 6000).flatMap(n -> Arbitraries.of("[", "{\"a\":").map(open -> {
            String close = open.equals("[") ? "]" : "}";
            return (open.repeat(n) + "1" + close.repeat(n)).getBytes(StandardCharsets.UTF_8);
        }));
    }

    static String duplicateKeys(int n) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append("\"name\":\"v").append(i).append('"');
        return b.append('}').toString();
    }

    static Arbitrary<String> jsonValues() {
        return Arbitraries.of("[]", "[{}]", "\"string\"", "42", "null", "true", "-1.5e308", "{}", "{\"a\":[1,{\"b\":null}]}", "[\"name\",\"email\"]",
                "{\"lines\":\"not a list\"}", "{\"lines\":[{\"quantity\":1e400}]}", "{\"content\":\"@@@@\"}", "{\"start\":\"9999999999-01-01T00:00:00Z\"}");
    }

    // ------------------------------------------------------------------ extreme dates, every date field

    /** Years java.time parses but epoch milliseconds and date arithmetic cannot hold, and the edges of the app's 1970-9999 window. */
    static final List<String> EXTREME_DATES = List.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00", "+999999999-12-31", "-999999999-01-01",
            "+10000-01-01T00:00", "+10000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "1969-12-31T23:59", "0000-01-01", "9999-12-31T23:59", "9999-12-31");

    /**
     * A regression sweep for a defect the schema-mutated family found once (a time-off start in the year -999999999 gave a
     * 500): every extreme date in every field whose seed value is a date or a date-time, on every body-reading route.
     */
    @Example
    void extremeDatesInEveryDateFieldAreRefusedOrAcceptedButNeverAServerError() throws Exception {
        int cases = 0;
        for (Target tg : TARGETS) {
            for (String field : tg.seed().fieldNames()) {
                if (!(tg.seed().getValue(field) instanceof String v) || !v.matches("\\d{4}-\\d{2}-\\d{2}.*")) continue;
                for (String date : EXTREME_DATES) {
                    JsonObject body = tg.seed().copy().put(field, date);
                    check(new Try(tg, body.encode().getBytes(StandardCharsets.UTF_8), "application/json", "extreme-date"));
                    cases++;
                }
            }
        }
        System.out.println("[adversarial] extreme dates: " + cases + " cases over the date fields of " + TARGETS.size() + " routes");
        if (cases < EXTREME_DATES.size() * 4) throw new AssertionError("too few date fields found (" + cases + " cases); the sweep lost its targets");
    }

    // ------------------------------------------------------------------ schema-mutated family

    @Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED)
    void schemaMutatedBodiesNeverCauseAServerErrorAHangOrAnUncaughtException(@ForAll("mutatedTries") Try t) throws Exception {
        check(t);
    }

    @Provide
    Arbitrary<Try> mutatedTries() {
        Arbitrary<Target> target = Arbitraries.of(TARGETS);
        Arbitrary<List<Mutation>> mutations = mutation().list().ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(target, mutations).as((tg, ms) -> {
            JsonObject body = tg.seed().copy();
            for (Mutation m : ms) m.apply(body);
            return new Try(tg, body.encode().getBytes(StandardCharsets.UTF_8), "application/json", "schema-mutated");
        });
    }

    record Mutation(int fieldPick, String op, Object value) {
        void apply(JsonObject body) {
            List<String> names = new ArrayList<>(body.fieldNames());
            String field = names.isEmpty() ? "name" : names.get(Math.floorMod(fieldPick, names.size()));
            switch (op) {
                case "drop" -> body.remove(field);
                case "add" -> body.put(String.valueOf(value), "x");
                default -> body.put(field, value);
            }
        }
    }

    static Arbitrary<Object> hostileValues() {
        return Arbitraries.oneOf(
                Arbitraries.of("", " ", "\u0000", "\r\nSet-Cookie: a=b", "<script>alert(1)</script>", "' OR '1'='1", "\"; DROP TABLE prod_customers; --",
                        "../../../../etc/passwd", "%00", "${jndi:ldap://x}", "{{7*7}}", "NaN", "-Infinity", "99999999999999999999999999", "-1", "0", "1e309",
                        "2026-02-30T25:61", "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00", "Mars/Olympus", "XXX", "EUR\u0000", "owner\n", "read_write ",
                        "cus_AAAAAAAAAAAAAAAAAAAAAA", "apt_" + "A".repeat(22), "inv_../../x", "ws_\u202e", "\uD800", "\uFFFF", "A".repeat(5000),
                        "mon 00:00-24:00\n".repeat(50), "mon 25:00-26:00", "@@@@", "=?utf-8?q?x?=", "a@b", "x".repeat(300) + "@example.com").map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.of(new JsonArray(), new JsonArray().add(1).add("a").addNull(), new JsonArray().add(new JsonObject().put("x", 1))).map(a -> (Object) a),
                Arbitraries.of(new JsonObject(), new JsonObject().put("nested", new JsonObject().put("deeper", 1))).map(o -> (Object) o),
                Arbitraries.strings().all().ofMaxLength(80).map(s -> (Object) s),
                Arbitraries.just(new JsonArray().add(new JsonObject().put("description", "x").put("quantity", Long.MAX_VALUE).put("unitMinor", Long.MAX_VALUE)
                        .put("taxBp", -5))).map(a -> (Object) a));
    }

    static Arbitrary<Mutation> mutation() {
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 1000);
        Arbitrary<String> op = Arbitraries.frequency(Tuple.of(8, "set"), Tuple.of(2, "drop"), Tuple.of(1, "add"));
        return Combinators.combine(pick, op, hostileValues()).as(Mutation::new);
    }
}
