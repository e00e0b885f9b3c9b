package dev.bulwark.app.platform;

import dev.bulwark.tenancy.TenantContext;
import io.vertx.core.MultiMap;

import java.net.InetAddress;
import java.util.Map;

/**
 * A request as the blocking handler sees it: parsed on the event loop, then handed to a worker. Fields come from a
 * form or a flat JSON object; the principal and tenant context are set by {@link Web}'s guards.
 */
public final class Req {
    public final String method;
    public final String path;
    public final String uri;
    public final boolean api;
    public final Map<String, String> params;
    public final MultiMap query;
    public final Map<String, String> fields;
    public final Map<String, String> cookies;
    public final InetAddress client;
    public final String clientIp;
    public final String userAgent;
    public final String csrfToken;
    String sessionToken;
    Principal principal;
    TenantContext tenant;
    WorkspaceSettings settings;

    Req(String method, String path, String uri, boolean api, Map<String, String> params, MultiMap query, Map<String, String> fields,
        Map<String, String> cookies, InetAddress client, String clientIp, String userAgent, String csrfToken) {
        this.method = method;
        this.path = path;
        this.uri = uri;
        this.api = api;
        this.params = params;
        this.query = query;
        this.fields = fields;
        this.cookies = cookies;
        this.client = client;
        this.clientIp = clientIp;
        this.userAgent = userAgent;
        this.csrfToken = csrfToken;
    }

    /** A trimmed field value, "" when absent. */
    public String field(String name) {
        String v = fields.get(name);
        return v == null ? "" : v.strip();
    }

    /** A field exactly as sent (passwords: no trimming). */
    public String raw(String name) {
        String v = fields.get(name);
        return v == null ? "" : v;
    }

    public String param(String name) {
        String v = params.get(name);
        return v == null ? "" : v;
    }

    public String queryParam(String name) {
        String v = query.get(name);
        return v == null ? "" : v;
    }

    public Principal principal() {
        return principal;
    }

    public Principal user() {
        if (principal == null) throw new AppError(401, "unauthenticated", "Sign in first.");
        return principal;
    }

    public String sessionToken() {
        return sessionToken;
    }

    public TenantContext tenant() {
        if (tenant == null) throw AppError.notFound();
        return tenant;
    }

    public WorkspaceSettings settings() {
        return settings;
    }
}
