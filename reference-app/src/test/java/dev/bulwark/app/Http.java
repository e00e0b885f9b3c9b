package dev.bulwark.app;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One HTTPS client (Vert.x WebClient, TLS 1.3, the app's self-signed certificate trusted) with its own cookie jar,
 * client address (X-Forwarded-For through the trusted loopback proxy) and CSRF token.
 */
final class Http {
    final WebClient client;
    final String origin;
    final int port;
    final String clientIp;
    final Map<String, String> cookies = new HashMap<>();
    String csrf;
    String bearer;

    Http(Vertx vertx, TestApp app, String clientIp) {
        this.client = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
                .setFollowRedirects(false).setDefaultHost("localhost").setDefaultPort(app.httpsPort()));
        this.origin = app.origin;
        this.port = app.httpsPort();
        this.clientIp = clientIp;
    }

    static Http anonymous(Vertx vertx, TestApp app, String ip) {
        return new Http(vertx, app, ip);
    }

    HttpResponse<Buffer> get(String path) throws Exception {
        return send(HttpMethod.GET, path, null);
    }

    HttpResponse<Buffer> post(String path, JsonObject body) throws Exception {
        return send(HttpMethod.POST, path, body);
    }

    HttpResponse<Buffer> put(String path, JsonObject body) throws Exception {
        return send(HttpMethod.PUT, path, body);
    }

    HttpResponse<Buffer> delete(String path) throws Exception {
        return send(HttpMethod.DELETE, path, null);
    }

    /** Fetches a CSRF token (and its cookie) once. */
    Http withCsrf() throws Exception {
        JsonObject o = get("/api/v1/csrf").bodyAsJsonObject();
        csrf = o.getString("token");
        return this;
    }

    HttpResponse<Buffer> send(HttpMethod m, String path, JsonObject body) throws Exception {
        HttpRequest<Buffer> r = client.request(m, path);
        r.putHeader("X-Forwarded-For", clientIp);
        if (bearer != null) {
            r.putHeader("Authorization", "Bearer " + bearer);
        } else {
            if (!cookies.isEmpty()) {
                StringBuilder b = new StringBuilder();
                cookies.forEach((k, v) -> b.append(b.length() == 0 ? "" : "; ").append(k).append('=').append(v));
                r.putHeader("Cookie", b.toString());
            }
            if (m != HttpMethod.GET) {
                r.putHeader("Origin", origin);
                if (csrf != null) r.putHeader("X-CSRF-Token", csrf);
            }
        }
        HttpResponse<Buffer> res = (body == null ? r.send() : r.sendJsonObject(body)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        for (String c : res.cookies()) {
            String nv = c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'));
            int eq = nv.indexOf('=');
            String name = nv.substring(0, eq);
            String value = nv.substring(eq + 1);
            if (value.isEmpty() || c.toLowerCase().contains("max-age=0")) cookies.remove(name);
            else cookies.put(name, value);
        }
        return res;
    }

    static JsonArray array(HttpResponse<Buffer> r) {
        return r.bodyAsJsonArray();
    }

    static MultiMap headers(HttpResponse<Buffer> r) {
        return r.headers();
    }
}
