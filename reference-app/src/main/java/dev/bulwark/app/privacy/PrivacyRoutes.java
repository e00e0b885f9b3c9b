package dev.bulwark.app.privacy;

import dev.bulwark.app.platform.Html;
import dev.bulwark.app.platform.Reply;
import dev.bulwark.app.platform.Services;
import dev.bulwark.app.platform.Web;
import io.vertx.ext.web.Router;

/** The public privacy notice (ASVS 8.3.3): readable by anyone, before any personal data is asked for. */
public final class PrivacyRoutes {
    private final Services s;
    private final Web web;

    public PrivacyRoutes(Services s, Web web) {
        this.s = s;
        this.web = web;
    }

    public void register(Router r) {
        r.get("/privacy").handler(web.open(req -> Reply.html(Html.page("Privacy notice", req, PrivacyNotice.body(s)))));
    }
}
