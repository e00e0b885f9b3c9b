package dev.bulwark.app.ops;

import dev.bulwark.app.platform.Reply;
import dev.bulwark.app.platform.Services;
import dev.bulwark.app.platform.Web;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Health endpoints, RFC 9116 security.txt, the security policy, the OpenAPI document, the stylesheet. */
public final class OpsRoutes {
    private final Services s;
    private final Web web;

    public OpsRoutes(Services s, Web web) {
        this.s = s;
        this.web = web;
    }

    public void register(Router r) {
        r.get("/favicon.ico").handler(rc -> rc.response().setStatusCode(204).putHeader("Cache-Control", "public, max-age=86400").end());
        r.get("/health/live").handler(rc -> rc.response().putHeader("Content-Type", "application/json").end("{\"status\":\"UP\"}"));
        r.get("/health/ready").handler(web.open(req -> {
            boolean db = s.db().ping();
            boolean keys = s.keys().selfTest();
            JsonObject o = new JsonObject().put("status", db && keys ? "UP" : "DOWN")
                    .put("checks", new JsonObject().put("database", db ? "UP" : "DOWN").put("keyring", keys ? "UP" : "DOWN"));
            return Reply.json(db && keys ? 200 : 503, o);
        }));
        String securityTxt = securityTxt();
        r.get("/.well-known/security.txt").handler(rc -> rc.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(securityTxt));
        String policy = resource("/public/SECURITY.md");
        r.get("/SECURITY.md").handler(rc -> rc.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(policy));
        String openapi = resource("/public/openapi.yaml");
        r.get("/api/openapi.yaml").handler(rc -> rc.response().putHeader("Content-Type", "application/yaml; charset=utf-8").end(openapi));
        String css = resource("/public/app.css");
        r.get("/static/app.css").handler(rc -> rc.response().putHeader("Content-Type", "text/css; charset=utf-8")
                .putHeader("Cache-Control", "public, max-age=3600").end(css));
    }

    String securityTxt() {
        StringBuilder b = new StringBuilder();
        b.append("Contact: ").append(s.config().securityContact).append('\n');
        b.append("Expires: ").append(s.config().securityTxtExpires.atStartOfDay().toInstant(java.time.ZoneOffset.UTC)).append('\n');
        b.append("Policy: ").append(s.config().securityPolicyUrl.orElse(s.url("/SECURITY.md"))).append('\n');
        b.append("Preferred-Languages: ").append(s.config().securityLanguages).append('\n');
        b.append("Canonical: ").append(s.url("/.well-known/security.txt")).append('\n');
        return b.toString();
    }

    static String resource(String name) {
        try (InputStream in = OpsRoutes.class.getResourceAsStream(name)) {
            if (in == null) return "";
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
