package dev.bulwark.app.platform;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** What a handler answers; written to the response on the event loop after the blocking work is done. */
public final class Reply {
    final int status;
    final String contentType;
    final Buffer body;
    final List<String[]> headers = new ArrayList<>();
    final List<Cookie> cookies = new ArrayList<>();

    private Reply(int status, String contentType, Buffer body) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
    }

    public static Reply html(String page) {
        return html(200, page);
    }

    public static Reply html(int status, String page) {
        return new Reply(status, "text/html; charset=utf-8", Buffer.buffer(page));
    }

    public static Reply json(int status, JsonObject o) {
        return new Reply(status, "application/json", Buffer.buffer(o.encode()));
    }

    public static Reply json(JsonObject o) {
        return json(200, o);
    }

    public static Reply json(JsonArray a) {
        return new Reply(200, "application/json", Buffer.buffer(a.encode()));
    }

    public static Reply bytes(String contentType, Buffer body) {
        return new Reply(200, contentType, body);
    }

    public static Reply text(int status, String contentType, String body) {
        return new Reply(status, contentType, Buffer.buffer(body));
    }

    /** 303 See Other to a local path (never to a URL taken from the request). */
    public static Reply redirect(String localPath) {
        if (!localPath.startsWith("/") || localPath.startsWith("//") || localPath.contains("\\")) localPath = "/";
        Reply r = new Reply(303, null, Buffer.buffer());
        r.headers.add(new String[]{"Location", localPath});
        return r;
    }

    public static Reply noContent() {
        return new Reply(204, null, Buffer.buffer());
    }

    public Reply header(String name, String value) {
        headers.add(new String[]{name, value});
        return this;
    }

    public Reply cookie(Cookie c) {
        cookies.add(c);
        return this;
    }
}
