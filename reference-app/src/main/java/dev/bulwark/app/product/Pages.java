package dev.bulwark.app.product;

import dev.bulwark.app.platform.Html;
import dev.bulwark.app.platform.Req;

/** The product pages' navigation inside a workspace (server-rendered, no inline script or style). */
public final class Pages {
    private Pages() {}

    public static String nav(String ws) {
        String b = "/w/" + Html.esc(ws);
        return "<p class=\"subnav\" id=\"product-nav\"><a href=\"" + b + "\">Workspace</a> · <a href=\"" + b + "/calendar\">Calendar</a> · "
                + "<a href=\"" + b + "/customers\">Customers</a> · <a href=\"" + b + "/services\">Services &amp; hours</a> · "
                + "<a href=\"" + b + "/invoices\">Invoices</a> · <a href=\"" + b + "/payments\">Payments</a> · "
                + "<a href=\"" + b + "/booking-page\">Booking page</a> · <a href=\"" + b + "/connections\">Connected services</a></p>";
    }

    public static String page(String title, Req req, String ws, String body) {
        return Html.page(title, req, nav(ws) + body);
    }
}
