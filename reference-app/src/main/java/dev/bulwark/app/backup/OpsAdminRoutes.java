package dev.bulwark.app.backup;

import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Html;
import dev.bulwark.app.platform.Reply;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Services;
import dev.bulwark.app.platform.Web;
import io.vertx.ext.web.Router;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/** {@code /admin/ops} (platform administrators): backups on disk, the schedule, and the latest restore drills with their figures. */
public final class OpsAdminRoutes {
    private final Services s;
    private final Web web;
    private final Ops ops;

    public OpsAdminRoutes(Services s, Web web) {
        this.s = s;
        this.web = web;
        this.ops = new Ops(s.config(), s.keys().keyring(), s.db().dataSource(), s.audit(), Clock.systemUTC());
    }

    public void register(Router r) {
        r.get("/admin/ops").handler(web.platformAdmin(this::page));
    }

    private Reply page(Req req) throws IOException {
        OpsConfig c = ops.config();
        StringBuilder b = new StringBuilder("<h1>Operations</h1>");
        List<Ops.DrillRecord> drills = ops.recentDrills(20);
        if (drills.isEmpty()) {
            b.append(Html.errorBox("No restore drill has run yet: a backup is only known to work once it has been restored. Run "
                    + "'java -jar bulwark-app.jar restore-drill' or wait for the weekly drill."));
        } else {
            Ops.DrillRecord last = drills.get(0);
            b.append(last.passed() ? Html.notice("Last restore drill passed (" + last.startedAt() + ").")
                    : Html.errorBox("Last restore drill FAILED (" + last.startedAt() + "): " + last.summary()));
        }
        b.append("<h2>Schedule</h2><ul><li>Backups: ").append(Html.esc(c.backupInterval.map(Object::toString).orElse("off")))
                .append(", kept ").append(Html.esc(c.retention.toString())).append(", in ").append(Html.esc(c.backupDir)).append("</li><li>Backup before schema migrations: ")
                .append(c.backupBeforeMigration ? "on" : "off").append("</li><li>Restore drill: ").append(Html.esc(c.drillInterval.map(Object::toString).orElse("off")))
                .append("</li><li>Data retention job: ").append(Html.esc(c.retentionInterval.map(Object::toString).orElse("off"))).append("</li></ul>");
        b.append("<h2>Restore drills</h2><table id=\"drills\"><thead><tr><th>Started</th><th>Backup</th><th>Result</th><th>Took</th><th>Figures</th></tr></thead><tbody>");
        for (Ops.DrillRecord d : drills) {
            b.append("<tr class=\"").append(d.passed() ? "pass" : "fail").append("\"><td>").append(Html.esc(d.startedAt())).append("</td><td>")
                    .append(Html.esc(d.backupId())).append("</td><td>").append(d.passed() ? "pass" : "FAIL " + Html.esc(d.reason())).append("</td><td>")
                    .append(d.took().toMillis()).append(" ms</td><td>").append(Html.esc(d.summary())).append("</td></tr>");
        }
        b.append("</tbody></table><h2>Backups</h2><table id=\"backups\"><thead><tr><th>Backup</th><th>Taken</th></tr></thead><tbody>");
        for (BackupService.Entry e : ops.backups().list()) {
            b.append("<tr><td>").append(Html.esc(e.id())).append("</td><td>").append(Html.esc(e.time())).append("</td></tr>");
        }
        b.append("</tbody></table>");
        return Reply.html(Html.page("Operations", req, b.toString()));
    }
}
