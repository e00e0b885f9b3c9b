package dev.bulwark.app;

import dev.bulwark.app.backup.BackupService;
import dev.bulwark.app.backup.DrillReport;
import dev.bulwark.app.backup.Progress;
import dev.bulwark.audit.ChainId;
import dev.bulwark.audit.JdbcAuditStore;
import dev.bulwark.auth.apikey.ApiKeyScope;
import dev.bulwark.auth.apikey.ApiKeys;
import dev.bulwark.auth.apikey.JdbcApiKeyStore;
import dev.bulwark.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash safety: the real jar under concurrent API writes is killed with SIGKILL, restarted, and every write it had
 * acknowledged is there, readable, and the database, audit chains and a restore drill are all intact.
 */
class OpsCrashIT {

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void everyAcknowledgedWriteSurvivesSigkillAndNothingIsCorrupt(TestDatabase.Kind kind) throws Exception {
        Path jar = RunCommandIT.JAR.toAbsolutePath();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(jar), "the app jar is built at package, before Failsafe");
        try (OpsEnv env = OpsEnv.open(kind)) {
            OpsEnv.Seeded s = env.seed("Crash", 0);
            String key = ApiKeys.builder().prefix("bw").store(new JdbcApiKeyStore(env.db.dataSource())).build()
                    .issue(s.workspaceId() + ":" + s.ownerId(), ApiKeyScope.READ_WRITE, "crash-test", null).key();
            env.stop();
            int https = TestApp.freePort();
            HttpClient client = HttpClient.newBuilder().sslContext(RunCommandIT.trustAll()).connectTimeout(Duration.ofSeconds(5)).build();
            String base = "https://localhost:" + https + "/api/v1/workspaces/" + s.workspaceId() + "/customers";
            Map<String, String> acknowledged = new ConcurrentHashMap<>();

            Process app = start(env, https);
            try {
                awaitReady(client, https, app);
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger n = new AtomicInteger();
                ExecutorService writers = Executors.newFixedThreadPool(4);
                for (int w = 0; w < 4; w++) {
                    writers.submit(() -> {
                        while (!stop.get()) {
                            String email = "crash" + n.incrementAndGet() + "@example.com";
                            try {
                                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base)).timeout(Duration.ofSeconds(10))
                                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("name", "Crash " + email).put("email", email)
                                                .put("notes", "written before the kill").encode())).build(), HttpResponse.BodyHandlers.ofString());
                                if (r.statusCode() == 201) acknowledged.put(new JsonObject(r.body()).getString("id"), email);
                            } catch (Exception e) {
                                // the server died mid-request: not acknowledged, so no promise was made
                            }
                        }
                        return null;
                    });
                }
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
                long deadline = until + TimeUnit.SECONDS.toNanos(30);
                while ((System.nanoTime() < until || acknowledged.size() < 20) && System.nanoTime() < deadline) Thread.sleep(50);
                app.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no pool close, no checkpoint
                app.waitFor(30, TimeUnit.SECONDS);
                stop.set(true);
                writers.shutdown();
                assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                if (app.isAlive()) app.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(20);

            Process again = start(env, https);
            try {
                awaitReady(client, https, again);
                for (Map.Entry<String, String> a : acknowledged.entrySet()) {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/" + a.getKey()))
                            .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as("acknowledged customer " + a.getKey() + " after the kill").isEqualTo(200);
                    JsonObject c = new JsonObject(r.body());
                    assertThat(c.getString("email")).isEqualTo(a.getValue());
                    assertThat(c.getString("notes")).isEqualTo("written before the kill");
                }
            } finally {
                again.destroy();
                again.waitFor(60, TimeUnit.SECONDS);
            }

            env.start();
            for (ChainId chain : new JdbcAuditStore(env.db.dataSource()).chains()) {
                assertThat(env.audit.log().verify(chain).intact()).as("audit chain " + chain + " after the crash").isTrue();
            }
            env.ops().backup(BackupService.Kind.MANUAL, "test", Progress.NONE);
            DrillReport drill = env.ops().drill(null, "test", Progress.NONE);
            assertThat(drill.passed()).as(drill.summary()).isTrue();
            assertThat(env.customers().list(s.ctx(), 10_000)).hasSizeGreaterThanOrEqualTo(acknowledged.size());
        }
    }

    private static Process start(OpsEnv env, int https) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(RunCommandIT.javaBin(), "-Xmx384m", "-jar", RunCommandIT.JAR.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(env.dataDir.resolve("app-" + System.nanoTime() + ".log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("BULWARK_"));
        pb.environment().putAll(env.env);
        pb.environment().put("BULWARK_HTTPS_PORT", String.valueOf(https));
        pb.environment().put("BULWARK_HTTP_PORT", "-1");
        pb.environment().put("BULWARK_BIND_ADDRESS", "127.0.0.1");
        pb.environment().put("BULWARK_PUBLIC_URL", "https://localhost:" + https);
        return pb.start();
    }

    private static void awaitReady(HttpClient client, int https, Process p) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            if (!p.isAlive()) throw new AssertionError("the app exited with " + p.exitValue());
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + https + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (Exception notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the app did not become ready within 60 s");
    }

}
