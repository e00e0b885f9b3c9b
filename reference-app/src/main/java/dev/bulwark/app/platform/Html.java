package dev.bulwark.app.platform;

import java.util.Map;

/**
 * Server-rendered HTML: every dynamic value goes through {@link #esc}. Pages carry no inline script or style (the
 * CSP forbids both); the only stylesheet is /static/app.css.
 */
public final class Html {
    private Html() {}

    public static String esc(Object o) {
        if (o == null) return "";
        String s = o.toString();
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    public static String page(String title, Req req, String body) {
        Principal p = req == null ? null : req.principal();
        StringBuilder nav = new StringBuilder("<nav><a class=\"brand\" href=\"/\">Bulwark</a>");
        if (p != null && !p.viaApiKey()) {
            nav.append("<a href=\"/app\">Workspaces</a><a href=\"/account\">Account</a>")
                    .append("<form method=\"post\" action=\"/logout\" class=\"inline\">").append(csrf(req))
                    .append("<button type=\"submit\" id=\"sign-out\">Sign out</button></form>");
        } else {
            nav.append("<a href=\"/login\">Sign in</a><a href=\"/signup\">Create a workspace</a>");
        }
        nav.append("</nav>");
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + esc(title) + " · Bulwark</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head><body>"
                + nav + "<main>" + body + "</main>"
                + "<footer><a href=\"/privacy\" id=\"footer-privacy\">Privacy notice</a> · <a href=\"/SECURITY.md\">Security policy</a> · <a href=\"/.well-known/security.txt\">security.txt</a>"
                + " · <a href=\"/api/openapi.yaml\">API</a></footer></body></html>";
    }

    public static String csrf(Req req) {
        return req == null ? "" : "<input type=\"hidden\" name=\"_csrf\" value=\"" + esc(req.csrfToken) + "\">";
    }

    /** A labelled input with its field error (if any). */
    public static String input(String label, String name, String type, String value, Map<String, String> errors, String extra) {
        String err = errors == null ? null : errors.get(name);
        return "<label for=\"" + esc(name) + "\">" + esc(label) + "</label>"
                + "<input id=\"" + esc(name) + "\" name=\"" + esc(name) + "\" type=\"" + esc(type) + "\" value=\""
                + ("password".equals(type) ? "" : esc(value)) + "\"" + (extra == null ? "" : " " + extra)
                + (err != null ? " aria-invalid=\"true\" aria-describedby=\"" + esc(name) + "-error\"" : "") + ">"
                + (err != null ? "<p class=\"field-error\" id=\"" + esc(name) + "-error\">" + esc(err) + "</p>" : "");
    }

    public static String notice(String text) {
        return text == null || text.isEmpty() ? "" : "<p class=\"notice\">" + esc(text) + "</p>";
    }

    public static String errorBox(String text) {
        return text == null || text.isEmpty() ? "" : "<p class=\"error\" role=\"alert\">" + esc(text) + "</p>";
    }

    public static String postButton(Req req, String action, String label, String cls) {
        return "<form method=\"post\" action=\"" + esc(action) + "\" class=\"inline\">" + csrf(req)
                + "<button type=\"submit\" class=\"" + esc(cls) + "\">" + esc(label) + "</button></form>";
    }
}
