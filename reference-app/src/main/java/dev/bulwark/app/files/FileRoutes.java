package dev.bulwark.app.files;

import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Html;
import dev.bulwark.app.platform.Reply;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Web;
import dev.bulwark.tenancy.Permission;
import dev.bulwark.upload.Download;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * Upload (JSON: name, contentType, base64 content, within the request body limit) and download (only through these
 * authorised routes, with upload-guard's attachment headers: nosniff, sandbox CSP, Content-Disposition attachment).
 * The upload form on pages is sent by /static/product/upload.js (no inline script).
 */
public final class FileRoutes {
    private final FileService files;
    private final Web web;

    public FileRoutes(FileService files, Web web) {
        this.files = files;
        this.web = web;
    }

    public void register(Router r) {
        r.post("/api/v1/workspaces/:ws/files").handler(web.workspace(Permission.FILES_UPLOAD, this::upload));
        r.get("/api/v1/workspaces/:ws/files").handler(web.workspace(Permission.FILES_VIEW, req -> {
            JsonArray a = new JsonArray();
            for (FileService.FileInfo f : files.list(req.tenant(), req.queryParam("subjectType"), req.queryParam("subjectId"))) a.add(json(f));
            return Reply.json(a);
        }));
        r.get("/api/v1/workspaces/:ws/files/:blob").handler(web.workspace(Permission.FILES_VIEW, this::download));
        r.delete("/api/v1/workspaces/:ws/files/:blob").handler(web.workspace(Permission.FILES_UPLOAD, req -> {
            files.delete(req, req.tenant(), req.param("blob"));
            return Reply.noContent();
        }));
        r.get("/w/:ws/files/:blob").handler(web.workspace(Permission.FILES_VIEW, this::download));
        r.post("/w/:ws/files/:blob/delete").handler(web.workspace(Permission.FILES_UPLOAD, req -> {
            files.delete(req, req.tenant(), req.param("blob"));
            String back = req.field("back");
            return Reply.redirect(back.startsWith("/w/" + req.tenant().workspaceId() + "/") ? back : "/w/" + req.tenant().workspaceId());
        }));
    }

    private Reply upload(Req req) {
        byte[] content;
        try {
            content = Base64.getDecoder().decode(req.field("content"));
        } catch (IllegalArgumentException e) {
            throw AppError.invalid("content", "must be the file's bytes in base64");
        }
        if (content.length == 0) throw AppError.invalid("content", "is empty");
        String name = req.field("name");
        if (name.isEmpty()) throw AppError.invalid("name", "is required");
        FileService.FileInfo f = files.upload(req, req.tenant(), req.field("subjectType"), req.field("subjectId"), name,
                req.field("contentType"), content);
        return Reply.json(201, json(f));
    }

    private Reply download(Req req) {
        try (Download d = files.open(req, req.tenant(), req.param("blob"))) {
            Reply r = Reply.bytes(d.upload().contentType(), Buffer.buffer(d.content().readAllBytes()));
            d.headers().forEach(r::header);
            return r;
        } catch (IOException e) {
            // tampered or truncated ciphertext fails here, while reading
            throw new UncheckedIOException(e);
        }
    }

    static JsonObject json(FileService.FileInfo f) {
        return new JsonObject().put("id", f.blobId()).put("name", f.name()).put("contentType", f.contentType()).put("size", f.size())
                .put("createdAt", f.createdAtMs());
    }

    /** The files section of a customer / appointment / invoice page, with the upload form. */
    public String section(Req req, String subjectType, String subjectId) {
        String ws = req.tenant().workspaceId();
        if (!req.tenant().can(Permission.FILES_VIEW)) return "";
        StringBuilder b = new StringBuilder("<h2>Files</h2><ul class=\"list\" id=\"files\">");
        for (FileService.FileInfo f : files.list(req.tenant(), subjectType, subjectId)) {
            b.append("<li><a href=\"/w/").append(Html.esc(ws)).append("/files/").append(Html.esc(f.blobId())).append("\">")
                    .append(Html.esc(f.name())).append("</a> (").append(Html.esc(f.contentType())).append(", ").append(f.size()).append(" bytes)");
            if (req.tenant().can(Permission.FILES_UPLOAD)) {
                b.append("<form method=\"post\" class=\"inline\" action=\"/w/").append(Html.esc(ws)).append("/files/").append(Html.esc(f.blobId()))
                        .append("/delete\">").append(Html.csrf(req)).append("<input type=\"hidden\" name=\"back\" value=\"")
                        .append(Html.esc(req.path)).append("\"><button type=\"submit\">Delete</button></form>");
            }
            b.append("</li>");
        }
        b.append("</ul>");
        if (req.tenant().can(Permission.FILES_UPLOAD)) {
            b.append("<form id=\"upload-form\" data-upload=\"/api/v1/workspaces/").append(Html.esc(ws)).append("/files\" data-subject-type=\"")
                    .append(Html.esc(subjectType)).append("\" data-subject-id=\"").append(Html.esc(subjectId)).append("\" data-csrf=\"")
                    .append(Html.esc(req.csrfToken)).append("\"><label for=\"file\">Attach a file (images, PDF, text, CSV)</label>")
                    .append("<input type=\"file\" id=\"file\" name=\"file\"><button type=\"submit\">Upload</button>")
                    .append("<p id=\"upload-status\" role=\"status\"></p></form><script src=\"/static/product/upload.js\"></script>");
        }
        return b.toString();
    }
}
