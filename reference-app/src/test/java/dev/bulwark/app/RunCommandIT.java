package dev.bulwark.app;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** README's run command ({@code java -jar reference-app/target/bulwark-app.jar}) as a subprocess on a fresh data dir. */
class RunCommandIT {
    static final Path JAR = Path.of("target", "bulwark-app.jar");

    @Test
    void runCommandServesHealthReadyWithin30Seconds() throws Exception {
        assertThat(JAR).as("built by the package phase").exists();
        Path work = Files.createTempDirectory("bulwark-run");
        int https = TestApp.freePort();
        int http = TestApp.freePort();
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-jar", JAR.toAbsolutePath().toString()).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(work.resolve("app.log").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("BULWARK_") && !k.equals("BULWARK_REQUIRE_SERVICES") && !k.startsWith("BULWARK_TEST_"));
        env.put("BULWARK_HTTPS_PORT", String.valueOf(https));
        env.put("BULWARK_HTTP_PORT", String.valueOf(http));
        Process p = pb.start();
        try {
            HttpClient client = HttpClient.newBuilder().sslContext(trustAll()).sslParameters(tls13()).connectTimeout(Duration.ofSeconds(2)).build();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            HttpResponse<String> ready = null;
            while (System.nanoTime() < deadline && p.isAlive()) {
                try {
                    ready = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + https + "/health/ready")).timeout(Duration.ofSeconds(3)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (ready.statusCode() == 200) break;
                } catch (java.io.IOException e) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
            String log = Files.readString(work.resolve("app.log"), StandardCharsets.UTF_8);
            assertThat(ready).as("no answer within 30 s; log:\n" + log).isNotNull();
            assertThat(ready.statusCode()).as(log).isEqualTo(200);
            assertThat(ready.body()).contains("\"database\":\"UP\"").contains("\"keyring\":\"UP\"");
            assertThat(log).contains("https://localhost:" + https);
            // The dev master key, the generated certificate key and the H2 database live in ./data.
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("data/master.key")))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("data/tls/server.key")))).isEqualTo("rw-------");
            assertThat(work.resolve("data/db/bulwark.mv.db")).exists();
            // Fresh install: nobody can sign in (there are no accounts until someone signs up).
            HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + https + "/api/v1/account")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(401);
            // No trusted proxy configured: X-Forwarded-Proto on the plain port is the client's own claim and is ignored.
            HttpResponse<String> spoofed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + http + "/api/v1/account"))
                    .header("X-Forwarded-Proto", "https").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(spoofed.statusCode()).isEqualTo(301);
            assertThat(spoofed.headers().firstValue("Location")).hasValue("https://localhost:" + https + "/api/v1/account");
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    @Test
    void badConfigurationStopsStartUpWithAClearMessage() throws Exception {
        Path work = Files.createTempDirectory("bulwark-badcfg");
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-jar", JAR.toAbsolutePath().toString()).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().put("BULWARK_HTTPS_PORT", "eighty");
        pb.environment().put("BULWARK_TRUSTED_PROXIES", "10.0.0.0/99");
        pb.environment().put("BULWARK_SESION_IDLE_TIMEOUT", "PT1H");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains("unknown environment variable BULWARK_SESION_IDLE_TIMEOUT");
        pb.environment().remove("BULWARK_SESION_IDLE_TIMEOUT");
        p = pb.start();
        out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains("BULWARK_HTTPS_PORT must be a whole number").contains("BULWARK_TRUSTED_PROXIES");
        assertThat(Files.exists(work.resolve("data"))).as("nothing created on bad configuration").isFalse();
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java" + (File.separatorChar == '\\' ? ".exe" : "")).toString();
    }

    static SSLContext trustAll() throws Exception {
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, new TrustManager[]{new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        return c;
    }

    static SSLParameters tls13() {
        SSLParameters p = new SSLParameters();
        p.setProtocols(new String[]{"TLSv1.3"});
        return p;
    }
}
