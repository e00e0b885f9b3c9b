package dev.bulwark.app.customers;

import dev.bulwark.app.files.FileRoutes;
import dev.bulwark.app.platform.Html;
import dev.bulwark.app.platform.Reply;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.platform.Web;
import dev.bulwark.app.product.Pages;
import dev.bulwark.tenancy.Permission;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;

import java.util.List;

/** Customer pages under /w/:ws/customers and the JSON API under /api/v1/workspaces/:ws/customers. */
public final class CustomerRoutes {
    private final CustomerService service;
    private final FileRoutes files;
    private final Web web;

    public CustomerRoutes(CustomerService service, FileRoutes files, Web web) {
        this.service = service;
        this.files = files;
        this.web = web;
    }

    public void register(Router r) {
        r.get("/w/:ws/customers").handler(web.workspace(Permission.CUSTOMERS_VIEW, this::listPage));
        r.post("/w/:ws/customers").handler(web.workspace(Permission.CUSTOMERS_MANAGE, req -> {
            Customer c = service.create(req, req.tenant());
            return Reply.redirect("/w/" + req.tenant().workspaceId() + "/customers/" + c.id());
        }));
        r.get("/w/:ws/customers/:id").handler(web.workspace(Permission.CUSTOMERS_VIEW, this::customerPage));
        r.post("/w/:ws/customers/:id").handler(web.workspace(Permission.CUSTOMERS_MANAGE, req -> {
            service.update(req, req.tenant(), req.param("id"));
            return Reply.redirect("/w/" + req.tenant().workspaceId() + "/customers/" + req.param("id"));
        }));
        r.post("/w/:ws/customers/:id/delete").handler(web.workspace(Permission.CUSTOMERS_MANAGE, req -> {
            service.delete(req, req.tenant(), req.param("id"));
            return Reply.redirect("/w/" + req.tenant().workspaceId() + "/customers");
        }));

        String api = "/api/v1/workspaces/:ws/customers";
        r.get(api).handler(web.workspace(Permission.CUSTOMERS_VIEW, req ->
                Reply.json(new JsonArray(service.browse(req, req.tenant(), req.queryParam("email")).stream().map(Customer::json).toList()))));
        r.post(api).handler(web.workspace(Permission.CUSTOMERS_MANAGE, req -> Reply.json(201, service.create(req, req.tenant()).json())));
        r.get(api + "/:id").handler(web.workspace(Permission.CUSTOMERS_VIEW, req -> Reply.json(service.view(req, req.tenant(), req.param("id")).json())));
        r.put(api + "/:id").handler(web.workspace(Permission.CUSTOMERS_MANAGE, req -> Reply.json(service.update(req, req.tenant(), req.param("id")).json())));
        r.delete(api + "/:id").handler(web.workspace(Permission.CUSTOMERS_MANAGE, req -> {
            service.delete(req, req.tenant(), req.param("id"));
            return Reply.noContent();
        }));
    }

    private Reply listPage(Req req) {
        String ws = req.tenant().workspaceId();
        String q = req.queryParam("email");
        List<Customer> list = service.browse(req, req.tenant(), q);
        StringBuilder b = new StringBuilder("<h1>Customers</h1>");
        b.append("<form method=\"get\" action=\"/w/").append(Html.esc(ws)).append("/customers\" id=\"customer-search\">")
                .append(Html.input("Find by exact e-mail", "email", "email", q, null, null)).append("<button type=\"submit\">Search</button></form>");
        b.append("<ul class=\"list\" id=\"customers\">");
        for (Customer c : list) {
            b.append("<li><a href=\"/w/").append(Html.esc(ws)).append("/customers/").append(Html.esc(c.id())).append("\">")
                    .append(Html.esc(c.name())).append("</a> ").append(Html.esc(c.email())).append("</li>");
        }
        b.append("</ul>");
        if (req.tenant().can(Permission.CUSTOMERS_MANAGE)) {
            b.append("<h2>New customer</h2><form method=\"post\" action=\"/w/").append(Html.esc(ws)).append("/customers\" id=\"customer-form\">")
                    .append(Html.csrf(req)).append(fields(null)).append("<button type=\"submit\">Add customer</button></form>");
        }
        return Reply.html(Pages.page("Customers", req, ws, b.toString()));
    }

    private Reply customerPage(Req req) {
        String ws = req.tenant().workspaceId();
        Customer c = service.view(req, req.tenant(), req.param("id"));
        StringBuilder b = new StringBuilder("<h1 id=\"customer-name\">").append(Html.esc(c.name())).append("</h1>");
        boolean manage = req.tenant().can(Permission.CUSTOMERS_MANAGE);
        if (manage) {
            b.append("<form method=\"post\" action=\"/w/").append(Html.esc(ws)).append("/customers/").append(Html.esc(c.id()))
                    .append("\" id=\"customer-form\">").append(Html.csrf(req)).append(fields(c)).append("<button type=\"submit\">Save</button></form>");
        } else {
            b.append("<p>").append(Html.esc(c.email())).append(" · ").append(Html.esc(c.phone())).append("</p><p>")
                    .append(Html.esc(c.address())).append("</p><p>").append(Html.esc(c.notes())).append("</p>");
        }
        b.append(files.section(req, "customer", c.id()));
        if (manage) {
            b.append("<h2>Delete</h2><p>Deleting the customer also deletes their files.</p>")
                    .append(Html.postButton(req, "/w/" + ws + "/customers/" + c.id() + "/delete", "Delete customer", "danger"));
        }
        return Reply.html(Pages.page(c.name(), req, ws, b.toString()));
    }

    private static String fields(Customer c) {
        return Html.input("Name", "name", "text", c == null ? "" : c.name(), null, "required maxlength=\"200\"")
                + Html.input("E-mail", "email", "email", c == null ? "" : c.email(), null, null)
                + Html.input("Phone", "phone", "tel", c == null ? "" : c.phone(), null, null)
                + Html.input("Address", "address", "text", c == null ? "" : c.address(), null, null)
                + "<label for=\"notes\">Notes</label><textarea id=\"notes\" name=\"notes\" maxlength=\"4000\">"
                + Html.esc(c == null ? "" : c.notes()) + "</textarea>";
    }
}
