package dev.bulwark.app.product;

import dev.bulwark.app.platform.Config;
import dev.bulwark.app.platform.ConfigException;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The product's options (documented in reference-app/README.md). Without BULWARK_STRIPE_SECRET_KEY online payment is
 * off and the app says so; with it, the publishable key and both webhook endpoint secrets are required, and the key's
 * mode must match BULWARK_STRIPE_LIVEMODE. Bad values stop start-up with every problem listed.
 */
public final class ProductConfig {
    /** One OAuth 2.0 provider for a kind of connected service (calendar, email, video). */
    public record OAuthProvider(String kind, String name, URI authorizeUrl, URI tokenUrl, URI apiUrl, String clientId,
                                String clientSecret, String scope) {
        @Override
        public String toString() {
            return "OAuthProvider[" + kind + ", " + name + ", clientSecret=<redacted>]";
        }
    }

    public final Optional<String> stripeSecretKey;
    public final String stripePublishableKey;
    public final String stripeWebhookSecret;
    public final String stripeConnectWebhookSecret;
    public final boolean stripeLivemode;
    public final int platformFeeBps;
    public final Optional<String> stripeApiBase;
    public final String stripeJsUrl;
    public final int bookingLimitPerIp;
    /** Per member and workspace: at most this many attached files (ASVS 12.1.3). */
    public final int uploadQuotaFiles;
    /** Per member and workspace: at most this many bytes of attached files in all. */
    public final int uploadQuotaBytes;
    public final Map<String, OAuthProvider> oauth;

    private ProductConfig(Config c) {
        List<String> problems = new ArrayList<>();
        String sk = c.option("BULWARK_STRIPE_SECRET_KEY");
        stripeSecretKey = sk.isEmpty() ? Optional.empty() : Optional.of(sk);
        stripePublishableKey = c.option("BULWARK_STRIPE_PUBLISHABLE_KEY");
        stripeWebhookSecret = c.option("BULWARK_STRIPE_WEBHOOK_SECRET");
        stripeConnectWebhookSecret = c.option("BULWARK_STRIPE_CONNECT_WEBHOOK_SECRET");
        String live = c.option("BULWARK_STRIPE_LIVEMODE").toLowerCase(Locale.ROOT);
        if (!live.isEmpty() && !live.equals("true") && !live.equals("false")) problems.add("BULWARK_STRIPE_LIVEMODE must be true or false");
        stripeLivemode = live.equals("true");
        if (stripeSecretKey.isPresent()) {
            if (!sk.startsWith("sk_") && !sk.startsWith("rk_")) problems.add("BULWARK_STRIPE_SECRET_KEY must be a Stripe secret key (sk_... or rk_...)");
            if (sk.contains("_live_") != stripeLivemode) {
                problems.add("BULWARK_STRIPE_SECRET_KEY is a " + (sk.contains("_live_") ? "live" : "test")
                        + "-mode key but BULWARK_STRIPE_LIVEMODE is " + stripeLivemode);
            }
            if (!stripePublishableKey.startsWith("pk_")) problems.add("BULWARK_STRIPE_PUBLISHABLE_KEY (pk_...) is required with a secret key");
            if (!stripeWebhookSecret.startsWith("whsec_")) problems.add("BULWARK_STRIPE_WEBHOOK_SECRET (whsec_..., the platform endpoint's secret) is required with a secret key");
            if (!stripeConnectWebhookSecret.startsWith("whsec_")) problems.add("BULWARK_STRIPE_CONNECT_WEBHOOK_SECRET (whsec_..., the Connect endpoint's secret) is required with a secret key");
        }
        platformFeeBps = intOr(c.option("BULWARK_STRIPE_PLATFORM_FEE_BPS"), 0, 0, 5000, "BULWARK_STRIPE_PLATFORM_FEE_BPS", problems);
        String base = c.option("BULWARK_STRIPE_API_BASE");
        stripeApiBase = base.isEmpty() ? Optional.empty() : Optional.of(checkUrl("BULWARK_STRIPE_API_BASE", base, problems).toString());
        String js = c.option("BULWARK_STRIPE_JS_URL");
        stripeJsUrl = js.isEmpty() ? "https://js.stripe.com/v3/" : checkUrl("BULWARK_STRIPE_JS_URL", js, problems).toString();
        bookingLimitPerIp = intOr(c.option("BULWARK_BOOKING_LIMIT_PER_IP"), 10, 1, 10_000, "BULWARK_BOOKING_LIMIT_PER_IP", problems);
        uploadQuotaFiles = intOr(c.option("BULWARK_UPLOAD_QUOTA_FILES"), 1_000, 1, 1_000_000, "BULWARK_UPLOAD_QUOTA_FILES", problems);
        uploadQuotaBytes = intOr(c.option("BULWARK_UPLOAD_QUOTA_BYTES"), 1 << 30, 1, 2_000_000_000, "BULWARK_UPLOAD_QUOTA_BYTES", problems);
        Map<String, OAuthProvider> o = new LinkedHashMap<>();
        for (String kind : List.of("calendar", "email", "video")) {
            String key = "BULWARK_OAUTH_" + kind.toUpperCase(Locale.ROOT);
            String v = c.option(key);
            if (!v.isEmpty()) {
                OAuthProvider p = provider(kind, key, v, problems);
                if (p != null) o.put(kind, p);
            }
        }
        oauth = Map.copyOf(o);
        if (!problems.isEmpty()) throw new ConfigException(problems);
    }

    public static ProductConfig from(Config c) {
        return new ProductConfig(c);
    }

    public boolean onlinePayments() {
        return stripeSecretKey.isPresent();
    }

    private static int intOr(String v, int dflt, int min, int max, String key, List<String> problems) {
        if (v.isEmpty()) return dflt;
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) problems.add(key + " must be between " + min + " and " + max);
            return i;
        } catch (NumberFormatException e) {
            problems.add(key + " must be a whole number");
            return dflt;
        }
    }

    /** https:// only, except plain http to a loopback address (local fakes in development and tests). */
    static URI checkUrl(String key, String v, List<String> problems) {
        try {
            URI u = URI.create(v);
            boolean loopback = u.getHost() != null && (u.getHost().equals("127.0.0.1") || u.getHost().equals("localhost") || u.getHost().equals("[::1]"));
            if (u.getHost() == null || !("https".equals(u.getScheme()) || ("http".equals(u.getScheme()) && loopback))) {
                problems.add(key + " must be an https:// URL (plain http only to a loopback address)");
            }
            return u;
        } catch (IllegalArgumentException e) {
            problems.add(key + " is not a URL");
            return URI.create("https://invalid.invalid/");
        }
    }

    /** "name=Example;authorize=https://..;token=https://..;api=https://..;client_id=..;client_secret=..;scope=.." */
    private static OAuthProvider provider(String kind, String key, String v, List<String> problems) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : v.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) m.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
        }
        for (String req : List.of("authorize", "token", "api", "client_id", "client_secret")) {
            if (m.getOrDefault(req, "").isEmpty()) {
                problems.add(key + " needs " + req + "=... (format: name=..;authorize=..;token=..;api=..;client_id=..;client_secret=..;scope=..)");
                return null;
            }
        }
        return new OAuthProvider(kind, m.getOrDefault("name", kind), checkUrl(key + " authorize", m.get("authorize"), problems),
                checkUrl(key + " token", m.get("token"), problems), checkUrl(key + " api", m.get("api"), problems),
                m.get("client_id"), m.get("client_secret"), m.getOrDefault("scope", ""));
    }

    @Override
    public String toString() {
        return "ProductConfig[onlinePayments=" + onlinePayments() + ", livemode=" + stripeLivemode + ", oauth=" + oauth.keySet() + ", secrets=<redacted>]";
    }
}
